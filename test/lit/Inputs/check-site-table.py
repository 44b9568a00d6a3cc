#!/usr/bin/env python3
"""Checks that a linked image's site table lists exactly the polls its code contains.

Usage: check-site-table.py SP_INSPECT IMAGE OBJECT...

IMAGE must be linked with -Wl,--emit-relocs, so the disassembly names the TLS variable each
instruction reads (directly, or in PIC code through a GOTTPOFF slot). OBJECTs are the instrumented
objects linked into IMAGE: only their functions are searched for polls (the runtime linked in is
not instrumented, but reads the same variables).

The sites come from sp-inspect, the polls from llvm-objdump:
  page modes   a `testl %eax, MEM` instruction (thread-page: MEM is %fs-relative); the site
               address must be exactly its address
               (that is the PC the fault handler sees).
  flag         the instruction reading __sp_poll_flag (see find_polls);
  call         the `call __sp_poll`;
  stack-guard  the instruction reading __sp_stack_guard.
For the last three the record marks where the check starts: the site's poll is the first such
instruction at or after the site address, in the same function. Every poll must be claimed by
exactly one site and every site must claim one poll; anything else is reported and the exit status
is 1.
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
PAGE_READ_RE = re.compile(r"^testl %eax, (%fs:\S+|\S*\(%\w+\))$")
MARKER_MODES = {"flag": "__sp_poll_flag", "stack-guard": "__sp_stack_guard", "call": "__sp_poll"}
PAGE_MODES = ("thread-page", "global-page")
CALLER_SAVED = ("rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11")


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
    """Returns {address: (function, text, [(relocation type, symbol)])} for the functions' code."""
    code = collections.OrderedDict()
    current = None
    last = None
    for line in run("llvm-objdump", "-dr", "--no-show-raw-insn", image).splitlines():
        if m := FUNC_RE.match(line):
            current = m.group(2) if m.group(2) in functions else None
            last = None
        elif m := RELOC_RE.match(line):
            if last is not None:
                code[last][2].append((m.group(2), m.group(3)))
        elif (m := INSN_RE.match(line)) and current:
            last = int(m.group(1), 16)
            code[last] = (current, re.sub(r"\s+", " ", m.group(2).split("#")[0].strip()), [])
        elif not line.strip():
            current = None
    return code


def register_family(name):
    """%eax, %ax, %al -> rax; %r12d -> r12: the 64-bit register a name is part of."""
    name = name.lstrip("%")
    if m := re.fullmatch(r"(r\d+)[dwb]?", name):
        return m.group(1)
    m = re.fullmatch(r"[re]?([a-d])[xlh]|[re]?(si|di|sp|bp)l?", name)
    return "r" + (m.group(1) + "x" if m.group(1) else m.group(2)) if m else name


def find_polls(code):
    """Returns {address: kind} of the check instructions: "page" (both page modes), "call", "flag",
    "stack-guard". A flag or stack-guard check is the instruction that reads the variable or its
    address: the one with a relocation against the variable. In PIC code that is a load of the
    variable's offset from its GOTTPOFF slot, which may be hoisted out of a loop and shared by many
    polls; when such an offset is used by a %fs:(%reg) read, each read is a check instead.
    """
    polls = {}
    tls_registers = {}  # register -> (function, mode, address of the GOTTPOFF load)
    for addr, (function, text, relocations) in code.items():
        if PAGE_READ_RE.match(text):
            polls[addr] = "page"
        elif re.match(r"^callq? ", text) and re.search(r"<__sp_poll(@plt)?>$", text):
            polls[addr] = "call"
        if (m := re.search(r"%fs:\(%(\w+)\)", text)) and m.group(1) in tls_registers:
            loaded_in, mode, load = tls_registers[m.group(1)]
            if loaded_in == function and mode:
                polls[addr] = mode
                polls.pop(load, None)
        # Track which registers hold a TLS offset: set by a GOTTPOFF load, dropped when overwritten
        # (the destination is the last operand) or, for the caller-saved ones, by a call.
        if re.match(r"^callq? ", text):
            for register in CALLER_SAVED:
                tls_registers.pop(register, None)
        elif m := re.search(r"(?:^\S+ |, )%(\w+)$", text):
            tls_registers.pop(register_family(m.group(1)), None)
        for kind, symbol in relocations:
            mode = {v: k for k, v in MARKER_MODES.items() if k != "call"}.get(symbol)
            if mode:
                polls[addr] = mode
            if kind == "R_X86_64_GOTTPOFF" and (m := re.search(r", %(\w+)$", text)):
                tls_registers[register_family(m.group(1))] = (function, mode, addr)
    return polls


def main():
    sp_inspect, image, objects = sys.argv[1], sys.argv[2], sys.argv[3:]
    sites = read_sites(sp_inspect, image)
    code = read_code(image, own_functions(objects))
    polls = find_polls(code)
    addresses = sorted(code)
    errors = []
    claimed = {}
    claimed_modes = {}
    for addr, kind, mode, function in sites:
        if addr not in code:
            errors.append(f"site 0x{addr:x} ({kind}, {mode}, {function}) is not at an "
                          f"instruction of an instrumented function")
            continue
        if mode in PAGE_MODES:
            target = addr if polls.get(addr) == "page" else None
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
            claimed_modes[target] = mode
    for addr, kind in sorted(polls.items()):
        if addr not in claimed:
            errors.append(f"{kind} poll at 0x{addr:x} in {code[addr][0]} ({code[addr][1]}) "
                          f"has no site record")
    for error in errors:
        print("error:", error)
    # Claimed polls are counted by their site's mode, the others by what the instruction is.
    counts = collections.Counter(claimed_modes.get(addr, kind) for addr, kind in polls.items())
    summary = ", ".join(f"{mode} {counts[mode]}" for mode in sorted(counts))
    print(f"{'MISMATCH' if errors else 'ok'}: {len(sites)} sites, {len(polls)} polls ({summary})")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
