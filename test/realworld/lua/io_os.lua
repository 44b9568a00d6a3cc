-- io and os: files, seeking, line iteration, formatted reads, temporary names, time and environment.
local name = os.tmpname()
local f = assert(io.open(name, "w"))
for i = 1, 20000 do f:write(i, " ", i * 0.5, " line ", i, "\n") end
f:close()

local lines, sum = 0, 0
for line in io.lines(name) do
  lines = lines + 1
  sum = sum + tonumber(line:match("^(%d+)"))
end
print("lines", lines, sum)

f = assert(io.open(name, "r"))
local a, b = f:read("n", "n")
print("read numbers", a, b)
print("seek", f:seek("end") > 0, f:seek("set", 2), f:read(5))
f:close()

f = assert(io.open(name, "a+"))
f:write("appended\n")
f:seek("set")
local all = f:read("a")
f:close()
print("append", #all, all:sub(-9))

local renamed = name .. ".renamed"
print("rename", os.rename(name, renamed), io.open(name) == nil)
print("remove", os.remove(renamed), select(2, os.remove(renamed)) ~= nil)

local tmp = io.tmpfile()
tmp:write(string.rep("x", 100000))
tmp:seek("set", 99990)
print("tmpfile", tmp:read("a"))
tmp:close()
print("closed file", io.type(tmp), io.type(io.stdout), pcall(tmp.read, tmp))

local t = os.time({year = 2024, month = 2, day = 29, hour = 12})
print("date", os.date("!%Y-%m-%d", t + 86400 * 366 - 12 * 3600 + 43200), os.date("*t", t).yday)
print("time types", math.type(os.time()), type(os.clock()), os.difftime(t + 60, t))
print("env", os.getenv("SP_REALWORLD_MARK"), os.getenv("SP_REALWORLD_UNSET_VARIABLE"))
local p = io.popen("echo from a child process")
print("popen", p:read("l"), p:close())
print("execute", os.execute("exit 3"))
io.write("io.write", " ", 1, " ", 2.5, "\n")
io.stderr:write("")
