#!/usr/bin/env python3
"""run.py - what the safepoint pass costs: run time, code size and compile time, per poll mode.

Builds every kernel in kernels/ and three real programs from Debian source packages (zlib, bzip2
and the Lua 5.4 interpreter running the scripts in lua/, fetched with `apt-get source` into a scratch
directory) once per variant: plain clang -O2, the plugin in each mode, the default mode with epilogue
polls switched on or entry checks off so the cost can be attributed, and LLVM's own PlaceSafepoints pass
as a peer (place_safepoints.py). Every variant must print the same checksum as the baseline. Then it
times all of them in rounds, visiting the variants of each benchmark in a fresh random order every
round, so that the noise of a shared machine falls on all of them alike, and reports medians as
ratios to the baseline measured in the same rounds. SQLite's amalgamation, driven by
programs/sqlite_workload.c, is built for four variants only (its one unit is 25 s of CPU to compile).

Code layouts (--layouts N): where the hot code falls relative to 64-byte lines can change a program's
run time by more than its polls do (interp's plain build runs 1.46 times as long with its code 48
bytes further on). So every timed program, baseline included, can be linked N times, its code
shifted by 0, 16, ..., 16 (N-1) bytes (class Layouts), every round timing every layout; a
benchmark's ratio is then the median over the layouts of its ratio to the baseline in the same
layout. The default, one layout, links the programs as they are.

The code-size suite: the C sources of libz, liblzma, libzstd and libjq (Debian's zlib, xz-utils,
libzstd and jq source packages), compiled only, once per variant, their objects' .text reported per
library with the site table (sp_sites) apart: the library code size issue 11 sets a goal for.

The other side of the trade: every variant is linked once more with the runtime (tts_main.c runs the
benchmark's main as a green thread, preempted every quantum) and run once; the runtime's p99 time
from a preemption request to the stop is reported per benchmark and variant, must come with the
baseline's output, and is plotted against the run-time overhead (plot_overhead_tts.gp, gnuplot).

Two experiments ride along:
  early-vs-late  opt -passes='default<O2>,safepoint' (late, what clang does with the plugin) against
                 'safepoint,default<O2>' (early), with the loop vectorizer's remarks counted.
  stack-check    the pass's IR-level entry check against clang's -fsplit-stack prologue (libgcc's
                 __morestack) on the call-heavy kernel.
  strip-mining   vec and matmul with their hot loops cut by hand into chunks of 256 iterations,
                 which the pass leaves unpolled: what strip mining in the pass would buy.

Only the Python standard library is used. Nothing here asserts a timing: it reports numbers.

  bench/pass/run.py --build build            # full run: 11 rounds, 3 compile repetitions
  bench/pass/run.py --build build --quick    # everything, 3 rounds, 1 compile (50 min, busy 2 cores)
  bench/pass/run.py --build build --smoke    # kernels, small inputs, 1 round: about 20 s of CPU
  bench/pass/run.py --build build --variants thread-page,place-safepoints --benchmarks interp,libz
"""

import argparse
import concurrent.futures
import functools
import glob
import json
import math
import os
import random
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import place_safepoints  # noqa: E402 (beside this script)

KERNELS = {  # name -> arguments giving roughly half a second of baseline run time here
    "vec": ["4096", "200000"],
    "hash": ["65536", "6000"],
    "list": ["16384", "6000"],
    "fib": ["41"],
    "matmul": ["256", "120"],
    "interp": ["200000"],
}

# Smaller runs of the same kernels for counting instructions under valgrind (deterministic, ~40x slower).
KERNELS_COUNTED = {
    "vec": ["4096", "20000"],
    "hash": ["65536", "600"],
    "list": ["16384", "600"],
    "fib": ["33"],
    "matmul": ["256", "12"],
    "interp": ["20000"],
}

ZLIB_SOURCES = ["adler32", "compress", "crc32", "deflate", "gzclose", "gzlib", "gzread", "gzwrite",
                "infback", "inffast", "inflate", "inftrees", "trees", "uncompr", "zutil"]
# What zlib's configure and bzip2's Makefile add on Linux (their -O3 / -O2 -g give way to ours).
ZLIB_DEFINES = ["-D_LARGEFILE64_SOURCE=1", "-DHAVE_HIDDEN", "-DZ_HAVE_UNISTD_H"]
BZIP2_DEFINES = ["-D_FILE_OFFSET_BITS=64"]
BZIP2_SOURCES = ["blocksort", "huffman", "crctable", "randtable", "compress", "decompress", "bzlib"]
# Lua 5.4's core and standard libraries; lua.c (the stand-alone interpreter) is the driver. The
# defines are Debian's (test/realworld/lua.mk).
LUA_SOURCES = ["lapi", "lcode", "lctype", "ldebug", "ldo", "ldump", "lfunc", "lgc", "llex", "lmem",
               "lobject", "lopcodes", "lparser", "lstate", "lstring", "ltable", "ltm", "lundump",
               "lvm", "lzio", "lauxlib", "lbaselib", "lcorolib", "ldblib", "liolib", "lmathlib",
               "loadlib", "loslib", "lstrlib", "ltablib", "lutf8lib", "linit"]
LUA_DEFINES = ["-DLUA_COMPAT_5_3", "-DLUA_USE_LINUX"]
# script in lua/ -> its argument (rounds) for about half a second of baseline run time here; a
# tenth under valgrind.
LUA_SCRIPTS = {"recursion": 500, "tables": 25, "strings": 60, "closures": 80}

# SQLite: its amalgamation, one unit of 243,646 lines (about 25 s of CPU for one clang -O2 -c here),
# built once and for these variants only (about 2.5 minutes of CPU in all); programs/sqlite_workload.c
# drives it.
SQLITE_VARIANTS = ["baseline", "baseline-again", "thread-page", "place-safepoints", "tp-entry-margin",
                   "tp-chunked"]
SQLITE_ROUNDS = 15  # for about half a second of baseline run time here; 2 under valgrind

# The code-size suite (issue 11: library .text growth, the site table counted apart): the C sources of
# these libraries from Debian's source packages, compiled only (nothing linked or run), once per variant.
LIBRARIES = ["libz", "liblzma", "libzstd", "libjq"]
# --smoke builds only these (libz's smallest) when --benchmarks asks for libz: the suite works, fast.
SMOKE_LIBZ_SOURCES = ["adler32", "compress", "crc32", "inffast", "inftrees", "uncompr", "zutil"]
# libjq (jq 1.6 ships no configure script, and autoreconf is not a dependency): its Makefile.am's
# LIBJQ_SRC plus the lexer and parser it generates (pregenerated in the tarball), and the defines its
# configure finds on Debian 12 (glibc 2.36): every function it checks for but pow10 (gone since glibc
# 2.27). Without Oniguruma (libonig-dev, not a dependency): the regex builtins are left out, as jq
# builds when the library is missing.
JQ_SOURCES = ["builtin", "bytecode", "compile", "execute", "jq_test", "jv", "jv_alloc", "jv_aux",
              "jv_dtoa", "jv_file", "jv_parse", "jv_print", "jv_unicode", "linker", "locfile", "util",
              "lexer", "parser"]
JQ_MATH = ("acos acosh asin asinh atan2 atan atanh cbrt ceil copysign cos cosh drem erf erfc exp10 exp2 "
           "exp expm1 fabs fdim floor fma fmax fmin fmod frexp gamma hypot j0 j1 jn ldexp lgamma log10 "
           "log1p log2 log logb modf lgamma_r nearbyint nextafter nexttoward pow remainder rint round "
           "scalb scalbln significand sin sinh sqrt tan tanh tgamma trunc y0 y1 yn").split()
JQ_DEFINES = [f"-DHAVE_{f.upper()}" for f in
              ["memmem", "mkstemp", "alloca", "alloca_h", "isatty", "strptime", "strftime", "timegm",
               "gmtime_r", "gmtime", "localtime_r", "localtime", "gettimeofday", "tm_tm_gmt_off",
               "arc4random", "getentropy", "pthread_once", "__thread"] + JQ_MATH] + ["-DIEEE_8087"]
# The CMake targets of the other two (each ships a CMake build: configured once, never built), whose
# compile commands give the sources and defines: (package, CMake source directory, target, options).
CMAKE_LIBRARIES = {
    "liblzma": ("xz-utils", ".", "liblzma", []),
    "libzstd": ("libzstd", "build/cmake", "libzstd_shared",
                ["-DZSTD_BUILD_PROGRAMS=OFF", "-DZSTD_BUILD_STATIC=OFF", "-DZSTD_BUILD_TESTS=OFF"]),
}

# Built only when --variants names them: experiments with hidden options, kept out of every
# default run (and of the smoke test's time).
OPT_IN_VARIANTS = {"tp-entry-margin", "tp-chunked"}

# The variants the Safepoint pass does not build: a pipeline of their own (Builder.compile).
PLACE_SAFEPOINTS = "place-safepoints"


