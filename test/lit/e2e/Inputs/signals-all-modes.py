"""Runs Inputs/signals.c's cases in every poll mode at SPMAXPROCS 1 and 2 (signals.test): prints one
line per case whose outcome differs from what the program would do without the runtime, then a
summary line."""
import os
import signal
import subprocess
import sys

build = sys.argv[1]
N = "200"
# (arguments, expected stdout, expected termination: exit code, or -signal)
CASES = [
    (["fpe", N], "fpe recovered 200 of 200\n", 0),
    (["segv-before", N], "segv recovered 200 of 200\n", 0),
    (["segv-inside", N], "segv recovered 200 of 200\n", 0),
    (["segv-return", "50"], "segv handled 50 of 50\n", 0),
    (["usr1", "50"], "usr1 handled 100 of 100\n", 0),
    (["pipe"], "", -signal.SIGPIPE),
    (["raise"], "", -signal.SIGTERM),
]

failures = 0
for mode in ["thread-page", "global-page", "flag", "call"]:
    for procs in ["1", "2"]:
        env = dict(os.environ, SPMAXPROCS=procs, SPDEBUG="quantum=100")
        for args, want_out, want_status in CASES:
            try:
                r = subprocess.run([os.path.join(build, mode)] + args, env=env, capture_output=True,
                                   text=True, timeout=60)
                got = (r.stdout, r.returncode)
            except subprocess.TimeoutExpired:
                got = ("", "timeout")
            if got != (want_out, want_status):
                failures += 1
                print("%s SPMAXPROCS=%s %s: got %r, want %r" % (mode, procs, " ".join(args), got,
                                                                (want_out, want_status)))
print("all signal cases passed" if failures == 0 else "%d signal cases failed" % failures)
