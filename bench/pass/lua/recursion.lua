-- recursion.lua N: calls and returns, the interpreter's costliest path for polls (every Lua call
-- runs luaV_execute's call sequence; fib and ackermann do little else). Prints a checksum.
local n = tonumber(arg[1]) or 10

local function fib(k) if k < 2 then return k end return fib(k - 1) + fib(k - 2) end

local function ackermann(m, k)
  if m == 0 then return k + 1 end
  if k == 0 then return ackermann(m - 1, 1) end
  return ackermann(m - 1, ackermann(m, k - 1))
end

local is_odd
local function is_even(k) if k == 0 then return true end return is_odd(k - 1) end
function is_odd(k) if k == 0 then return false end return is_even(k - 1) end

local function sum(...)
  local s = 0
  for i = 1, select("#", ...) do s = s + select(i, ...) end
  return s
end

local checksum = 0
for round = 1, n do
  checksum = checksum + fib(20 + round % 3)
  checksum = checksum + ackermann(2, 50 + round % 7)
  checksum = checksum + (is_even(10000 + round) and 1 or 2)
  checksum = checksum + sum(round, 2, 3, 4, 5, 6, 7, 8)
end
print(string.format("recursion n=%d checksum=%d", n, checksum))
