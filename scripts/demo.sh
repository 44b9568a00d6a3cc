#!/bin/sh
# demo.sh: installs what is missing, builds Safepoint, then shows it at work:
#  1. where the pass puts safepoint polls in examples/hog.c, and why (clang's remarks);
#  2. the site table of the linked program, with sp-inspect's options (--disasm, --json,
#     --blind-spots, --check);
#  3. examples/ticker.c - a hog loop that never yields beside a 1 ms ticker, on one P - built in every
#     poll mode: the runtime preempts the hog at its polls and the ticker keeps ticking;
#  4. the same program with forced preemption off (SPDEBUG=asyncpreemptoff=1): the ticker starves,
#     as it would with any cooperative green-thread library;
#  5. examples/lua_threads.c: four Lua interpreters (Lua 5.4 from Debian's source package, built with
#     sp-cc), each looping without ever yielding in its own green thread, on one P: all progress; with
#     forced preemption off, one starves the rest (scripts/lua-demo.sh, which runs it alone too).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

sh scripts/install-deps.sh
echo "== building (build/)"
log=$(mktemp)
sh scripts/build.sh build >"$log" 2>&1 || { cat "$log"; exit 1; }
rm -f "$log"

out=build/demo
mkdir -p "$out"

echo
echo "== 1. where the pass puts polls in examples/hog.c, and why"
echo "\$ sp-cc -O2 -g -Rpass=safepoint -Rpass-missed=safepoint examples/hog.c -o $out/hog"
build/bin/sp-cc -O2 -g -Rpass=safepoint -Rpass-missed=safepoint examples/hog.c -o "$out/hog" 2>&1 |
  grep 'remark:'

echo
echo "== 2. the site table the runtime checks every poll fault against"
echo "\$ sp-inspect $out/hog"
build/bin/sp-inspect "$out/hog"
echo "\$ sp-inspect --disasm $out/hog | head -10    # the instructions around each poll"
build/bin/sp-inspect --disasm "$out/hog" | head -10
echo "\$ sp-inspect --json $out/hog | head -16      # one JSON object per poll"
build/bin/sp-inspect --json "$out/hog" | head -16
echo "\$ sp-inspect --blind-spots $out/hog          # what the pass left without a poll, and why"
build/bin/sp-inspect --blind-spots "$out/hog"
echo "\$ sp-inspect --check $out/hog                # a CI gate: exit 2 on an unbounded blind spot"
build/bin/sp-inspect --check "$out/hog"

echo
echo "== 3. a hog loop preempted at its polls on one P, in every poll mode (300 ms each)"
for mode in thread-page global-page flag call; do
  build/bin/sp-cc -O2 -mllvm -sp-poll="$mode" examples/ticker.c -o "$out/ticker-$mode"
  printf '%-12s ' "$mode:"
  SPMAXPROCS=1 "$out/ticker-$mode" 300
done

echo
echo "== 4. the same with forced preemption off (SPDEBUG=asyncpreemptoff=1)"
printf '%-12s ' "thread-page:"
SPMAXPROCS=1 SPDEBUG=asyncpreemptoff=1 "$out/ticker-thread-page" 300

echo
echo "== 5. Lua interpreters that never yield, on one P (Lua 5.4 from Debian's source, built with sp-cc)"
sh scripts/lua-demo.sh build
