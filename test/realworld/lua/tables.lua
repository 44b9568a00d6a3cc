-- Tables as arrays, hashes, sets and objects; rehashing, metatables, next/pairs order-free checks.
local n = 200000
local array = {}
for i = 1, n do array[i] = i * i end
local s = 0
for i = 1, #array do s = s + array[i] % 1000 end
print("array", #array, s)

local hash = {}
for i = 1, n do hash["k" .. i] = i end
local count, total = 0, 0
for k, v in pairs(hash) do count = count + 1; total = total + v end
print("hash", count, total)
for i = 1, n, 2 do hash["k" .. i] = nil end
count = 0
for _ in pairs(hash) do count = count + 1 end
print("after removing odd keys", count)

local mixed = {1, 2, 3, x = 1, [2.5] = "f", [true] = "b"}
print("mixed", #mixed, mixed.x, mixed[2.5], mixed[true])

local Vector = {}
Vector.__index = Vector
Vector.__add = function(a, b) return setmetatable({x = a.x + b.x, y = a.y + b.y}, Vector) end
Vector.__eq = function(a, b) return a.x == b.x and a.y == b.y end
Vector.__tostring = function(v) return "(" .. v.x .. ", " .. v.y .. ")" end
Vector.__len = function(v) return math.sqrt(v.x * v.x + v.y * v.y) end
function Vector.new(x, y) return setmetatable({x = x, y = y}, Vector) end
local acc = Vector.new(0, 0)
for i = 1, 50000 do acc = acc + Vector.new(i % 7, i % 11) end
print("vectors", tostring(acc), acc == Vector.new(acc.x, acc.y), #Vector.new(3, 4))

local defaults = setmetatable({}, {__index = function(_, k) return k * 2 end})
print("__index function", defaults[21])

local log = {}
local proxy = setmetatable({}, {__newindex = function(t, k, v) log[#log + 1] = k; rawset(t, k, v) end})
for i = 1, 5 do proxy[i] = i end
print("__newindex", table.concat(log, ","))

local list = {}
for i = 1, 1000 do table.insert(list, 1, i) end
for _ = 1, 500 do table.remove(list) end
print("insert/remove", #list, list[1], list[#list])
print("concat", table.concat({1, 2, 3, "x"}, "-"), select("#", table.unpack({1, nil, 3}, 1, 3)))
table.move(list, 1, 10, 491)
print("move", list[491], list[500])
