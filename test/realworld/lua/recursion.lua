-- Deep and mutual recursion, tail calls, varargs: the interpreter's call paths.
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print("fib(27)", fib(27))

local function ackermann(m, n)
  if m == 0 then return n + 1 end
  if n == 0 then return ackermann(m - 1, 1) end
  return ackermann(m - 1, ackermann(m, n - 1))
end
print("ackermann(2, 300)", ackermann(2, 300))

local is_even, is_odd
function is_even(n) if n == 0 then return true end return is_odd(n - 1) end
function is_odd(n) if n == 0 then return false end return is_even(n - 1) end
print("is_even(100001) (tail calls)", is_even(100001))

local function count_down(n, acc) if n == 0 then return acc end return count_down(n - 1, acc + n) end
print("tail-recursive sum", count_down(1000000, 0))

local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
print("depth 150000", depth(150000))

local function sum(...)
  local s = 0
  for i = 1, select("#", ...) do s = s + select(i, ...) end
  return s
end
print("varargs", sum(table.unpack((function() local t = {} for i = 1, 200 do t[i] = i end return t end)())))

-- Recursion through the C API: table.sort calls back into Lua for every comparison.
local t = {}
for i = 1, 20000 do t[i] = (i * 7919) % 20011 end
table.sort(t, function(a, b) return a > b end)
print("sorted", t[1], t[10000], t[20000])