def variants(plugin):
    """Variant name -> extra clang arguments (None: baseline). Order is the table's column order."""
    load = [f"-fplugin={plugin}", f"-fpass-plugin={plugin}"]

    def mllvm(*opts):
        return [a for o in opts for a in ("-mllvm", o)]

    return {
        "baseline": [],
        "baseline-again": [],  # the same flags built and timed again: the noise floor (A/A)
        "thread-page": load,
        "global-page": load + mllvm("-sp-poll=global-page"),
        "flag": load + mllvm("-sp-poll=flag"),
        "call": load + mllvm("-sp-poll=call"),
        "tp-epilogue": load + mllvm("-sp-epilogue-polls=1"),
        "tp-no-entry": load + mllvm("-sp-entry-checks=0"),
        # Entry compares wherever uninstrumented code may be reached, as with a one-page guard.
        "tp-entry-margin": load + mllvm("-sp-entry-stack-margin=1"),
        # Loops of bounded work as the page modes polled them before 2026-12-01: strip-mined up to a
        # body of 20 instructions, counted down at any length.
        "tp-chunked": load + mllvm("-sp-strip-mining-max-body=20", "-sp-counter-max-body=4294967295"),
        "tp-loops-only": load + mllvm("-sp-epilogue-polls=0", "-sp-entry-checks=0"),
        PLACE_SAFEPOINTS: [],  # LLVM's pass, with the flag mode's poll: see place_safepoints.py
    }


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def run(cmd, cwd=None):
    """Runs cmd; returns (CompletedProcess, CPU seconds of the child: user + system).

    The CPU time comes from wait4's rusage (microseconds) rather than os.times() (10 ms ticks, too
    coarse for 1% of half a second)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=cwd)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        proc = subprocess.CompletedProcess(cmd, child.returncode, out.read().decode(errors="replace"),
                                           err.read().decode(errors="replace"))
    return proc, usage.ru_utime + usage.ru_stime


def check(cmd, cwd=None):
    proc, cpu = run(cmd, cwd=cwd)
    if proc.returncode != 0:
        sys.exit(f"command failed ({proc.returncode}): {shlex.join(cmd)}\n{proc.stdout}{proc.stderr}")
    return proc, cpu


def section_sizes(path):
    """(bytes of .text*, bytes of sp_sites) in an object file, from `size -A`."""
    out = check(["size", "-A", path])[0].stdout
    text = sites = 0
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1].isdigit():
            if parts[0] == ".text" or parts[0].startswith(".text."):
                text += int(parts[1])
            elif parts[0] == "sp_sites":
                sites += int(parts[1])
    return text, sites


def symbol_address(path, name):
    """The address of a defined symbol in an executable, from `nm`."""
    for line in check(["nm", "--defined-only", path])[0].stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == name:
            return int(parts[0], 16)
    sys.exit(f"{path}: no symbol {name}")


def geomean(values):
    values = [v for v in values if v and v > 0]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


# ---------------------------------------------------------------------------------------------------
# Sources and inputs


def fetch_debian_source(package, sources, pattern):
    """Unpacks Debian's source package into the directory sources once; returns its directory.

    When the candidate version cannot be downloaded (a security update whose archive the mirror does
    not serve, say), the next older version apt knows is tried, and so on."""
    os.makedirs(sources, exist_ok=True)

    def unpacked():
        return [d for d in sorted(glob.glob(os.path.join(sources, pattern))) if os.path.isdir(d)]

    if not unpacked():
        versions = re.findall(r"^Version: (\S+)$", run(["apt-cache", "showsrc", package])[0].stdout, re.M)
        versions.sort(key=functools.cmp_to_key(debian_version_cmp), reverse=True)
        errors = ""
        for spec in [package] + [f"{package}={v}" for v in versions[1:]]:
            log(f"apt-get source {spec} (into {sources})")
            proc, _ = run(["apt-get", "source", spec], cwd=sources)
            if proc.returncode == 0 and unpacked():
                break
            errors += proc.stderr
        else:
            sys.exit(f"`apt-get source {package}` failed. It needs dpkg-dev and a deb-src entry in "
                     f"/etc/apt/sources.list.d (then apt-get update).\n{errors}")
    return unpacked()[-1]


def debian_version_cmp(a, b):
    """Debian's version order (dpkg --compare-versions)."""
    if a == b:
        return 0
    return -1 if run(["dpkg", "--compare-versions", a, "lt", b])[0].returncode == 0 else 1


def lua_config_dir(workdir):
    """Debian's luaconf.h includes a header its build generates, naming the multiarch triplet."""
    d = os.path.join(workdir, "lua-config")
    os.makedirs(d, exist_ok=True)
    proc, _ = run(["dpkg-architecture", "-qDEB_HOST_MULTIARCH"])
    triplet = proc.stdout.strip() if proc.returncode == 0 else "x86_64-linux-gnu"
    with open(os.path.join(d, "lua5.4-deb-multiarch.h"), "w") as f:
        f.write(f'#define DEB_HOST_MULTIARCH "{triplet}"\n')
    return d


def generate_small_input(workdir, big, megabytes):
    """The first megabytes of a generated input, for runs under valgrind."""
    path = os.path.join(workdir, f"input-{megabytes}M-prefix.txt")
    with open(big, "rb") as src, open(path, "wb") as dst:
        dst.write(src.read(megabytes << 20))
    return path


def generate_input(path, megabytes):
    """Deterministic text-like data: Zipf-distributed words from a made-up vocabulary, with numbers."""
    if os.path.exists(path) and os.path.getsize(path) == megabytes << 20:
        return
    rng = random.Random(20250520)
    letters = "etaoinshrdlcumwfgypbvkjxqz"
    weights = [12.7, 9.1, 8.2, 7.5, 7.0, 6.7, 6.3, 6.1, 6.0, 4.3, 4.0, 2.8, 2.8, 2.4, 2.4, 2.2, 2.0,
               2.0, 1.9, 1.5, 1.0, 0.8, 0.2, 0.2, 0.1, 0.1]
    vocab = sorted({"".join(rng.choices(letters, weights, k=rng.randint(1, 10))) for _ in range(6000)})
    rng.shuffle(vocab)
    cum, total = [], 0.0
    for rank in range(len(vocab)):
        total += 1.0 / (rank + 1)
        cum.append(total)
    target = megabytes << 20
    chunks, size = [], 0
    while size < target:
        words = rng.choices(vocab, cum_weights=cum, k=4096)
        for i in range(0, len(words), 12):
            line = " ".join(words[i:i + 12])
            if rng.random() < 0.3:
                line += f" {rng.randint(0, 99999)}.{rng.randint(0, 99)}"
            chunks.append(line + ".\n")
            size += len(line) + 2
    with open(path, "wb") as f:
        f.write("".join(chunks).encode()[:target])


# ---------------------------------------------------------------------------------------------------
# The libraries of the code-size suite: what to compile, as [(source, object name, flags)]


def source_units(srcdir, sources, defines):
    """The units of a library whose sources sit in one directory (zlib, bzip2, Lua, jq)."""
    return [(os.path.join(srcdir, f"{s}.c"), s, ["-I", srcdir, "-w"] + defines) for s in sources]


def jq_units(srcdir, workdir):
    """libjq's sources; builtin.c includes src/builtin.inc, which jq's Makefile makes from builtin.jq
    (each line a C string literal): made here the same way, into a directory of our own."""
    generated = os.path.join(workdir, "libjq-generated")
    os.makedirs(os.path.join(generated, "src"), exist_ok=True)
    with open(os.path.join(srcdir, "src", "builtin.jq")) as f:
        lines = f.read().splitlines()
    with open(os.path.join(generated, "src", "builtin.inc"), "w") as f:  # included as "src/builtin.inc"
        for line in lines:
            f.write('"' + line.replace("\\", "\\\\").replace('"', '\\"') + '\\n"\n')
    return source_units(os.path.join(srcdir, "src"), JQ_SOURCES, JQ_DEFINES + ["-I", generated])


def cmake_units(clang, srcdir, cmake_subdir, target, options):
    """The C sources of one CMake target with the preprocessor and -f flags its build gives them, from
    CMake's compile_commands.json (configured once, into generated/ beside the source tree; nothing
    is built). Its optimization, debug, warning and PIC flags are dropped: every variant adds ours."""
    out = os.path.join(os.path.dirname(srcdir), "generated", os.path.basename(srcdir))
    database = os.path.join(out, "compile_commands.json")
    if not os.path.exists(database):  # written last, so a configure cut short is redone
        log(f"configuring {os.path.basename(srcdir)} with CMake, for its compile commands")
        check(["cmake", "-S", os.path.join(srcdir, cmake_subdir), "-B", out, "-G", "Ninja",
               f"-DCMAKE_C_COMPILER={clang}", "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON"] + options)
    with open(database) as f:
        entries = json.load(f)
    units, seen = [], set()
    for entry in entries:
        args = entry.get("arguments") or shlex.split(entry["command"])
        source = os.path.normpath(os.path.join(entry["directory"], entry["file"]))
        if not source.endswith(".c") or f"/{target}.dir/" not in " ".join(args) or source in seen:
            continue  # another target's, assembly (zstd's Huffman decoder loop), or seen already
        seen.add(source)
        flags, i = [], 1
        while i < len(args):
            arg = args[i]
            if arg in ("-D", "-U", "-I", "-include", "-isystem"):
                value = args[i + 1]
                flags += [arg, value if arg in ("-D", "-U") else os.path.join(entry["directory"], value)]
                i += 2
                continue
            if arg.startswith(("-D", "-U", "-std=")) or arg == "-pthread":
                flags.append(arg)
            elif arg.startswith(("-I", "-isystem")):
                flag = "-I" if arg.startswith("-I") else "-isystem"
                flags.append(flag + os.path.join(entry["directory"], arg[len(flag):]))
            elif arg.startswith("-f") and arg not in ("-fPIC", "-fpic", "-fPIE", "-fpie"):
                flags.append(arg)
            i += 1
        name = os.path.relpath(source, srcdir)[:-2].replace("/", "_")
        units.append((source, name, flags + ["-w"]))
    if not units:
        sys.exit(f"{database}: no C source of the CMake target {target}")
    return units


