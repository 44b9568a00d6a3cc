#!/usr/bin/env python3
"""Runs the safepoint pass over many modules and checks it never crashes nor emits invalid IR.

  pass-robustness.py stress --first N --count M --work DIR -- OPT...
      llvm-stress modules for seeds N..N+M-1, linked into batches of --batch functions;
  pass-robustness.py files --work DIR PATH... -- OPT...
      the given .ll files, and every .ll file under the given directories;
  pass-robustness.py sources --work DIR PATH... -- CC...
      every .c and .cpp file under the given directories, compiled to IR by CC (a compiler with the
      plugin) at -O0 -g and at -O2, each in a poll mode (rotating), then checked by
      opt -passes=verify (clang itself does not verify its output in release builds).

OPT is the opt command with the plugin loaded and -verify-each (lit's %opt-sp). Each module goes
through the pass in every poll mode, each mode with other options too, with the verifier after the
pass; then through llc -O2 (llvm-stress batches: every other mode, rotating), so the codegen of the
polls' inline asm and of the split blocks is exercised. One mode per module (rotating) also goes
through llc -O0 and through the pass a second time, which must change nothing. A module for a target
other than x86-64 ELF must be refused with the pass's error, not a crash. When a batch fails, its
seeds are retried one by one to name the culprit. Prints one summary line, exits 1 on any failure.
"""
import argparse
import os
import re
import subprocess
import sys

MODES = ["thread-page", "global-page", "flag", "call"]
# Each mode runs with one of these (rotating), so every option meets every mode over a run.
VARIANTS = ["", ";max-elided-trips=0", ";no-entry-checks", ";no-epilogue-polls",
            ";max-elided-trips=4294967295;no-epilogue-polls;no-entry-checks"]
UNSUPPORTED = "safepoint polls are emitted for x86-64 ELF targets only"


class Failure(Exception):
    pass


def run(args, what):
    result = subprocess.run(args, capture_output=True, text=True)
    if result.returncode != 0:
        raise Failure(f"{what}: exit {result.returncode}: {' '.join(args)}\n"
                      f"{result.stderr[-3000:]}")
    return result


def check_module(opt, module, work, tag, rotation, llc_every=1):
    """Runs one module through every mode; returns the number of polls emitted.

    The output of every llc_every-th mode (from the rotation on) goes through llc -O2."""
    polls = 0
    for i, mode in enumerate(MODES):
        variant = VARIANTS[(rotation + i) % len(VARIANTS)]
        passes = f"safepoint<poll={mode}{variant}>"
        out = os.path.join(work, f"{tag}.{mode}.ll")
        result = subprocess.run(opt + [f"-passes={passes}", module, "-S", "-o", out],
                                capture_output=True, text=True)
        refused = UNSUPPORTED in result.stderr and "Stack dump" not in result.stderr
        if result.returncode != 0 and refused:
            return None
        if result.returncode != 0:
            raise Failure(f"opt -passes='{passes}' {module}: exit {result.returncode}\n"
                          f"{result.stderr[-3000:]}")
        with open(out) as f:
            text = f.read()
        polls += len(re.findall(r"call void asm sideeffect \"8201:", text))
        if (i - rotation) % llc_every == 0:
            run(["llc", "-O2", "-filetype=obj", out, "-o", os.devnull], f"llc -O2 after '{passes}'")
        if i != rotation % len(MODES):
            continue
        run(["llc", "-O0", "-filetype=obj", out, "-o", os.devnull], f"llc -O0 after '{passes}'")
        # Running the pass again changes nothing.
        again = out + ".again.ll"
        run(opt + [f"-passes={passes}", out, "-S", "-o", again], f"second run of '{passes}'")
        reread = out + ".reread.ll"
        run(opt + ["-passes=verify", out, "-S", "-o", reread], "re-reading the output")
        with open(again) as a, open(reread) as b:
            if a.read() != b.read():
                raise Failure(f"a second run of '{passes}' changed {out}")
    return polls


