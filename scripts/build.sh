#!/bin/sh
# build.sh [BUILD_DIR [CMAKE_ARGS...]]: configures and builds Safepoint (default folder: build).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${1:-"$root/build"}
[ $# -gt 0 ] && shift
cmake -S "$root" -B "$build_dir" -G Ninja "$@"
cmake --build "$build_dir"