def sqlite_amalgamation(sources):
    """The directory holding sqlite3.c and sqlite3.h: Debian's source tree has neither; its configure
    and `make sqlite3.c` (which needs tclsh) make them, once, into generated/ beside the tree."""
    srcdir = fetch_debian_source("sqlite3", sources, "sqlite3-*")
    out = os.path.join(os.path.dirname(srcdir), "generated", os.path.basename(srcdir))
    if not os.path.exists(os.path.join(out, "sqlite3.c")):  # make writes it last
        log(f"making SQLite's amalgamation from {os.path.basename(srcdir)} (configure, make sqlite3.c)")
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        check([os.path.join(srcdir, "configure"), "--disable-tcl"], cwd=out)
        check(["make", "sqlite3.c"], cwd=out)
    return out, os.path.basename(srcdir)


def library_units(name, sources, workdir, clang, smoke):
    """(Debian source directory, units) of one library of the code-size suite."""
    if name == "libz":
        srcdir = fetch_debian_source("zlib", sources, "zlib-*")
        return srcdir, source_units(srcdir, SMOKE_LIBZ_SOURCES if smoke else ZLIB_SOURCES, ZLIB_DEFINES)
    if name == "libjq":
        srcdir = fetch_debian_source("jq", sources, "jq-*")
        return srcdir, jq_units(srcdir, workdir)
    package, cmake_subdir, target, options = CMAKE_LIBRARIES[name]
    srcdir = fetch_debian_source(package, sources, f"{package}-*")
    return srcdir, cmake_units(clang, srcdir, cmake_subdir, target, options)


# ---------------------------------------------------------------------------------------------------
# Building


class Layouts:
    """The code layouts every timed program is linked in (--layouts). Layout k links an object holding
    16 k bytes of .text before the program's own objects (after the C runtime's start files), so
    that all of the program's code lies 16 k bytes further on (its data, on pages of its own, stays
    in place unless the code grows past a page boundary); layout 0 links nothing: the program as it
    always was. 16 bytes is the alignment clang gives functions
    and loops here, so that every shift moves them whole; four layouts put the hot code at each
    16-byte quarter of a 64-byte line."""

    STEP = 16

    def __init__(self, count, clang, directory):
        self.shifts = [k * self.STEP for k in range(count)]
        self.clang = clang
        self.directory = directory

    def padding(self, shift):
        """The object of shift bytes of .text (int3s, never run), assembled once."""
        obj = os.path.join(self.directory, f"pad{shift}.o")
        if not os.path.exists(obj):
            os.makedirs(self.directory, exist_ok=True)
            source = obj[:-2] + ".s"
            with open(source, "w") as f:
                # The note keeps the stack non-executable: without it, the linker would make it
                # executable for the whole program.
                f.write(f'\t.section .note.GNU-stack,"",@progbits\n\t.text\n\t.p2align 4\n'
                        f"\t.fill {shift}, 1, 0xcc\n")
            check([self.clang, "-c", source, "-o", obj])
        return obj

    def link(self, cmd, exe):
        """Runs the link command cmd (the compiler driver and its inputs, without -o) once per
        layout, the padding as its first input; returns the executables, layout 0's named exe and
        the others exe+SHIFT. Stops unless main lies exactly the shift further on in each."""
        exes = [exe] + [f"{exe}+{shift}" for shift in self.shifts[1:]]
        for shift, out in zip(self.shifts, exes):
            check(cmd[:1] + ([self.padding(shift)] if shift else []) + cmd[1:] + ["-o", out])
        main = symbol_address(exe, "main")
        for shift, out in zip(self.shifts[1:], exes[1:]):
            moved = symbol_address(out, "main") - main
            if moved != shift:
                sys.exit(f"{out}: main lies {moved} bytes from where it lies in {exe}, not {shift}: "
                         f"the padding did not shift the code as --layouts needs")
        return exes


