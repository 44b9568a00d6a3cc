#!/usr/bin/env python3
"""Checks that a linked image's site table lists exactly the polls its code contains.

Usage: check-site-table.py SP_INSPECT IMAGE OBJECT...

IMAGE must be linked with -Wl,--emit-relocs, so the disassembly names the TLS variable each
instruction reads. OBJECTs are the instrumented objects linked into IMAGE: only their functions are
searched for polls (the runtime linked in is not instrumented, but reads the same variables).

The sites come from sp-inspect, the polls from llvm-objdump:
  page modes   a `testl %eax, MEM` instruction; the site address must be exactly its address
               (that is the PC the fault handler sees). global-page reads (%rip), thread-page a register.
  flag         the instruction reading __sp_poll_flag;
  call         the `call __sp_poll`;
  stack-guard  the instruction reading __sp_stack_guard.
For the last three the record marks where the check starts: the site's poll is the first such
instruction at or after the site address, in the same function. Every poll must be claimed by exactly
one site and every site must claim one poll; anything else is reported and the exit status is 1.
"""
import bisect
import collections
import re
import subprocess
import sys

SITE_RE = re.compile(r"^\s+0x([0-9a-f]+)\s+(\S+)\s+(\S+)\s+(.*?)(?:\s\s(\S+:\d+:\d+))?$")
FUNC_RE = re.compile(r"^([0-9a-f]+) <(.+)>:$")
INSN_RE = re.compile(r"^\s+([0-9a-f]+):\s+(\S.*)$")
RELOC_RE = re.compile(r"^\s+([0-9a-f]+):\s+(R_X86_64_\w+)\s+(\S+?)(?:[-+]0x[0-9a-f]+)?$")
PAGE_READ_RE = re.compile(r"^testl %eax, (\S*\(%\w+\))$")
MARKER_MODES = {"flag": "__sp_poll_flag", "stack-guard": "__sp_stack_guard", "call": "__sp_poll"}


def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def read_sites(sp_inspect, image):
    sites = []
    for line in run(sp_inspect, image).splitlines()[1:]:
        m = SITE_RE.match(line)
        if m and m.group(2) not in ("entry:", "loop:", "epilogue:", "select:", "defer:"):
            sites.append((int(m.group(1), 16), m.group(2), m.group(3), m.group(4)))
    return sites


def own_functions(objects):
    names = set()
    for line in run("llvm-nm", "--defined-only", *objects).splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tTwW":
            names.add(parts[2])
    return names


def read_code(image, functions):
    """Returns {address: (function, text, [relocated symbols])} for the instructions of functions."""
    code = collections.OrderedDict()
    current = None
    last = None
    for line in run("llvm-objdump", "-dr", "--no-show-raw-insn", image).splitlines():
        if m := FUNC_RE.match(line):
            current = m.group(2) if m.group(2) in functions else None
            last = None
        elif m := RELOC_RE.match(line):
            if last is not None:
                code[last][2].append(m.group(3))
        elif (m := INSN_RE.match(line)) and current:
            last = int(m.group(1), 16)
            code[last] = (current, re.sub(r"\s+", " ", m.group(2).split("#")[0].strip()), [])
        elif not line.strip():
            current = None
    return code


def poll_kind(text, symbols):
    if m := PAGE_READ_RE.match(text):
        return "global-page" if m.group(1).endswith("(%rip)") else "thread-page"
    if re.match(r"^callq? ", text) and text.endswith("<__sp_poll>"):
        return "call"
    for mode in ("flag", "stack-guard"):
        if MARKER_MODES[mode] in symbols:
            return mode
    return None


def main():
    sp_inspect, image, objects = sys.argv[1], sys.argv[2], sys.argv[3:]
    sites = read_sites(sp_inspect, image)
    code = read_code(image, own_functions(objects))
    polls = {addr: poll_kind(text, syms) for addr, (_, text, syms) in code.items()}
    polls = {addr: kind for addr, kind in polls.items() if kind}
    addresses = sorted(code)
    errors = []
    claimed = {}
    for addr, kind, mode, function in sites:
        if addr not in code:
            errors.append(f"site 0x{addr:x} ({kind}, {mode}, {function}) is not at an instruction of "
                          f"an instrumented function")
            continue
        if mode in ("thread-page", "global-page"):
            target = addr if polls.get(addr) == mode else None
        else:
            target = None
            i = bisect.bisect_left(addresses, addr)
            while i < len(addresses) and code[addresses[i]][0] == code[addr][0]:
                if polls.get(addresses[i]) == mode:
                    target = addresses[i]
                    break
                i += 1
        if target is None:
            errors.append(f"site 0x{addr:x} ({kind}, {mode}, {function}): no {mode} poll there")
        elif target in claimed:
            errors.append(f"site 0x{addr:x} ({kind}, {mode}, {function}): poll at 0x{target:x} "
                          f"already claimed by site 0x{claimed[target]:x}")
        else:
            claimed[target] = addr
    for addr, kind in sorted(polls.items()):
        if addr not in claimed:
            errors.append(f"{kind} poll at 0x{addr:x} in {code[addr][0]} ({code[addr][1]}) has no site "
                          f"record")
    for error in errors:
        print("error:", error)
    counts = collections.Counter(polls.values())
    summary = ", ".join(f"{mode} {counts[mode]}" for mode in sorted(counts))
    print(f"{'MISMATCH' if errors else 'ok'}: {len(sites)} sites, {len(polls)} polls ({summary})")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
