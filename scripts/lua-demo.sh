#!/bin/sh
# lua-demo.sh [BUILD_DIR]: Lua interpreters that never yield, sharing one processor
# (examples/lua_threads.c). Fetches Lua 5.4's Debian source package (test/realworld/sources.sh, into
# the realworld cache), builds its core with sp-cc - so the interpreter loop has safepoint polls - into
# BUILD_DIR/demo/lua (default build/), and runs four interpreters on one P: first with the runtime
# preempting them, then with forced preemption off (SPDEBUG=asyncpreemptoff=1). Needs a build of
# Safepoint in BUILD_DIR; scripts/demo.sh makes one and runs this at its end.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build=$(cd "${1:-build}" && pwd)
cache=${SP_REALWORLD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/safepoint/realworld}

src=$(sh test/realworld/sources.sh "$cache" lua5.4 | awk '{ print $3 }')
out=$build/demo/lua
mkdir -p "$out"
log=$(mktemp)
make -C "$out" -j2 -f "$root/test/realworld/lua.mk" SRC="$src/src" CC="$build/bin/sp-cc" \
  CXX="$build/bin/sp-c++" DEPS="$build/lib/SafepointPlugin.so $build/lib/libsafepoint_rt.a" \
  lua_threads >"$log" 2>&1 || { cat "$log"; exit 1; }
rm -f "$log"

echo "\$ SPMAXPROCS=1 ${out#"$root"/}/lua_threads 4 1000"
SPMAXPROCS=1 "$out/lua_threads" 4 1000
echo
echo "\$ SPMAXPROCS=1 SPDEBUG=asyncpreemptoff=1 ${out#"$root"/}/lua_threads 4 1000"
SPMAXPROCS=1 SPDEBUG=asyncpreemptoff=1 "$out/lua_threads" 4 1000