class Builder:
    def __init__(self, args, workdir):
        self.clang = args.clang
        self.opt = args.opt
        self.plugin = args.plugin
        self.jobs = args.jobs
        self.variants = {v: f for v, f in variants(args.plugin).items() if v in args.variants}
        self.workdir = workdir
        self.cflags = ["-O2", "-g0"]
        self.layouts = Layouts(args.layouts, args.clang, os.path.join(workdir, "build", "layouts"))
        self.binaries = {}  # (bench, variant) -> [its command in each code layout]
        self.compile_cpu = {}  # (suite, variant) -> [CPU seconds of one full build of the suite]
        self.sizes = {}  # (suite or bench, variant) -> (text, sp_sites)
        self.commands = {}  # variant -> a representative compile command, for the docs
        self.library_sources = {}  # library -> the Debian source tree it was built from
        self.library_build_time = None  # (wall s, compiler CPU s) of the code-size suite
        # Position-independent code, as a shared library is built (clang's default is PIE: code for
        # an executable, whose thread-page polls need no GOT load).
        self.library_flags = ["-fPIC"] if args.library_pic else []
        # (bench, variant) -> (objects but the one with main, main's source, its flags, link flags):
        # what build_tts links again with the runtime, main renamed.
        self.tts_specs = {}

    def objdir(self, variant):
        d = os.path.join(self.workdir, "build", variant)
        os.makedirs(d, exist_ok=True)
        return d

    def shown(self, cmd):
        return shlex.join(cmd).replace(REPO + "/", "").replace(self.workdir, "WORKDIR")

    def compile(self, variant, source, obj, extra=()):
        """Compiles one unit for variant; returns the CPU seconds it took."""
        base = [self.clang] + self.cflags + list(extra) + self.variants[variant]
        if variant != PLACE_SAFEPOINTS:
            cmd = base + ["-c", source, "-o", obj]
            self.commands.setdefault(variant, self.shown(cmd))
            return check(cmd)[1]
        # clang -O2 to IR, the GC strategy and poll added, opt's place-safepoints, code generation.
        ll, ps_ll = obj[:-2] + ".ll", obj[:-2] + ".ps.ll"
        steps = [base + ["-S", "-emit-llvm", source, "-o", ll],
                 [self.opt, "-passes=function(place-safepoints),globaldce", ll, "-S", "-o", ps_ll],
                 [self.clang] + self.cflags + ["-Xclang", "-disable-llvm-passes", "-c", ps_ll, "-o", obj]]
        self.commands.setdefault(variant, " && ".join(
            [self.shown(steps[0]), "bench/pass/place_safepoints.py's add_gc_and_poll on the .ll"] +
            [self.shown(s) for s in steps[1:]]))
        cpu = check(steps[0])[1]
        with open(ll) as f:
            text = place_safepoints.add_gc_and_poll(f.read())
        with open(ll, "w") as f:
            f.write(text)
        return cpu + check(steps[1])[1] + check(steps[2])[1]

    def link(self, objects, out, extra=()):
        check([self.clang] + objects + list(extra) + ["-o", out])

    def link_layouts(self, objects, out, extra=()):
        """Links a timed program in every code layout; returns its executables (Layouts.link)."""
        return self.layouts.link([self.clang] + objects + list(extra), out)

    def build_suite(self, suite, units, repetitions, link, only=None):
        """units: [(source, object name, extra flags)]. Builds them for every variant (those of only,
        if given), repetitions times, interleaving variants, self.jobs compilers at a time (each
        one's CPU time is its own); records compile CPU time and section sizes; link(variant,
        {object name: path}) links the executables."""
        names = [v for v in self.variants if only is None or v in only]
        with concurrent.futures.ThreadPoolExecutor(self.jobs) as pool:
            for rep in range(repetitions):
                order = names[:]
                random.shuffle(order)
                jobs = [(variant, pool.submit(self.compile, variant, source,
                                              os.path.join(self.objdir(variant), f"{suite}-{name}.o"),
                                              extra))
                        for variant in order for source, name, extra in units]
                cpu = {}
                for variant, job in jobs:
                    cpu[variant] = cpu.get(variant, 0.0) + job.result()
                for variant in order:
                    self.compile_cpu.setdefault((suite, variant), []).append(cpu[variant])
        for variant in names:
            d = self.objdir(variant)
            objects = {name: os.path.join(d, f"{suite}-{name}.o") for _, name, _ in units}
            text = sites = 0
            for path in objects.values():
                t, s = section_sizes(path)
                text, sites = text + t, sites + s
            self.sizes[(suite, variant)] = (text, sites)
            link(variant, objects)

    def call_mode_extra(self, variant):
        if variant != "call":
            return []
        stub = os.path.join(self.workdir, "build", "poll_stub.o")
        if not os.path.exists(stub):
            check([self.clang, "-O2", "-c", os.path.join(HERE, "poll_stub.c"), "-o", stub])
        return [stub]

    def build_kernels(self, repetitions):
        if not KERNELS:
            return
        units = [(os.path.join(HERE, "kernels", f"{k}.c"), k, []) for k in KERNELS]

        def link(variant, objects):
            for k, obj in objects.items():
                exes = self.link_layouts([obj] + self.call_mode_extra(variant),
                                         os.path.join(self.objdir(variant), k))
                self.binaries[(k, variant)] = [[exe] + KERNELS[k] for exe in exes]
                self.sizes[(k, variant)] = section_sizes(obj)
                self.tts_specs[(k, variant)] = ([], os.path.join(HERE, "kernels", f"{k}.c"), [], [])

        self.build_suite("kernels", units, repetitions, link)

    def build_program(self, suite, srcdir, library, defines, driver, repetitions, benches, libs=(),
                      only=None):
        """A library's sources and a driver holding main(); benches: bench name -> its arguments;
        only: the variants to build (default: all)."""
        units = source_units(srcdir, library, defines)
        driver_flags = ["-I", srcdir, "-w"] + defines

        def link(variant, objects):
            d = self.objdir(variant)
            drv = os.path.join(d, f"{suite}-driver.o")
            self.compile(variant, driver, drv, driver_flags)
            exes = self.link_layouts(list(objects.values()) + [drv] + self.call_mode_extra(variant),
                                     os.path.join(d, f"{suite}-main"), libs)
            for bench, bench_args in benches.items():
                self.binaries[(bench, variant)] = [[exe] + bench_args for exe in exes]
                self.tts_specs[(bench, variant)] = (list(objects.values()), driver, driver_flags,
                                                    list(libs))

        self.build_suite(suite, units, repetitions, link, only)

    def build_libraries(self, names, sources, smoke):
        """The code-size suite: each library's objects once per variant (sizes only, so one
        repetition, and no A/A copy: a size has no noise). libz is the zlib benchmark's library
        objects when those are built already."""
        start, cpu_before = time.time(), sum(sum(v) for v in self.compile_cpu.values())
        for name in names:
            srcdir, units = library_units(name, sources, self.workdir, self.clang, smoke)
            self.library_sources[name] = os.path.basename(srcdir) + (
                f" ({len(units)} of its {len(ZLIB_SOURCES)} sources: --smoke)" if smoke and name == "libz"
                else f" ({len(units)} sources)")
            if name == "libz" and not smoke and not self.library_flags and ("zlib", "baseline") in self.sizes:
                for variant in self.variants:
                    if variant != "baseline-again":
                        self.sizes[(name, variant)] = self.sizes[("zlib", variant)]
                continue
            log(f"building {name} from {os.path.basename(srcdir)}: {len(units)} sources")
            units = [(source, unit, flags + self.library_flags) for source, unit, flags in units]
            self.build_suite(name, units, 1, lambda variant, objects: None,
                             [v for v in self.variants if v != "baseline-again"])
        cpu = sum(sum(v) for v in self.compile_cpu.values()) - cpu_before
        self.library_build_time = (time.time() - start, cpu)
        log(f"  code-size suite: {self.library_build_time[0]:.0f} s, {cpu:.0f} s of compiler CPU")

    def build_tts(self, runtime_archive):
        """Every benchmark of every variant (but the A/A copy) linked again with the runtime, its main
        renamed sp_bench_main and run by tts_main.c: (bench, variant) -> command."""
        d = os.path.join(self.workdir, "build", "tts")
        os.makedirs(d, exist_ok=True)
        harness = os.path.join(d, "tts_main.o")
        check([self.clang, "-O2", "-I", os.path.join(REPO, "runtime", "include"), "-c",
               os.path.join(HERE, "tts_main.c"), "-o", harness])
        mains, commands = {}, {}
        for (bench, variant), (objects, main_source, flags, libs) in self.tts_specs.items():
            if variant == "baseline-again":
                continue
            key = (main_source, variant)
            if key not in mains:  # Lua's scripts share one interpreter
                exe = os.path.join(d, f"{variant}-{os.path.splitext(os.path.basename(main_source))[0]}")
                obj = exe + ".o"
                self.compile(variant, main_source, obj, flags + ["-Dmain=sp_bench_main"])
                # As sp-cc links: the C library before the runtime archive, whose interposers come
                # in with sp_main; the runtime's __sp_poll replaces call mode's empty stub.
                self.link(objects + [obj, harness], exe,
                          list(libs) + ["-lc", runtime_archive, "-Wl,--export-dynamic-symbol=__sp_*",
                                        "-pthread"])
                mains[key] = exe
            commands[(bench, variant)] = [mains[key]] + self.binaries[(bench, variant)][0][1:]
        return commands


# ---------------------------------------------------------------------------------------------------
# The two experiments


def build_early_late(args, workdir, binaries, notes, layouts):
    """Kernels through opt: default<O2> alone, with safepoint after it (late), before it (early).
    Like the benchmarks, each is linked in every code layout."""
    d = os.path.join(workdir, "build", "opt")
    os.makedirs(d, exist_ok=True)
    opt, llc = args.opt, args.llc
    pipelines = {
        "opt-baseline": "default<O2>",
        "late": "default<O2>,safepoint",
        "early": "safepoint,default<O2>",
    }
    vectorized = {}
    for k in KERNELS:
        src = os.path.join(HERE, "kernels", f"{k}.c")
        bc = os.path.join(d, f"{k}.bc")
        # -O2 with the LLVM passes disabled, rather than -O0: the IR keeps what -O2 would hand the
        # optimizer (TBAA, lifetime markers, no optnone), so the only difference is the pipeline.
        check([args.clang, "-O2", "-g0", "-Xclang", "-disable-llvm-passes", "-emit-llvm", "-c", src,
               "-o", bc])
        for name, pipeline in pipelines.items():
            out_bc = os.path.join(d, f"{k}.{name}.bc")
            # The baseline must not load the plugin at all: once loaded, it also registers the pass
            # at default<O2>'s last extension point, as clang does. So "late" is instrumented twice
            # over (the explicit `safepoint` finds the module already done and changes nothing) and
            # "early" instruments first (the extension point's pass then changes nothing).
            plugin = [] if name == "opt-baseline" else [f"-load-pass-plugin={args.plugin}"]
            proc, _ = check([opt] + plugin + [f"-passes={pipeline}",
                             "-pass-remarks=loop-vectorize", "-pass-remarks-missed=loop-vectorize",
                             bc, "-o", out_bc])
            done = len(re.findall(r"remark: .*vectorized loop", proc.stderr))
            missed = len(re.findall(r"remark: .*loop not vectorized", proc.stderr))
            vectorized[(k, name)] = (done, missed)
            obj = os.path.join(d, f"{k}.{name}.o")
            check([llc, "-O2", "-filetype=obj", "-relocation-model=pic", out_bc, "-o", obj])
            exes = layouts.link([args.clang, obj], os.path.join(d, f"{k}.{name}"))
            binaries[(f"{k} (opt)", name)] = [[exe] + KERNELS[k] for exe in exes]
            binaries_sizes = section_sizes(obj)
            notes.setdefault("early_late_sizes", {})[f"{k}/{name}"] = binaries_sizes
    notes["early_late_commands"] = [
        "clang-19 -O2 -g0 -Xclang -disable-llvm-passes -emit-llvm -c K.c -o K.bc",
        "opt-19 -load-pass-plugin=SafepointPlugin.so -passes='PIPELINE' "
        "-pass-remarks=loop-vectorize -pass-remarks-missed=loop-vectorize K.bc -o K.PIPELINE.bc",
        "llc-19 -O2 -filetype=obj -relocation-model=pic K.PIPELINE.bc && clang-19 K.PIPELINE.o",
    ]
    return vectorized


def build_stack_check(args, workdir, binaries, notes, layouts):
    """fib with no check, with the pass's IR entry check only, and with -fsplit-stack prologues, in
    every code layout."""
    if "fib" not in KERNELS:
        return
    d = os.path.join(workdir, "build", "stack")
    os.makedirs(d, exist_ok=True)
    src = os.path.join(HERE, "kernels", "fib.c")
    load = [f"-fplugin={args.plugin}", f"-fpass-plugin={args.plugin}"]
    flavours = {
        "no-check": [],
        "ir-entry-check": load + ["-mllvm", "-sp-epilogue-polls=0"],
        "split-stack": ["-fsplit-stack"],
    }
    for name, flags in flavours.items():
        obj = os.path.join(d, f"fib.{name}.o")
        check([args.clang, "-O2", "-g0"] + flags + ["-c", src, "-o", obj])
        exes = layouts.link([args.clang] + (["-fsplit-stack"] if name == "split-stack" else []) + [obj],
                            os.path.join(d, f"fib.{name}"))
        binaries[("fib (stack check)", name)] = [[exe] + KERNELS["fib"] for exe in exes]
        notes.setdefault("stack_sizes", {})[name] = section_sizes(obj)
    notes["stack_commands"] = {n: "clang-19 -O2 " + " ".join(f.replace(args.plugin, "SafepointPlugin.so")
                                                          for f in fl) + " fib.c"
                               for n, fl in flavours.items()}


