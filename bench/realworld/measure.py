#!/usr/bin/env python3
"""measure.py - what sp-cc costs the real programs of test/realworld: CPU time and .text size.

Uses the builds test/realworld/run.sh leaves in its cache (run it first, in the mode to measure): the
plain clang-19 -O2 build of each program and the sp-cc build in one poll mode. Times each program's
workload in rounds, running the plain and the instrumented build once each per round in a fresh
random order, so that the noise of a shared machine falls on both alike; reports the median CPU time
(user + system of the child, from wait4) and the ratio of the two medians. Sizes are the bytes of
the .text* sections (llvm-size -A) of each executable or library; the site table (sp_sites) is
listed apart. Only the Python standard library is used; nothing here asserts anything.

  sh test/realworld/run.sh && bench/realworld/measure.py               # thread-page, 7 rounds
  bench/realworld/measure.py --mode flag --rounds 11
"""

import argparse
import glob
import os
import random
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
LUA_SCRIPTS = sorted(glob.glob(os.path.join(REPO, "test", "realworld", "lua", "*.lua")))


def cache_dir():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.environ.get("SP_REALWORLD_CACHE") or os.path.join(base, "safepoint", "realworld")


def plain_build(cache, package):
    """The newest complete plain build of PACKAGE (run.sh keys them by version and check files)."""
    done = glob.glob(os.path.join(cache, "plain", package + "_*", "done"))
    if not done:
        sys.exit("measure.py: no plain build of %s in %s: run test/realworld/run.sh" % (package, cache))
    return os.path.join(os.path.dirname(max(done, key=os.path.getmtime)), "build")


def source_dir(cache, package):
    dirs = glob.glob(os.path.join(cache, "src", package + "_*"))
    return max(dirs, key=os.path.getmtime)


def cpu_seconds(argv, cwd, stdin_path=None, stdout_path=None):
    """Runs argv to completion; returns the child's user + system CPU time. Fails on a non-zero exit."""
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    stdout = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
    child = subprocess.Popen(argv, cwd=cwd, stdin=stdin, stdout=stdout, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    for f in (stdin, stdout):
        if f is not subprocess.DEVNULL:
            f.close()
    if status != 0:
        sys.exit("measure.py: %s failed (status %d)" % (" ".join(argv), status))
    return usage.ru_utime + usage.ru_stime


def text_bytes(path):
    """(.text* bytes, sp_sites bytes) of an executable or shared library."""
    out = subprocess.run(["llvm-size-19", "-A", path], check=True, capture_output=True, text=True).stdout
    text = sites = 0
    for line in out.splitlines():
        fields = line.split()
        if len(fields) >= 2 and fields[0].startswith(".text"):
            text += int(fields[1])
        elif len(fields) >= 2 and fields[0] == "sp_sites":
            sites += int(fields[1])
    return text, sites


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", default="thread-page")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    cache = cache_dir()
    plain = {p: plain_build(cache, p) for p in ("zlib", "sqlite3", "lua5.4")}
    instrumented = {p: os.path.join(cache, args.mode, p, "build") for p in plain}
    for p, d in instrumented.items():
        if not os.path.isdir(d):
            sys.exit("measure.py: no %s build of %s: run test/realworld/run.sh --mode %s" % (args.mode, p, args.mode))
    sqlite_src = source_dir(cache, "sqlite3")
    scratch = tempfile.mkdtemp(prefix="sp-realworld-measure-")

    # zlib's minigzip packs and unpacks SQLite's own sources (src/*.c), concatenated.
    text_input = os.path.join(scratch, "input.c")
    with open(text_input, "wb") as out:
        for name in sorted(glob.glob(os.path.join(sqlite_src, "src", "*.c"))):
            with open(name, "rb") as f:
                out.write(f.read())

    def zlib_workload(build):
        packed = os.path.join(scratch, "packed.gz")
        t = cpu_seconds([os.path.join(build, "minigzip"), "-6"], build, text_input, packed)
        return t + cpu_seconds([os.path.join(build, "minigzip"), "-d"], build, packed, os.devnull)

    fuzzdata = [os.path.join(sqlite_src, "test", "fuzzdata%d.db" % i) for i in (1, 5, 8)]

    def fuzzcheck_workload(build):
        return cpu_seconds([os.path.join(build, "fuzzcheck")] + fuzzdata, build)

    def lua_workload(interpreter):
        def run(build):
            lua_dir = os.path.join(REPO, "test", "realworld", "lua")
            return sum(cpu_seconds([os.path.join(build, interpreter), s], lua_dir) for s in LUA_SCRIPTS)
        return run

    workloads = [
        ("zlib minigzip -6, -d (%d MB of C)" % (os.path.getsize(text_input) >> 20), "zlib", zlib_workload),
        ("sqlite3 fuzzcheck fuzzdata1,5,8.db", "sqlite3", fuzzcheck_workload),
        ("lua (C) test/realworld/lua/*.lua", "lua5.4", lua_workload("lua")),
        ("lua (C++) test/realworld/lua/*.lua", "lua5.4", lua_workload("lua-c++")),
    ]
    times = {(name, variant): [] for name, _, _ in workloads for variant in ("plain", "sp")}
    for r in range(args.rounds):
        print("round %d/%d" % (r + 1, args.rounds), file=sys.stderr)
        for name, package, workload in workloads:
            order = [("plain", plain[package]), ("sp", instrumented[package])]
            random.shuffle(order)
            for variant, build in order:
                times[(name, variant)].append(workload(build))

    print("CPU time, median of %d interleaved rounds (sp-cc -mllvm -sp-poll=%s against clang-19; -O2 both)\n"
          % (args.rounds, args.mode))
    print("| workload | plain | sp-cc | ratio |")
    print("|---|---|---|---|")
    for name, _, _ in workloads:
        p = statistics.median(times[(name, "plain")])
        s = statistics.median(times[(name, "sp")])
        print("| %s | %.3f s | %.3f s | %.3f |" % (name, p, s, s / p))

    print("\n.text bytes (sp_sites, the site table, apart)\n")
    print("| program | calls sp_main | plain | sp-cc | ratio | sp_sites |")
    print("|---|---|---|---|---|---|")
    zlib_lib = os.path.basename(sorted(glob.glob(os.path.join(plain["zlib"], "libz.so.*.*")))[-1])
    programs = [
        ("zlib", "minigzip", "minigzip", "no"), ("zlib", "example", "example", "no"),
        ("zlib", zlib_lib, zlib_lib, "no (library)"),
        ("sqlite3", "fuzzcheck", "fuzzcheck", "no"), ("sqlite3", "sessionfuzz", "sessionfuzz", "no"),
        ("lua5.4", "lua", "lua", "no"), ("lua5.4", "lua-c++", "lua-c++", "no"),
        ("lua5.4", "lua", "sp-lua", "yes (sp_lua.c)"), ("lua5.4", "lua-c++", "sp-lua-c++", "yes (sp_lua.c)"),
    ]
    for package, plain_name, sp_name, starts in programs:
        p, _ = text_bytes(os.path.join(plain[package], plain_name))
        s, sites = text_bytes(os.path.join(instrumented[package], sp_name))
        label = sp_name if plain_name == sp_name else "%s (plain: %s)" % (sp_name, plain_name)
        print("| %s %s | %s | %d | %d | %.2f | %d |" % (package, label, starts, p, s, s / p, sites))


if __name__ == "__main__":
    main()
