#!/bin/sh
# zlib.sh build SRC OUT CC CXX | check OUT RESULTS: zlib's own build and its `make test` (example,
# minigzip, their shared-library and 64-bit-offset twins, so a library built with the compiler given
# runs under each).
set -eu
case $1 in
  build)
    src=$2 out=$3 cc=$4
    rm -rf "$out"
    cp -a "$src" "$out"
    cd "$out"
    CC=$cc CFLAGS=-O2 ./configure >configure.log 2>&1 || { cat configure.log; exit 1; }
    make -j2 >make.log 2>&1 || { cat make.log; exit 1; }
    ;;
  check)
    out=$2 results=$3
    rc=0
    (cd "$out" && make test) >"$results/make-test.out" 2>&1 || rc=$?
    echo "$rc" >"$results/make-test.rc"
    ;;
esac