def build_strip_mined(args, workdir, binaries, layouts):
    """vec and matmul with their hot loops strip-mined by hand into chunks of 256 iterations, in
    every code layout."""
    d = os.path.join(workdir, "build", "strip")
    os.makedirs(d, exist_ok=True)
    load = [f"-fplugin={args.plugin}", f"-fpass-plugin={args.plugin}"]
    for k in [k for k in ("vec", "matmul") if k in KERNELS]:
        for name, flags in (("strip-baseline", []), ("strip-thread-page", load)):
            exes = layouts.link([args.clang, "-O2", "-g0", "-DSP_BENCH_STRIP=256"] + flags +
                                [os.path.join(HERE, "kernels", f"{k}.c")], os.path.join(d, f"{k}.{name}"))
            binaries[(k, name)] = [[exe] + KERNELS[k] for exe in exes]


# ---------------------------------------------------------------------------------------------------
# Timing


def verify(binaries):
    """Runs every binary once in every code layout; each benchmark's variants must print what its
    first variant prints."""
    benches = {}
    for (bench, variant), cmds in binaries.items():
        benches.setdefault(bench, []).append((variant, cmds))
    outputs = {}
    for bench, vs in benches.items():
        reference = None
        for variant, cmds in vs:
            for cmd in cmds:
                out = check(cmd)[0].stdout.strip()
                outputs[(bench, variant)] = out
                if reference is None:
                    reference = (variant, out)
                elif out != reference[1]:
                    sys.exit(f"{bench}: {variant} ({cmd[0]}) printed {out!r}, {reference[0]} printed "
                             f"{reference[1]!r}")
        layouts = len(vs[0][1])
        log(f"  {bench}: {len(vs)} variants agree" + (f" in {layouts} code layouts" if layouts > 1 else "") +
            f": {reference[1]}")
    return outputs


def count_instructions(binaries, small_args, jobs=2):
    """Instructions executed (valgrind's cachegrind `I refs`) per (bench, variant): a number that,
    unlike time, a busy machine cannot disturb, though it weighs every instruction alike."""
    import concurrent.futures

    def one(key):
        bench, _ = key
        cmd = [binaries[key][0][0]] + small_args[bench]  # code layout 0: the count is the same in all
        proc, _ = check(["valgrind", "--tool=cachegrind", "--cache-sim=no",
                         "--cachegrind-out-file=/dev/null"] + cmd)
        m = re.search(r"I\s+refs:\s+([\d,]+)", proc.stderr)
        return key, int(m.group(1).replace(",", "")) if m else None

    keys = [k for k in binaries if k[0] in small_args]
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        return dict(pool.map(one, keys))


def measure(binaries, rounds):
    """Runs every binary in every code layout once per round, a benchmark's variants and layouts in
    a fresh random order each round. Returns wall and cpu, (bench, variant) -> [[seconds of each
    round] per code layout], and the load average after each round."""
    benches = {}
    for (bench, variant), cmds in binaries.items():
        benches.setdefault(bench, []).extend((variant, layout) for layout in range(len(cmds)))
    wall = {key: [[] for _ in cmds] for key, cmds in binaries.items()}
    cpu = {key: [[] for _ in cmds] for key, cmds in binaries.items()}
    load = []
    for r in range(rounds):
        start = time.time()
        for bench, runs in benches.items():
            order = runs[:]
            random.shuffle(order)
            for variant, layout in order:
                t0 = time.perf_counter()
                _, c = check(binaries[(bench, variant)][layout])
                wall[(bench, variant)][layout].append(time.perf_counter() - t0)
                cpu[(bench, variant)][layout].append(c)
        load.append(os.getloadavg()[0])
        log(f"  round {r + 1}/{rounds}: {time.time() - start:.0f} s, load average {load[-1]:.1f}")
    return wall, cpu, load


TTS_LINE = re.compile(r"sp-tts: preemptions=(\d+) requests_timed=(\d+) p50_ns=(-?\d+) p99_ns=(-?\d+) "
                      r"max_ns=(\d+)")


def measure_tts(commands, outputs, quantum_us):
    """Runs every runtime-linked binary once on one P, sysmon asking it to stop every quantum; its
    output must be the baseline's. Returns (bench, variant) -> the runtime's numbers (tts_main.c)."""
    env = dict(os.environ, SPMAXPROCS="1", SPDEBUG=f"quantum={quantum_us},stacksize=8192")
    results = {}
    for (bench, variant), cmd in sorted(commands.items()):
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
        if proc.returncode != 0:
            sys.exit(f"{bench} {variant} under the runtime failed ({proc.returncode}): "
                     f"{shlex.join(cmd)}\n{proc.stdout}{proc.stderr}")
        if proc.stdout.strip() != outputs[(bench, "baseline")]:
            sys.exit(f"{bench} {variant} under the runtime printed {proc.stdout.strip()!r}, the "
                     f"baseline {outputs[(bench, 'baseline')]!r}")
        m = TTS_LINE.search(proc.stderr)
        if not m:
            sys.exit(f"{bench} {variant}: no sp-tts line in\n{proc.stderr}")
        n, timed, p50, p99, worst = (int(g) for g in m.groups())
        results[(bench, variant)] = {"preemptions": n, "timed": timed, "p50_ns": p50, "p99_ns": p99,
                                     "max_ns": worst}
    log(f"  {len(results)} runs under the runtime, quantum {quantum_us} us, all printed the baseline's output")
    return results


# ---------------------------------------------------------------------------------------------------
# Reporting


def fmt_ratio(x):
    return "n/a" if x is None or math.isnan(x) else f"{x:.3f}"


def median_time(times, key):
    """The median over code layouts of the median over rounds (times as measure returns them)."""
    return statistics.median([statistics.median(t) for t in times[key]]) if key in times else None


def time_ratio(times, key, base):
    """key's time over base's: the median over code layouts of the ratio of their medians in the same
    layout, so that a layout that happens to slow one build down does not decide the ratio (with one
    layout, the ratio of the medians). None when either was not measured."""
    if key not in times or base not in times:
        return None
    return statistics.median([statistics.median(t) / statistics.median(b)
                              for t, b in zip(times[key], times[base])])


def time_ratios(times, baseline):
    """ratio(row, column) for ratio_table: the time of (row, column) over (row, baseline)'s."""
    return lambda row, column: time_ratio(times, (row, column), (row, baseline))


def value_ratios(value, baseline):
    """ratio(row, column) for ratio_table: value(row, column) over value(row, baseline)."""
    def ratio(row, column):
        v, base = value(row, column), value(row, baseline)
        return v / base if base and v is not None else None
    return ratio


def ratio_table(rows, columns, ratio, title, geo_rows=None):
    """ratio(row, column) -> number or None (time_ratios, value_ratios). With a geomean row."""
    lines = [f"**{title}**", "", "| | " + " | ".join(columns) + " |",
             "|---|" + "---:|" * len(columns)]
    per_column = {c: [] for c in columns}
    for row in rows:
        cells = []
        for c in columns:
            rt = ratio(row, c)
            if geo_rows is None or row in geo_rows:
                per_column[c].append(rt)
            cells.append(fmt_ratio(rt))
        lines.append(f"| {row} | " + " | ".join(cells) + " |")
    if len(rows) > 1:
        label = "geomean" + ("" if geo_rows is None else " (" + ", ".join(geo_rows) + ")")
        if geo_rows is not None and len(geo_rows) > 4:
            label = "geomean"
        lines.append(f"| {label} | " + " | ".join(fmt_ratio(geomean(per_column[c])) for c in columns) + " |")
    return "\n".join(lines)


def benchmark_rows():
    return list(KERNELS) + ["zlib", "bzip2"] + [f"lua-{s}" for s in LUA_SCRIPTS] + ["sqlite"]


def tts_summary(names, main_rows, cpu, counts, tts):
    """Per variant that stops: (geomean CPU ratio, geomean instruction ratio, the least, median and
    greatest p99 time-to-safepoint over the benchmarks, in microseconds): the plot's points."""
    rows = {}
    for v in names:
        p99 = [tts[(b, v)]["p99_ns"] / 1000 for b in main_rows
               if (b, v) in tts and tts[(b, v)]["timed"] > 0]
        if v in ("baseline", "baseline-again") or not p99:
            continue
        cpu_ratio = geomean([time_ratio(cpu, (b, v), (b, "baseline"))
                             for b in main_rows if (b, v) in cpu])
        instr = [counts[(b, v)] / counts[(b, "baseline")] for b in main_rows
                 if counts.get((b, v)) and counts.get((b, "baseline"))]
        rows[v] = (cpu_ratio, geomean(instr) if instr else float("nan"), min(p99),
                   statistics.median(p99), max(p99))
    return rows


