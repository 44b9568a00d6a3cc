-- The garbage collector: allocation churn, weak tables, finalizers, generational and incremental modes.
local function churn(n)
  local keep = {}
  for i = 1, n do
    local t = {i, tostring(i), {i}}
    if i % 100 == 0 then keep[#keep + 1] = t end
  end
  return #keep
end

for _, mode in ipairs({"incremental", "generational"}) do
  collectgarbage(mode)
  print(mode, churn(300000))
  collectgarbage("collect")
end

local weak = setmetatable({}, {__mode = "k"})
local strong = {}
for i = 1, 1000 do
  local key = {}
  weak[key] = i
  if i % 10 == 0 then strong[#strong + 1] = key end
end
collectgarbage("collect")
local left = 0
for _ in pairs(weak) do left = left + 1 end
print("weak keys left", left)

local finalized = {}
for i = 1, 100 do setmetatable({}, {__gc = function() finalized[#finalized + 1] = i end}) end
collectgarbage("collect")
collectgarbage("collect")
table.sort(finalized)
print("finalizers ran", #finalized, finalized[1], finalized[#finalized])

local weakv = setmetatable({}, {__mode = "v"})
weakv[1] = {}
weakv[2] = "strings are values"
collectgarbage("collect")
print("weak values", weakv[1], weakv[2])

local before = collectgarbage("count")
local garbage = {}
for i = 1, 100000 do garbage[i] = {i} end
garbage = nil
collectgarbage("collect")
print("memory returned", collectgarbage("count") < before + 1024)
print("step/isrunning", type(collectgarbage("step")), collectgarbage("isrunning"))
