#!/usr/bin/env python3
"""Runs a command, passes its output through, then prints "exit status: N" and exits 0, so a lit
test can check the exact exit status (lit's `not` only knows zero from non-zero)."""
import subprocess
import sys

status = subprocess.run(sys.argv[1:], stderr=subprocess.STDOUT).returncode
sys.stdout.flush()
print(f"exit status: {status}")
