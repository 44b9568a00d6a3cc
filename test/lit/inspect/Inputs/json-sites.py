#!/usr/bin/env python3
"""Reads sp-inspect --json from stdin, checks that every site has the keys scripts rely on, with
their types, and prints one line per site, "function kind mode file:line", sorted: two files with the
same sites print the same lines, whatever their addresses. Exits 1 on a missing or mistyped key."""
import json
import sys

REQUIRED = {"pc": int, "function": str, "kind": str, "mode": str, "file": (str, type(None)),
            "line": (int, type(None))}


def main():
    sites = json.load(sys.stdin)
    if not isinstance(sites, list):
        print("error: not a JSON array")
        return 1
    lines = []
    for site in sites:
        for key, kind in REQUIRED.items():
            if key not in site:
                print(f"error: site without \"{key}\": {site}")
                return 1
            if not isinstance(site[key], kind):
                print(f"error: \"{key}\" is {type(site[key]).__name__}: {site}")
                return 1
        lines.append(f"{site['function']} {site['kind']} {site['mode']} {site['file']}:{site['line']}")
    for line in sorted(lines):
        print(line)
    print(f"{len(lines)} sites")
    return 0


if __name__ == "__main__":
    sys.exit(main())
