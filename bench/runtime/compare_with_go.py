#!/usr/bin/env python3
"""compare_with_go.py - runs the runtime benchmarks and their Go twins side by side, prints a table.

    python3 bench/runtime/compare_with_go.py BUILD_DIR [GO]

BUILD_DIR holds bin/sp_runtime_bench; GO is the go command (default: /usr/lib/go-1.19/bin/go, from
Debian's golang-1.19-go). Both sides run with one processor (SPMAXPROCS=1, GOMAXPROCS=1), five
repetitions each, interleaved (C, Go, C, Go, ...) so that a noisy machine hurts both alike; the
table shows the medians and their ratio.
"""
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

PAIRS = [  # (ours, Go's, what one operation is)
    ("BM_Yield", "BenchmarkYield", "yield to another green thread"),
    ("BM_SpawnAndReport", "BenchmarkSpawnAndReport", "spawn, then receive its one message"),
    ("BM_ChanPingPong", "BenchmarkChanPingPong", "unbuffered channel round trip"),
    ("BM_SelectPingPong", "BenchmarkSelectPingPong", "round trip, echo side in a 2-case select"),
    ("BM_SelectReady", "BenchmarkSelectReady", "non-blocking 2-case select, one ready"),
]
REPS = 5


def run_ours(build):
    out = subprocess.run(
        [os.path.join(build, "bin", "sp_runtime_bench"),
         "--benchmark_filter=^(" + "|".join(p[0] for p in PAIRS) + ")$",
         "--benchmark_min_time=0.2", "--benchmark_format=json"],
        check=True, capture_output=True, text=True).stdout
    return {b["name"]: b["real_time"] for b in json.loads(out)["benchmarks"]}


def run_go(go):
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "go")
    env = dict(os.environ, GOMAXPROCS="1", GOFLAGS="-mod=mod", GOTOOLCHAIN="local")
    env.setdefault("GOCACHE", os.path.join(tempfile.gettempdir(), "sp-bench-gocache"))
    out = subprocess.run([go, "test", "-run", "^$", "-bench", ".", "-benchtime", "0.2s"],
                         cwd=here, env=env, check=True, capture_output=True, text=True).stdout
    return {m.group(1): float(m.group(2))
            for m in re.finditer(r"^(Benchmark\w+)\s+\d+\s+([\d.]+) ns/op", out, re.M)}


def main():
    build = sys.argv[1]
    go = sys.argv[2] if len(sys.argv) > 2 else "/usr/lib/go-1.19/bin/go"
    ours, theirs = {}, {}
    for _ in range(REPS):
        for k, v in run_ours(build).items():
            ours.setdefault(k, []).append(v)
        for k, v in run_go(go).items():
            theirs.setdefault(k, []).append(v)
    print("| operation | Safepoint (ns) | Go 1.19 (ns) | Safepoint / Go |")
    print("|---|---:|---:|---:|")
    for c, g, what in PAIRS:
        a, b = statistics.median(ours[c]), statistics.median(theirs[g])
        print(f"| {what} (`{c}` / `{g}`) | {a:.0f} | {b:.0f} | {a / b:.2f} |")


if __name__ == "__main__":
    main()
