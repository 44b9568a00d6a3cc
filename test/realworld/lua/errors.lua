-- pcall/error unwind through many interpreter and C frames (longjmp in the C build, C++ exceptions
-- in the C++ build): nested handlers, error objects, metamethod errors, stack overflow.
local function strip(msg) return (tostring(msg):gsub("^.-:%d+: ", "")) end

local function thrower(depth) if depth == 0 then error("deep error") end return thrower(depth - 1) + 1 end
local caught = 0
for i = 1, 20000 do
  local ok, err = pcall(thrower, i % 50)
  if not ok and strip(err) == "deep error" then caught = caught + 1 end
end
print("caught", caught)

print("error object", select(2, pcall(error, {code = 42})).code)
print("error level 2", strip(select(2, pcall(function() local function f() error("lvl", 2) end f() end))))
print("nested", pcall(function()
  local ok, err = pcall(error, "inner")
  error("outer after " .. tostring(err), 0)
end))
print("xpcall", xpcall(function() return nil + 1 end, function(m) return "handled: " .. strip(m) end))
print("tostring error", pcall(tostring, setmetatable({}, {__tostring = function() error("no string", 0) end})))
print("arith metamethod", strip(select(2, pcall(function() return setmetatable({}, {__add = function() error("add failed", 0) end}) + 1 end))))
print("bad call", strip(select(2, pcall(function() local x; x() end))))
print("error in sort comparator", strip(select(2, pcall(table.sort, {3, 2, 1}, function() error("cmp", 0) end))))
print("string.rep too large", pcall(string.rep, "x", -1))

local function overflow(n) return 1 + overflow(n + 1) end
local ok, err = pcall(overflow, 1)
print("stack overflow", ok, strip(err):match("stack overflow") ~= nil)
local function c_overflow() return tostring(setmetatable({}, {__tostring = c_overflow})) end
ok, err = pcall(c_overflow)
print("C stack overflow", ok, tostring(err):match("stack overflow") ~= nil)

-- to-be-closed variables run their __close on error, then the error continues.
local closed = {}
ok, err = pcall(function()
  local a <close> = setmetatable({}, {__close = function() closed[#closed + 1] = "a" end})
  local b <close> = setmetatable({}, {__close = function(_, e) closed[#closed + 1] = "b:" .. strip(e) end})
  error("boom")
end)
print("close on error", ok, strip(err), table.concat(closed, ","))
print("assert", pcall(assert, false, "assertion message"))
print("error(nil)", pcall(error))
