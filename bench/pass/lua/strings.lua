-- strings.lua N: building, formatting, pattern matching and substitution (lstrlib's matcher, with a
-- Lua callback for every gsub match), byte-level access.
local n = tonumber(arg[1]) or 10
local words = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"}

local checksum = 0
for round = 1, n do
  local lines = {}
  for i = 1, 3000 do
    lines[i] = string.format("%s-%d %s:%05.2f", words[i % #words + 1], i * round, words[(i * 7) % #words + 1],
                             (i % 1000) / 7)
  end
  local text = table.concat(lines, "\n")
  local count = 0
  for word, number in text:gmatch("(%a+)%-(%d+)") do count = count + #word + number % 13 end
  local replaced = text:gsub("%d+", function(d) return #d end)
  local upper = text:sub(1, 20000):upper()
  local bytes = 0
  for i = 1, #upper, 3 do bytes = bytes + upper:byte(i) end
  local found = 0
  local pos = 1
  while true do
    local s, e = text:find("theta", pos, true)
    if not s then break end
    found, pos = found + 1, e + 1
  end
  checksum = (checksum + count + #replaced + bytes + found) % 1000000007
end
print(string.format("strings n=%d checksum=%d", n, checksum))