def write_plot(workdir, summary, quantum_us):
    """tts.dat for gnuplot and, when gnuplot is installed, overhead_vs_tts.svg beside it."""
    data = os.path.join(workdir, "tts.dat")
    with open(data, "w") as f:
        f.write("# variant cpu_geomean instructions_geomean p99_us_min p99_us_median p99_us_max\n")
        for v, (t, i, lo, mid, hi) in summary.items():
            f.write(f'"{v}" {t:.4f} {i:.4f} {lo:.1f} {mid:.1f} {hi:.1f}\n')
    svg = os.path.join(workdir, "overhead_vs_tts.svg")
    if not shutil.which("gnuplot"):
        log("gnuplot not found: no plot (apt-get install gnuplot-nox); the data is in " + data)
        return None
    check(["gnuplot", "-e", f"data='{data}'; out='{svg}'; quantum={quantum_us}; "
           f"names='{' '.join(summary)}'",
           os.path.join(HERE, "plot_overhead_tts.gp")])
    return svg


def summary_table(names, main_rows, cpu, counts, sizes, tts):
    """One table per run for docs/benchmarks.md: what issue 11's goal names, one column per variant."""
    cols = [v for v in names if v != "baseline"]
    libs = [x for x in LIBRARIES if (x, "baseline") in sizes]
    ratio = lambda a, b: a / b if a and b else None

    def of(per_bench, rows):  # a variant built for fewer benchmarks (SQLite's four) says so
        n = sum(1 for r in per_bench.values() if r is not None)
        return "" if n == len(rows) else f" (of {n})"

    def greatest(per_bench):
        found = [(r, b) for b, r in per_bench.items() if r is not None]
        return f"{max(found)[0]:.3f} ({max(found)[1]})" if found else "n/a"

    rows = []
    if main_rows:
        cpu_ratios = {v: {b: time_ratio(cpu, (b, v), (b, "baseline")) for b in main_rows} for v in cols}
        rows.append((f"CPU time, geomean of {len(main_rows)}",
                     [fmt_ratio(geomean(list(cpu_ratios[v].values()))) + of(cpu_ratios[v], main_rows)
                      for v in cols]))
        rows.append(("CPU time, greatest", [greatest(cpu_ratios[v]) for v in cols]))
        counted = [b for b in main_rows if counts.get((b, "baseline"))]
        if counted:
            ins = {v: {b: ratio(counts.get((b, v)), counts[(b, "baseline")]) for b in counted} for v in cols}
            rows.append((f"instructions, geomean of {len(counted)}",
                         [fmt_ratio(geomean(list(ins[v].values()))) + of(ins[v], counted) for v in cols]))
            rows.append(("instructions, greatest", [greatest(ins[v]) for v in cols]))
    lib_cols = [v for v in cols if all((x, v) in sizes for x in libs)]  # not the A/A copy
    for x in libs:
        rows.append((f"`.text` {x}", [fmt_ratio(ratio(sizes[(x, v)][0], sizes[(x, "baseline")][0]))
                                     if v in lib_cols else "n/a" for v in cols]))
    if libs:
        rows.append((f"`.text`, geomean over libraries ({len(libs)})",
                     [fmt_ratio(geomean([sizes[(x, v)][0] / sizes[(x, "baseline")][0] for x in libs]))
                      if v in lib_cols else "n/a" for v in cols]))
        plain_text = sum(sizes[(x, "baseline")][0] for x in libs)
        rows.append(("site table (`sp_sites`), % of the libraries' baseline `.text`",
                     [f"{100 * sum(sizes[(x, v)][1] for x in libs) / plain_text:.1f}"
                      if v in lib_cols else "n/a" for v in cols]))
    if tts:
        stops = tts_summary(names, main_rows, cpu, counts, tts)
        rows.append(("p99 time to safepoint, us: median over benchmarks (greatest)",
                     [f"{stops[v][3]:.1f} ({stops[v][4]:.1f})" if v in stops else "never" if
                      any((b, v) in tts for b in main_rows) else "n/a" for v in cols]))
    lines = ["**Summary: ratios to plain clang -O2 (baseline)**", "", "| | " + " | ".join(cols) + " |",
             "|---|" + "---:|" * len(cols)]
    lines += [f"| {label} | " + " | ".join(cells) + " |" for label, cells in rows]
    return "\n".join(lines)


def layout_tables(main_rows, names, cpu, shifts):
    """With several code layouts: the least and greatest over them of each benchmark's CPU ratio to
    the baseline in the same layout, and the baseline's own time in each layout (what the layout
    alone does to the plain build)."""
    cols = [v for v in names if v != "baseline"]
    lines = [f"**Run time by code layout: CPU median, ratio to the baseline in the same layout, least-"
             f"greatest over the {len(shifts)} layouts**", "",
             "| | " + " | ".join(cols) + " |", "|---|" + "---:|" * len(cols)]
    for b in main_rows:
        cells = []
        for v in cols:
            ratios = [statistics.median(t) / statistics.median(base)
                      for t, base in zip(cpu.get((b, v), []), cpu[(b, "baseline")])]
            cells.append(f"{min(ratios):.3f}-{max(ratios):.3f}" if ratios else "n/a")
        lines.append(f"| {b} | " + " | ".join(cells) + " |")
    lines += ["", "**The baseline across code layouts: its CPU median with the code shifted by so many "
              "bytes, ratio to its median unshifted**", "",
              "| | " + " | ".join(f"+{s}" for s in shifts) + " | greatest / least |",
              "|---|" + "---:|" * (len(shifts) + 1)]
    for b in main_rows:
        medians = [statistics.median(t) for t in cpu[(b, "baseline")]]
        lines.append(f"| {b} | " + " | ".join(fmt_ratio(m / medians[0]) for m in medians) +
                     f" | {fmt_ratio(max(medians) / min(medians))} |")
    return "\n".join(lines)