def stress(args, opt):
    seeds = list(range(args.first, args.first + args.count))
    polls = 0
    failures = []
    for start in range(0, len(seeds), args.batch):
        batch = seeds[start:start + args.batch]
        files = []
        for seed in batch:
            path = os.path.join(args.work, f"stress{seed}.bc")
            # Sizes vary with the seed so small and large functions both occur.
            run(["llvm-stress", f"-seed={seed}", f"-size={100 + seed % 3 * 100}", "-o", path],
                "llvm-stress")
            files.append(path)
        linked = os.path.join(args.work, f"batch{batch[0]}.bc")
        run(["llvm-link"] + files + ["-o", linked], "llvm-link")
        try:
            # Batches rotate through the modes (each run covers every mode with every tool); llc -O2
            # sees half of the modes of each batch, which keeps the test fast.
            rotation = args.first // args.batch + start // args.batch
            polls += check_module(opt, linked, args.work, f"batch{batch[0]}", rotation, llc_every=2)
        except Failure as batch_failure:
            culprits = []
            for seed, path in zip(batch, files):
                try:
                    check_module(opt, path, args.work, f"seed{seed}", seed)
                except Failure as failure:
                    culprits.append(f"seed {seed}: {failure}")
            failures.extend(culprits or [f"seeds {batch[0]}-{batch[-1]} together: {batch_failure}"])
    report(failures, f"llvm-stress seeds {seeds[0]}-{seeds[-1]}: {len(seeds)} functions", polls)


def files(args, opt):
    inputs = find(args.inputs, (".ll",))
    polls = 0
    refused = 0
    failures = []
    for n, path in enumerate(inputs):
        try:
            count = check_module(opt, path, args.work, f"file{n}", n)
            if count is None:
                refused += 1
            else:
                polls += count
        except Failure as failure:
            failures.append(f"{path}: {failure}")
    report(failures, f"{len(inputs)} files ({refused} refused for their target)", polls)


def find(paths, suffixes):
    found = []
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, names in os.walk(path):
                dirs.sort()
                found.extend(os.path.join(root, n) for n in sorted(names) if n.endswith(suffixes))
        else:
            found.append(path)
    return found


def sources(args, cc):
    inputs = find(args.inputs, (".c", ".cpp"))
    polls = 0
    failures = []
    for n, path in enumerate(inputs):
        language = ["-x", "c++", "-std=c++20"] if path.endswith(".cpp") else []
        includes = ["-I", os.path.dirname(path)] + sum((["-I", d] for d in args.include), [])
        # A test that fails to compile on purpose names the flags that leave out its errors.
        with open(path) as f:
            declared = re.search(r"ROBUSTNESS-FLAGS: (.*)", f.read())
        includes += declared.group(1).split() if declared else []
        # -O0 with debug info: the entry check must keep the allocas' debug records valid too.
        for level, mode in (("-O0 -g", MODES[n % 4]), ("-O2", MODES[(n + 1) % 4])):
            out = os.path.join(args.work, f"source{n}{level.split()[0]}.ll")
            try:
                run(cc + language + includes + level.split() + ["-mllvm", f"-sp-poll={mode}", "-S",
                                                "-emit-llvm", path, "-o", out],
                    f"compiling {path} {level} -sp-poll={mode}")
                run(["opt", "-passes=verify", "-disable-output", out], f"verifying {out}")
                with open(out) as f:
                    polls += len(re.findall(r"call void asm sideeffect \"8201:", f.read()))
            except Failure as failure:
                failures.append(f"{path}: {failure}")
    report(failures, f"{len(inputs)} sources at -O0 and -O2", polls, llc=False)


def report(failures, what, polls, llc=True):
    for failure in failures:
        print("FAILURE:", failure)
    status = f"{len(failures)} FAILURES" if failures else "all verified"
    tools = ", llc -O2 and -O0" if llc else ""
    print(f"{what}, {len(MODES)} modes, {polls} polls{tools}: {status}")
    if failures or polls == 0:
        sys.exit(1)


def main():
    argv = sys.argv[1:]
    split = argv.index("--")
    opt = argv[split + 1:]
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("stress")
    s.add_argument("--first", type=int, required=True)
    s.add_argument("--count", type=int, required=True)
    s.add_argument("--batch", type=int, default=50)
    s.add_argument("--work", required=True)
    f = sub.add_parser("files")
    f.add_argument("--work", required=True)
    f.add_argument("inputs", nargs="+")
    c = sub.add_parser("sources")
    c.add_argument("--work", required=True)
    c.add_argument("--include", action="append", default=[])
    c.add_argument("inputs", nargs="+")
    args = parser.parse_args(argv[:split])
    os.makedirs(args.work, exist_ok=True)
    {"stress": stress, "files": files, "sources": sources}[args.command](args, opt)


if __name__ == "__main__":
    main()
