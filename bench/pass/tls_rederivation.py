#!/usr/bin/env python3
"""tls_rederivation.py - what re-deriving thread-local addresses after switch points costs.

The pass re-derives every thread-local address (errno's, a `thread_local`'s) that is live across a
poll or a call, so a green thread that migrated reaches its new OS thread's copy
(plugin/ThreadLocalAddresses.cpp). This builds the same programs three ways - plain clang -O2, the
pass in its default mode, and the pass with `-mllvm -sp-rederive-tls=0` (re-derivation off, for
this measurement only) - and reports, per program: the calls to a C library thread-local accessor
(`__errno_location` and its kind) and to `__tls_get_addr` in the linked code, the size of .text,
instructions executed (valgrind's cachegrind: exact whatever the machine's load), and CPU time
(medians of interleaved runs: the load of a shared machine falls on every variant alike). Every
variant must print the same output. Nothing here asserts a number.

Programs: zlib and bzip2 as bench/pass/run.py builds them (Debian sources, fetched with apt-get
source into the work directory), and Lua 5.4's interpreter running scripts of test/realworld/lua
(the Debian source tree test/realworld/run.sh unpacks: --lua-src), and a Lua loop of
string.lower and string.upper over a 900 KB string ("lua case").

  bench/pass/tls_rederivation.py --lua-src ~/.cache/safepoint/realworld/src/lua5.4_*/src
"""

import argparse
import os
import random
import re
import shlex
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as bench  # noqa: E402 (bench/pass/run.py: building, running, inputs)

LUA_CORE = ["lapi", "lcode", "lctype", "ldebug", "ldo", "ldump", "lfunc", "lgc", "llex", "lmem",
            "lobject", "lopcodes", "lparser", "lstate", "lstring", "ltable", "ltm", "lundump", "lvm",
            "lzio", "lauxlib", "lbaselib", "lcorolib", "ldblib", "liolib", "lmathlib", "loadlib",
            "loslib", "lstrlib", "ltablib", "lutf8lib", "linit", "lua"]
LUA_SCRIPTS = ["tables", "gc", "strings", "errors", "recursion"]
# The worst case found: string.lower/upper call tolower/toupper per character in a loop with a poll,
# so glibc's `const` __ctype_tolower_loc, hoisted out of the loop by clang, is called again each time.
LUA_CASE = """local s = string.rep("Hello, World! 123 ", 50000)
local n = 0
for _ = 1, 20 do n = n + #s:lower() + #s:upper() end
print(n)
"""
TLS_CALL = re.compile(r"call\s.*<(__errno_location|__h_errno_location|__ctype_\w+_loc|__tls_get_addr)")


def variants(plugin):
    load = [f"-fplugin={plugin}", f"-fpass-plugin={plugin}"]
    return {"baseline": [], "rederive": load, "no-rederive": load + ["-mllvm", "-sp-rederive-tls=0"]}


def build_lua(builder, lua_src, workdir):
    inc = os.path.join(workdir, "lua-include")
    os.makedirs(inc, exist_ok=True)
    # Debian's luaconf.h includes the multiarch header its rules generate (test/realworld/lua.mk).
    with open(os.path.join(inc, "lua5.4-deb-multiarch.h"), "w") as f:
        f.write('#define DEB_HOST_MULTIARCH "x86_64-linux-gnu"\n')
    flags = ["-I", inc, "-DLUA_COMPAT_5_3", "-DLUA_USE_LINUX", "-w"]
    units = [(os.path.join(lua_src, f"{u}.c"), u, flags) for u in LUA_CORE]
    scripts = os.path.join(bench.REPO, "test", "realworld", "lua")
    case = os.path.join(workdir, "case.lua")
    with open(case, "w") as f:
        f.write(LUA_CASE)

    def link(variant, objects):
        exes = builder.link_layouts(list(objects.values()), os.path.join(builder.objdir(variant), "lua"),
                                    ["-lm", "-ldl"])
        for s in LUA_SCRIPTS:
            script = os.path.join(scripts, f"{s}.lua")
            builder.binaries[(f"lua {s}", variant)] = [[exe, script] for exe in exes]
        builder.binaries[("lua case", variant)] = [[exe, case] for exe in exes]

    builder.build_suite("lua", units, 1, link)


def tls_calls(exe):
    out = bench.check(["objdump", "-d", "--no-show-raw-insn", exe])[0].stdout
    return sum(1 for line in out.splitlines() if TLS_CALL.search(line))


