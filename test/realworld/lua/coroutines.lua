-- Coroutines: generators, ping-pong, wrap, errors inside coroutines, yields across pcall.
local function gen(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end)
end
local s = 0
for v in gen(100000) do s = s + v end
print("generator sum", s)

local ping = coroutine.create(function(x)
  for _ = 1, 50000 do x = coroutine.yield(x + 1) end
  return "done", x
end)
local ok, v = coroutine.resume(ping, 0)
while coroutine.status(ping) ~= "dead" do ok, v = coroutine.resume(ping, v) end
print("ping-pong", ok, v)

-- Many live coroutines, resumed round-robin.
local cos = {}
for i = 1, 200 do
  cos[i] = coroutine.create(function() local acc = 0 for j = 1, 100 do acc = acc + i * j; coroutine.yield() end return acc end)
end
local finished, total = 0, 0
while finished < #cos do
  for i = 1, #cos do
    if coroutine.status(cos[i]) == "suspended" then
      local _, r = coroutine.resume(cos[i])
      if coroutine.status(cos[i]) == "dead" then finished = finished + 1; total = total + r end
    end
  end
end
print("round-robin", finished, total)

local bad = coroutine.create(function() coroutine.yield(1); error("inside coroutine") end)
print("error in coroutine", coroutine.resume(bad))
print("", (select(2, coroutine.resume(bad)):gsub("^.-:%d+: ", "")))
print("status after error", coroutine.status(bad), coroutine.resume(bad))

local yielder = coroutine.wrap(function()
  local ok2, err = pcall(function() coroutine.yield("from inside pcall"); error("after yield") end)
  coroutine.yield(ok2, (err:gsub("^.-:%d+: ", "")))
  return "end"
end)
print("yield across pcall", yielder())
print("", yielder())
print("", yielder())
print("isyieldable", coroutine.isyieldable(), type(coroutine.running()), select(2, coroutine.running()))
local closed = coroutine.create(function() coroutine.yield() end)
coroutine.resume(closed)
print("close", coroutine.close(closed), coroutine.status(closed))
