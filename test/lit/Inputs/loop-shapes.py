#!/usr/bin/env python3
"""Prints, from a YAML optimization record of the safepoint pass (clang -fsave-optimization-record),
one line per loop remark, `<function>: <how the loop polls>`, sorted by function, so that a test can
check how the pass treated each loop of a file whose loops share source lines (macro expansions).

  loop-shapes.py RECORD.yaml
"""
import re
import sys

SHAPES = {
    "BoundedLoop": lambda args: "elided (bounded)",
    "LoopPollEveryIteration": lambda args: "every back-edge",
    "ChunkedLoopPoll": lambda args: "strip-mined" if "strip-mined" in args else "counted down",
    "DispatchLoopPoll": lambda args: "each of %s back-edges" % re.search(r"BackEdges:\s*'?(\d+)", args).group(1),
}

lines = []
for record in open(sys.argv[1]).read().split("\n---"):
    name = re.search(r"^Name:\s+(\w+)", record, re.M)
    function = re.search(r"^Function:\s+(\S+)", record, re.M)
    if name and function and name.group(1) in SHAPES:
        lines.append("%s: %s" % (function.group(1), SHAPES[name.group(1)](record)))
print("\n".join(sorted(lines)))