def report(args, builder, wall, cpu, vectorized, notes, outputs, counts, load, tts):
    names = list(builder.variants)
    main_rows = [b for b in benchmark_rows() if (b, "baseline") in wall]
    shifts = builder.layouts.shifts
    # With several code layouts, every time ratio is the median over them of the ratio in one layout.
    per_layout = "" if len(shifts) == 1 else f" in the same code layout, median over {len(shifts)} layouts"
    out = []
    out.append(f"Source: {args.source}. Rounds: {args.rounds}. Plugin: `{os.path.relpath(args.plugin, REPO)}`. "
               f"Compiler: `{args.clang} -O2 -g0`. Machine: {os.cpu_count()} CPUs, "
               f"`{platform_cpu()}`. Load average (1 min) after each round: "
               f"{min(load):.1f} to {max(load):.1f}." +
               ("" if len(shifts) == 1 else f" Code layouts: {len(shifts)}, every timed program linked "
                f"with its code shifted by {', '.join(map(str, shifts))} bytes (--layouts); every time "
                f"ratio is the median over the layouts of the ratio to the baseline in the same layout."))
    out.append("")
    out.append("Baseline medians (CPU s / wall s): " + ", ".join(
        f"{b} {median_time(cpu, (b, 'baseline')):.3f}/{median_time(wall, (b, 'baseline')):.3f}"
        for b in main_rows))
    out.append("")
    out.append(summary_table(names, main_rows, cpu, counts, builder.sizes, tts))
    out.append("")
    out.append(ratio_table(main_rows, names, time_ratios(cpu, "baseline"),
                           "Run time, CPU (user+sys) median, ratio to baseline" + per_layout))
    out.append("")
    out.append(ratio_table(main_rows, names, time_ratios(wall, "baseline"),
                           "Run time, wall-clock median, ratio to baseline" + per_layout))
    out.append("")
    if len(shifts) > 1:
        out.append(layout_tables(main_rows, names, cpu, shifts))
        out.append("")
    if counts:
        rows = [b for b in main_rows if (b, "baseline") in counts]
        out.append(ratio_table(rows, names, value_ratios(lambda r, c: counts.get((r, c)), "baseline"),
                               "Instructions executed (valgrind, smaller inputs), ratio to baseline"))
        out.append("")
        early = [f"{k} (opt)" for k in KERNELS if (f"{k} (opt)", "late") in counts]
        if early:
            out.append(ratio_table(early, ["opt-baseline", "late", "early"],
                                   value_ratios(lambda r, c: counts.get((r, c)), "opt-baseline"),
                                   "Early vs late: instructions executed, ratio to opt default<O2>"))
            out.append("")
    size_rows = list(KERNELS) + [s for s in ("zlib", "bzip2", "lua", "sqlite")
                                 if (s, "baseline") in builder.sizes]
    size = lambda r, c, i: builder.sizes.get((r, c), (None, None))[i]  # not every suite has every variant
    out.append(ratio_table(size_rows, names, value_ratios(lambda r, c: size(r, c, 0), "baseline"),
                           "Code size (.text bytes of the objects), ratio to baseline"))
    out.append("")
    out.append("Site table (sp_sites bytes, 24 per site): " + "; ".join(
        f"{r}: " + ", ".join(f"{c} {size(r, c, 1)}" for c in names if size(r, c, 1))
        for r in size_rows if any(size(r, c, 1) for c in names)))
    out.append("")
    libs = [x for x in LIBRARIES if (x, "baseline") in builder.sizes]
    if libs:
        out.append(ratio_table(libs, names, value_ratios(lambda r, c: size(r, c, 0), "baseline"),
                               "Library code size: .text bytes of the library's objects (the site table "
                               "apart), ratio to baseline"))
        out.append("")
        out.append(ratio_table(libs, names,
                               value_ratios(lambda r, c: size(r, c, 0) and size(r, c, 0) + size(r, c, 1),
                                            "baseline"),
                               "Library code size with the site table: .text + sp_sites bytes, ratio "
                               "to the baseline's .text"))
        out.append("")
        wall_s, cpu_s = builder.library_build_time
        out.append("Libraries (Debian sources, compiled only" +
                   (", " + " ".join(builder.library_flags) if builder.library_flags else "") +
                   "; baseline .text bytes): " + "; ".join(
            f"{x} {builder.library_sources[x]} {builder.sizes[(x, 'baseline')][0]}" for x in libs) +
            f". The suite took {wall_s:.0f} s, {cpu_s:.0f} s of compiler CPU" +
            (", libz's objects being the zlib benchmark's." if "libz" in libs and
             ("zlib", "baseline") in builder.sizes else "."))
        out.append("")
    suites = [s for s in ("kernels", "zlib", "bzip2", "lua") if (s, "baseline") in builder.compile_cpu]
    out.append(ratio_table(suites, names,
                           value_ratios(lambda r, c: min(builder.compile_cpu[(r, c)]), "baseline"),
                           f"Compile time (CPU s of all clang -c of the suite, least of "
                           f"{args.compile_reps}: other work only ever adds), ratio to baseline"))
    out.append("")
    out.append("Baseline compile CPU s: " + ", ".join(
        f"{s} {min(builder.compile_cpu[(s, 'baseline')]):.2f}" for s in suites))
    if vectorized:
        out.append("")
        cols = ["opt-baseline", "late", "early"]
        rows = [f"{k} (opt)" for k in KERNELS]
        out.append(ratio_table(rows, cols, time_ratios(cpu, "opt-baseline"),
                               "Early vs late insertion: run time (CPU median), ratio to "
                               "opt default<O2> without the pass" + per_layout))
        out.append("")
        out.append("| loops vectorized (missed) | " + " | ".join(cols) + " | .text late/early |")
        out.append("|---|" + "---:|" * (len(cols) + 1))
        sizes = notes["early_late_sizes"]
        for k in KERNELS:
            cells = [f"{vectorized[(k, c)][0]} ({vectorized[(k, c)][1]})" for c in cols]
            cells.append(f"{sizes[f'{k}/late'][0]}/{sizes[f'{k}/early'][0]}")
            out.append(f"| {k} | " + " | ".join(cells) + " |")
    if ("fib (stack check)", "no-check") in cpu:
        out.append("")
        cols = ["no-check", "ir-entry-check", "split-stack"]
        out.append(ratio_table(["fib (stack check)"], cols, time_ratios(cpu, "no-check"),
                               "Entry stack check on fib: run time (CPU median), ratio to no check" +
                               per_layout))
        out.append("")
        if counts:
            out.append("")
            out.append(ratio_table(["fib (stack check)"], cols,
                                   value_ratios(lambda r, c: counts.get((r, c)), "no-check"),
                                   "Entry stack check on fib: instructions executed, ratio to no check"))
        out.append("")
        out.append(".text bytes of fib.o: " + ", ".join(f"{c} {notes['stack_sizes'][c][0]}" for c in cols))
    strip_rows = [k for k in ("vec", "matmul") if (k, "strip-baseline") in cpu]
    if strip_rows and "thread-page" in names:
        out.append("")
        cols = ["baseline", "thread-page", "strip-baseline", "strip-thread-page"]
        out.append(ratio_table(strip_rows, cols, time_ratios(cpu, "baseline"),
                               "Strip mining by hand (-DSP_BENCH_STRIP=256): run time (CPU median), "
                               "ratio to the plain baseline" + per_layout))
        if counts:
            out.append("")
            out.append(ratio_table(strip_rows, cols,
                                   value_ratios(lambda r, c: counts.get((r, c)), "baseline"),
                                   "Strip mining by hand: instructions executed, ratio to the plain baseline"))
    if tts:
        cols = [v for v in names if v != "baseline-again"]
        out.append("")
        out.append(f"**Time to safepoint under the runtime: p50 / p99 from sysmon's request to the "
                   f"stop, microseconds (requests timed)**, quantum {args.quantum_us} us, one P, one run "
                   f"each (\"never\": no poll, so no request was ever answered before the end)")
        out.append("")
        out.append("| | " + " | ".join(cols) + " |")
        out.append("|---|" + "---:|" * len(cols))
        for b in main_rows:
            cells = []
            for v in cols:
                r = tts.get((b, v))
                cells.append("n/a" if r is None else "never" if r["timed"] == 0
                             else f"{r['p50_ns'] / 1000:.1f} / {r['p99_ns'] / 1000:.1f} ({r['timed']})")
            out.append(f"| {b} | " + " | ".join(cells) + " |")
        summary = tts_summary(names, main_rows, cpu, counts, tts)
        out.append("")
        out.append("**The trade, per variant** (plotted): geomean ratios over the benchmarks above, and "
                   "the least / median / greatest p99 time to safepoint over them (us)")
        out.append("")
        out.append("| | CPU time | instructions | p99 least | p99 median | p99 greatest |")
        out.append("|---|---:|---:|---:|---:|---:|")
        for v, (t, i, lo, mid, hi) in summary.items():
            out.append(f"| {v} | {fmt_ratio(t)} | {fmt_ratio(i)} | {lo:.1f} | {mid:.1f} | {hi:.1f} |")
    out.append("")
    out.append("Compile commands (one per variant):")
    out.append("")
    out.append("```")
    for v in names:
        out.append(f"{v}: {builder.commands[v]}")
    out.append("```")
    return "\n".join(out)


def select(parser, option, text, known, default=None):
    """The names a --variants or --benchmarks list gives (when not given, default, or all known
    ones), in the known order; an unknown name is an error that lists the known ones."""
    if text is None:
        return list(default if default is not None else known)
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        parser.error(f"{option}: unknown {', '.join(unknown) or 'empty list'}; known: {', '.join(known)}")
    return [n for n in known if n in names]


def git_describe():
    proc, _ = run(["git", "-C", REPO, "describe", "--always", "--dirty"])
    return f"`{proc.stdout.strip()}`" if proc.returncode == 0 else "unknown"


