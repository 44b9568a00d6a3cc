-- tables.lua N: array and hash parts, string keys, table.sort calling back into Lua, table.concat.
-- Deterministic (a linear congruential generator, not math.random, which Lua seeds at random).
local n = tonumber(arg[1]) or 10
local seed = 12345
local function rand(m)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % m
end

local checksum = 0
for round = 1, n do
  local array = {}
  for i = 1, 20000 do array[i] = rand(1000000) end
  table.sort(array, function(a, b) return a > b end)
  checksum = (checksum + array[1] + array[#array] + array[10000]) % 1000000007

  local counts = {}
  for i = 1, 20000 do
    local key = "k" .. rand(2000)
    counts[key] = (counts[key] or 0) + 1
  end
  local distinct, total = 0, 0
  for key, c in pairs(counts) do distinct = distinct + 1; total = total + c * #key end
  checksum = (checksum + distinct * 31 + total) % 1000000007

  local points = {}
  for i = 1, 5000 do points[i] = {x = i, y = rand(100), tag = i % 7} end
  local sx = 0
  for _, p in ipairs(points) do if p.tag ~= 3 then sx = sx + p.x * p.y end end
  checksum = (checksum + sx) % 1000000007

  local parts = {}
  for i = 1, 2000 do parts[#parts + 1] = tostring(array[i] % 97) end
  checksum = (checksum + #table.concat(parts, ",")) % 1000000007
end
print(string.format("tables n=%d checksum=%d", n, checksum))
