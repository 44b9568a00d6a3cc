-- closures.lua N: closures and upvalues, method calls through metatables, coroutines resumed and
-- yielding (each resume is a C call into the interpreter again).
local n = tonumber(arg[1]) or 10

local function counter(step)
  local value = 0
  return function() value = value + step; return value end
end

local Account = {}
Account.__index = Account
function Account.new(balance) return setmetatable({balance = balance}, Account) end
function Account:deposit(v) self.balance = self.balance + v end
function Account:withdraw(v) if v <= self.balance then self.balance = self.balance - v end end

local function range(limit)
  return coroutine.wrap(function() for i = 1, limit do coroutine.yield(i) end end)
end

local function compose(f, g) return function(x) return f(g(x)) end end

local checksum = 0
for round = 1, n do
  local counters = {}
  for i = 1, 200 do counters[i] = counter(i) end
  for _ = 1, 50 do
    for i = 1, #counters do checksum = checksum + counters[i]() end
  end

  local account = Account.new(round)
  for i = 1, 20000 do
    account:deposit(i % 10)
    account:withdraw(i % 7)
  end
  checksum = checksum + account.balance

  for v in range(20000) do checksum = checksum + v % 3 end

  local inc = function(x) return x + 1 end
  local f = compose(inc, compose(inc, inc))
  local x = 0
  for _ = 1, 20000 do x = f(x) end
  checksum = (checksum + x) % 1000000007
end
print(string.format("closures n=%d checksum=%d", n, checksum))