def platform_cpu():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", default=os.path.join(REPO, "build"),
                   help="the project's build directory (holds lib/SafepointPlugin.so)")
    p.add_argument("--plugin", help="the plugin (default: BUILD/lib/SafepointPlugin.so)")
    p.add_argument("--workdir", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "safepoint-bench-pass"),
                   help="scratch directory: Debian sources, objects, inputs, results (never committed)")
    p.add_argument("--rounds", type=int, default=11)
    p.add_argument("--layouts", type=int, default=1, metavar="N",
                   help="link every timed program N times, its code shifted by 0, 16, ..., 16 (N-1) "
                        "bytes (an object of that much .text linked first), and time every layout "
                        "each round; a ratio is then the median over the layouts of the ratio to the "
                        "baseline in the same layout, and results.md gives their least and greatest "
                        "(default 1: linked as they are)")
    p.add_argument("--compile-reps", type=int, default=3)
    p.add_argument("--zlib-mb", type=int, default=32, help="size of the generated zlib input")
    p.add_argument("--bzip2-mb", type=int, default=8, help="size of the generated bzip2 input")
    p.add_argument("--quick", action="store_true",
                   help="3 rounds, 1 compile repetition: everything, to see that it all works")
    p.add_argument("--smoke", action="store_true",
                   help="kernels only (unless --benchmarks names others; libz: 7 sources), their "
                        "small inputs, 1 round, no experiments, no valgrind: under a minute, for the "
                        "test that this script still runs")
    p.add_argument("--no-programs", action="store_true",
                   help="kernels only (no apt-get source: no programs, no code-size suite)")
    p.add_argument("--library-pic", action="store_true",
                   help="compile the code-size suite -fPIC, as shared libraries are built (default: "
                        "clang's default, PIE), where a thread-page poll loads its page's offset "
                        "from the GOT")
    p.add_argument("--no-libraries", action="store_true",
                   help="without the code-size suite (libz, liblzma, libzstd, libjq: compiled only)")
    p.add_argument("--variants", metavar="A,B,...",
                   help="only these variants (baseline is always built: the ratios need it)")
    p.add_argument("--benchmarks", metavar="X,Y,...",
                   help="only these benchmarks and libraries (with --smoke, also programs and libraries)")
    p.add_argument("--no-sqlite", action="store_true",
                   help="without SQLite (built for baseline, baseline-again, thread-page and "
                        "place-safepoints only: about 2.5 minutes of CPU)")
    p.add_argument("--sources", help="where Debian's sources are unpacked (default: WORKDIR/src); "
                                     "one directory can serve many runs")
    p.add_argument("--no-lua", action="store_true", help="without the Lua interpreter")
    p.add_argument("--no-tts", dest="tts", action="store_false",
                   help="skip the time-to-safepoint runs under the runtime")
    p.add_argument("--quantum-us", type=int, default=500,
                   help="SPDEBUG quantum of the time-to-safepoint runs: a request every so often")
    p.add_argument("--runtime", help="the runtime archive (default: BUILD/lib/libsafepoint_rt.a)")
    p.add_argument("--jobs", type=int, default=2, help="compilers run at once")
    p.add_argument("--no-experiments", action="store_true", help="skip early-vs-late and stack-check")
    p.add_argument("--no-instructions", dest="instructions", action="store_false",
                   help="skip counting instructions under valgrind")
    p.add_argument("--clang", default="clang-19")
    p.add_argument("--opt", default="opt-19")
    p.add_argument("--llc", default="llc-19")
    p.add_argument("--seed", type=int, default=1, help="seed of the visiting order")
    args = p.parse_args()
    known_variants = list(variants("SafepointPlugin.so"))
    args.variants = select(p, "--variants", args.variants, known_variants,
                           [v for v in known_variants if v not in OPT_IN_VARIANTS])
    if "baseline" not in args.variants:
        args.variants.insert(0, "baseline")
    if args.layouts < 1:
        p.error("--layouts: at least 1 (the programs as linked)")
    selected = select(p, "--benchmarks", args.benchmarks, benchmark_rows() + LIBRARIES)
    if args.quick:
        args.rounds, args.compile_reps = 3, 1
    if args.smoke:
        args.rounds, args.compile_reps = 1, 1
        args.no_experiments = True
        args.no_programs = args.no_programs or args.benchmarks is None
        args.instructions = False
        KERNELS.update(KERNELS_COUNTED)
    for table in (KERNELS, KERNELS_COUNTED):
        for k in [k for k in table if k not in selected]:
            del table[k]
    for script in [s for s in LUA_SCRIPTS if f"lua-{s}" not in selected]:
        del LUA_SCRIPTS[script]
    sqlite = not args.no_programs and not args.no_sqlite and "sqlite" in selected
    libraries = [] if args.no_programs or args.no_libraries else [x for x in LIBRARIES if x in selected]
    args.runtime = os.path.abspath(args.runtime or os.path.join(args.build, "lib", "libsafepoint_rt.a"))
    if args.tts and not os.path.exists(args.runtime):
        sys.exit(f"no runtime archive at {args.runtime}: build it, pass --runtime, or --no-tts")
    args.plugin = os.path.abspath(args.plugin or os.path.join(args.build, "lib", "SafepointPlugin.so"))
    if not os.path.exists(args.plugin):
        sys.exit(f"no plugin at {args.plugin}: build it first (cmake -S . -B build -G Ninja && "
                 f"cmake --build build), or pass --build/--plugin")
    random.seed(args.seed)
    workdir = os.path.abspath(args.workdir)
    sources = os.path.abspath(args.sources or os.path.join(workdir, "src"))
    shutil.rmtree(os.path.join(workdir, "build"), ignore_errors=True)
    os.makedirs(workdir, exist_ok=True)
    log(f"command: {shlex.join(sys.argv)}")
    args.source = git_describe()  # now: a commit made during a long run is not what was measured

    builder = Builder(args, workdir)
    log("building kernels")
    builder.build_kernels(args.compile_reps)
    zlib = not args.no_programs and "zlib" in selected
    bzip2 = not args.no_programs and "bzip2" in selected
    if zlib:
        zsrc = fetch_debian_source("zlib", sources, "zlib-*")
        zin = os.path.join(workdir, f"input-{args.zlib_mb}M.txt")
        log("generating the zlib input")
        generate_input(zin, args.zlib_mb)
        log(f"building zlib from {os.path.basename(zsrc)}")
        builder.build_program("zlib", zsrc, ZLIB_SOURCES, ZLIB_DEFINES,
                              os.path.join(HERE, "programs", "zlib_roundtrip.c"), args.compile_reps,
                              {"zlib": [zin]})
    if bzip2:
        bsrc = fetch_debian_source("bzip2", sources, "bzip2-*")
        bin_ = os.path.join(workdir, f"input-{args.bzip2_mb}M.txt")
        log("generating the bzip2 input")
        generate_input(bin_, args.bzip2_mb)
        log(f"building bzip2 from {os.path.basename(bsrc)}")
        builder.build_program("bzip2", bsrc, BZIP2_SOURCES, BZIP2_DEFINES,
                              os.path.join(HERE, "programs", "bzip2_roundtrip.c"), args.compile_reps,
                              {"bzip2": [bin_]})
    if not args.no_programs and not args.no_lua and LUA_SCRIPTS:
        lsrc = os.path.join(fetch_debian_source("lua5.4", sources, "lua5.4-*"), "src")
        log(f"building Lua from {os.path.basename(os.path.dirname(lsrc))}")
        builder.build_program("lua", lsrc, LUA_SOURCES, LUA_DEFINES + ["-I", lua_config_dir(workdir)],
                              os.path.join(lsrc, "lua.c"), args.compile_reps,
                              {f"lua-{s}": [os.path.join(HERE, "lua", f"{s}.lua"), str(n)]
                               for s, n in LUA_SCRIPTS.items()}, libs=["-lm", "-ldl"])
    if sqlite:
        sqdir, sqtree = sqlite_amalgamation(sources)
        log(f"building SQLite from {sqtree}, variants " +
            ", ".join(v for v in SQLITE_VARIANTS if v in builder.variants))
        # Compiled once whatever --compile-reps says: the unit alone is 25 s of CPU per variant.
        builder.build_program("sqlite", sqdir, ["sqlite3"], [],
                              os.path.join(HERE, "programs", "sqlite_workload.c"), 1,
                              {"sqlite": [str(SQLITE_ROUNDS)]}, libs=["-lm", "-ldl", "-lpthread"],
                              only=SQLITE_VARIANTS)
    if libraries:
        builder.build_libraries(libraries, sources, args.smoke)

    binaries = dict(builder.binaries)
    notes, vectorized = {}, {}
    if not args.no_experiments:
        log("building the early-vs-late and stack-check experiments")
        vectorized = build_early_late(args, workdir, binaries, notes, builder.layouts)
        build_stack_check(args, workdir, binaries, notes, builder.layouts)
        build_strip_mined(args, workdir, binaries, builder.layouts)

    log("checking that every variant computes the same result")
    outputs = verify(binaries)
    counts = {}
    if args.instructions and shutil.which("valgrind"):
        small = dict(KERNELS_COUNTED)
        small.update({f"{k} (opt)": a for k, a in KERNELS_COUNTED.items()})
        if "fib" in KERNELS_COUNTED:
            small["fib (stack check)"] = KERNELS_COUNTED["fib"]
        if zlib:
            small["zlib"] = [generate_small_input(workdir, zin, 4)]
        if bzip2:
            small["bzip2"] = [generate_small_input(workdir, bin_, 1)]
        small["sqlite"] = ["2"]
        if not args.no_programs:
            small.update({f"lua-{s}": [os.path.join(HERE, "lua", f"{s}.lua"), str(max(1, n // 10))]
                          for s, n in LUA_SCRIPTS.items()})
        log("counting instructions under valgrind")
        counts = count_instructions(binaries, small)
    elif args.instructions:
        log("valgrind not found: no instruction counts (apt-get install valgrind)")
    log(f"timing {len(binaries)} binaries in {args.layouts} code layout(s), {args.rounds} rounds")
    wall, cpu, load = measure(binaries, args.rounds)
    tts, plot = {}, None
    if args.tts:
        log("building every variant with the runtime, for the time to safepoint")
        tts = measure_tts(builder.build_tts(args.runtime), outputs, args.quantum_us)

    text = report(args, builder, wall, cpu, vectorized, notes, outputs, counts, load, tts)
    text = f"Command: `{shlex.join(['bench/pass/run.py'] + sys.argv[1:])}`\n\n" + text
    with open(os.path.join(workdir, "results.md"), "w") as f:
        f.write(text + "\n")
    with open(os.path.join(workdir, "results.json"), "w") as f:
        # wall and cpu: [[seconds of each round] per code layout], the layouts' shifts in bytes.
        json.dump({"layouts": builder.layouts.shifts,
                   "wall": {f"{b}|{v}": t for (b, v), t in wall.items()},
                   "cpu": {f"{b}|{v}": t for (b, v), t in cpu.items()},
                   "sizes": {f"{b}|{v}": s for (b, v), s in builder.sizes.items()},
                   "compile_cpu": {f"{b}|{v}": s for (b, v), s in builder.compile_cpu.items()},
                   "vectorized": {f"{b}|{v}": s for (b, v), s in vectorized.items()},
                   "instructions": {f"{b}|{v}": s for (b, v), s in counts.items()},
                   "time_to_safepoint": {f"{b}|{v}": s for (b, v), s in tts.items()},
                   "load_average": load,
                   "notes": notes}, f, indent=1)
    print(text)
    main_rows = [b for b in benchmark_rows() if (b, "baseline") in wall]
    summary = tts_summary(list(builder.variants), main_rows, cpu, counts, tts) if tts else {}
    if summary:  # after the results are written: a plotting problem must not lose them
        plot = write_plot(workdir, summary, args.quantum_us)
    log(f"results in {workdir}/results.md and results.json" + (f", the plot in {plot}" if plot else ""))


if __name__ == "__main__":
    main()