def text_size(exe):
    out = bench.check(["size", "-A", exe])[0].stdout
    return sum(int(p[1]) for p in (line.split() for line in out.splitlines())
               if len(p) >= 2 and p[0] == ".text" and p[1].isdigit())


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", default=os.path.join(bench.REPO, "build"))
    p.add_argument("--lua-src", required=True, help="Lua 5.4's src/ directory (Debian source tree)")
    p.add_argument("--workdir", default=os.path.join(os.environ.get("TMPDIR", "/tmp"),
                                                     "safepoint-bench-tls"))
    p.add_argument("--rounds", type=int, default=11)
    p.add_argument("--zlib-mb", type=int, default=16)
    p.add_argument("--bzip2-mb", type=int, default=4)
    p.add_argument("--clang", default="clang-19")
    p.add_argument("--opt", default="opt-19")
    p.add_argument("--jobs", type=int, default=2, help="compilers run at once")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    args.plugin = os.path.abspath(os.path.join(args.build, "lib", "SafepointPlugin.so"))
    random.seed(args.seed)
    workdir = os.path.abspath(args.workdir)
    os.makedirs(workdir, exist_ok=True)

    args.variants = []  # none of run.py's own: this script builds its three
    args.layouts = 1  # each program linked as it is (run.py's --layouts)
    builder = bench.Builder(args, workdir)
    builder.variants = variants(args.plugin)
    zsrc = bench.fetch_debian_source("zlib", workdir, "zlib-*")
    bsrc = bench.fetch_debian_source("bzip2", workdir, "bzip2-*")
    zin = os.path.join(workdir, f"input-{args.zlib_mb}M.txt")
    bin_ = os.path.join(workdir, f"input-{args.bzip2_mb}M.txt")
    bench.generate_input(zin, args.zlib_mb)
    bench.generate_input(bin_, args.bzip2_mb)
    bench.log("building zlib, bzip2 and Lua, three variants each")
    programs = os.path.join(bench.HERE, "programs")
    builder.build_program("zlib", zsrc, bench.ZLIB_SOURCES, bench.ZLIB_DEFINES,
                          os.path.join(programs, "zlib_roundtrip.c"), 1, {"zlib": [zin]})
    builder.build_program("bzip2", bsrc, bench.BZIP2_SOURCES, bench.BZIP2_DEFINES,
                          os.path.join(programs, "bzip2_roundtrip.c"), 1, {"bzip2": [bin_]})
    build_lua(builder, os.path.abspath(args.lua_src), workdir)
    binaries = builder.binaries

    bench.log("checking that every variant prints the same")
    bench.verify(binaries)
    small = {"zlib": [bench.generate_small_input(workdir, zin, 4)],
             "bzip2": [bench.generate_small_input(workdir, bin_, 1)]}
    small.update({b: binaries[(b, "baseline")][0][1:] for b, _ in binaries if b.startswith("lua ")})
    bench.log("counting instructions under valgrind")
    counts = bench.count_instructions(binaries, small)
    bench.log(f"timing, {args.rounds} rounds")
    _, cpu, load = bench.measure(binaries, args.rounds)

    names = sorted({b for b, _ in binaries}, key=lambda b: (b.startswith("lua"), b))
    print(f"command: {shlex.join(['bench/pass/tls_rederivation.py'] + sys.argv[1:])}")
    print(f"load average over the rounds: {min(load):.1f} to {max(load):.1f}")
    print("| program | TLS accessor calls, re-derive / off | .text, re-derive / off | instructions, "
          "re-derive / off | instructions, re-derive / plain | CPU s, plain / re-derive / off |")
    print("|---|---|---|---|---|---|")
    for b in names:
        exe = {v: binaries[(b, v)][0][0] for v in builder.variants}
        calls = f"{tls_calls(exe['rederive'])} / {tls_calls(exe['no-rederive'])}"
        text = f"{text_size(exe['rederive']) / text_size(exe['no-rederive']):.4f}"
        i_on, i_off, i_plain = (counts[(b, v)] for v in ("rederive", "no-rederive", "baseline"))
        med = [bench.median_time(cpu, (b, v)) for v in ("baseline", "rederive", "no-rederive")]
        print(f"| {b} | {calls} | {text} | {i_on / i_off:.5f} ({i_on - i_off:+d}) | {i_on / i_plain:.4f} "
              f"| {med[0]:.3f} / {med[1]:.3f} / {med[2]:.3f} |")


if __name__ == "__main__":
    main()
