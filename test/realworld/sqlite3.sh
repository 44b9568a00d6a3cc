#!/bin/sh
# sqlite3.sh build SRC OUT CC CXX | check OUT RESULTS: SQLite's `make fuzztest` - fuzzcheck over the
# fuzz databases in test/ (46,000 SQL and database cases, each checked against its invariants) and
# sessionfuzz over the session-extension cases - each program compiled from the amalgamation the
# source tree generates.
set -eu
case $1 in
  build)
    src=$2 out=$3 cc=$4
    rm -rf "$out"
    mkdir -p "$out"
    cd "$out"
    # The code generators (lemon, mkkeywordhash, ...) are built with the same compiler and run at
    # build time: a miscompiled one shows up as a different amalgamation.
    CC=$cc CFLAGS=-O2 "$src/configure" --disable-tcl >configure.log 2>&1 ||
      { cat configure.log; exit 1; }
    make -j2 fuzzcheck sessionfuzz >make.log 2>&1 || { cat make.log; exit 1; }
    ;;
  check)
    out=$2 results=$3
    top=$(sed -n 's/^TOP = //p' "$out/Makefile")
    rc=0
    # The timing in fuzzcheck's summary line is the only part that may differ between builds.
    (cd "$out" && ./fuzzcheck "$top"/test/fuzzdata[1-8].db) 2>&1 |
      sed -E 's/ in [0-9.]+ seconds//' >"$results/fuzzcheck.out" || rc=$?
    # the pipeline's status is sed's: fuzzcheck's own is its last line's verdict, checked by the diff
    echo "$rc" >"$results/fuzzcheck.rc"
    rc=0
    (cd "$out" && ./sessionfuzz run "$top/test/sessionfuzz-data1.db") >"$results/sessionfuzz.out" 2>&1 ||
      rc=$?
    echo "$rc" >"$results/sessionfuzz.rc"
    ;;
esac
