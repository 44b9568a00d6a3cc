-- String building, patterns, formatting, UTF-8 and packing.
local parts = {}
for i = 1, 50000 do parts[#parts + 1] = string.format("%05d:%x;", i, i * 31) end
local big = table.concat(parts)
print("length", #big)
local digits = 0
for d in big:gmatch("%d") do digits = digits + 1 end
print("digits", digits)
print("gsub", select(2, big:gsub("0", "")))
print("find", big:find("12345:", 1, true), big:find("(%d+):1f;"))
print("match", ("key = value # comment"):match("^(%w+)%s*=%s*(%w+)"))
print("rep/sub/upper", ("ab"):rep(5, ","), ("Hello, World"):sub(-5):upper(), ("x"):byte(), string.char(72, 105))
print("format", string.format("%q|%5.2f|%-6s|%+d|%g", "a\n\"b\"", math.pi, "ok", 42, 1e20))
print("tostring/tonumber", tostring(1 / 3), tonumber("0x1p4"), tonumber("  12  "), tonumber("z", 36), math.type(3 // 1))
local s = "añb€c𝄞"
local codes = {}
for _, c in utf8.codes(s) do codes[#codes + 1] = c end
print("utf8", utf8.len(s), table.concat(codes, " "), utf8.char(8364, 119070) == "€𝄞")
local packed = string.pack("<i4 d s2 z", -7, 2.5, "hey", "zero")
print("pack", #packed, string.unpack("<i4 d s2 z", packed))
local words = {}
for w in ("the quick brown fox jumps over the lazy dog"):gmatch("%a+") do words[#words + 1] = w:reverse() end
print("reverse", table.concat(words, " "))
local h = 0
for i = 1, #big, 7 do h = (h * 31 + big:byte(i)) % 4294967296 end
print("hash", h)
