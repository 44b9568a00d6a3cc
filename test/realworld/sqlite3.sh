#!/bin/sh
# sqlite3.sh build SRC OUT CC CXX [runtime] | check OUT RESULTS [runtime]: SQLite's
# `make fuzztest` - fuzzcheck over the fuzz databases in test/ (46,000 SQL and database cases, each
# checked against its invariants) and sessionfuzz over the session-extension cases - each program
# compiled from the amalgamation the source tree generates. And sqlite_threads
# (test/realworld/sqlite/): eight workers, each with its own in-memory database, run an SQL workload
# against the amalgamation built as a library is, in the default (serialized) threading mode. The
# plain build runs the workers one after the other on one OS thread; with "runtime" (instrumented
# builds only) sp-sqlite_threads runs them as green threads of sp_main, preempted every 100 or
# 200 us on 1, 2 and 4 Ps, and their report must equal the plain one. With SP_REALWORLD_QUICKTEST=1
# also the TCL `make quicktest` (testfixture test/extraquick.test), run as an unprivileged user (it
# refuses root), which the script creates: sp-realworld, a system user without home or shell.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
case $1 in
  build)
    src=$2 out=$3 cc=$4 runtime=${6:-}
    rm -rf "$out"
    mkdir -p "$out"
    cd "$out"
    # The code generators (lemon, mkkeywordhash, ...) are built with the same compiler and run at
    # build time: a miscompiled one shows up as a different amalgamation.
    CC=$cc CFLAGS=-O2 "$src/configure" --disable-tcl >configure.log 2>&1 ||
      { cat configure.log; exit 1; }
    make -j2 fuzzcheck sessionfuzz >make.log 2>&1 || { cat make.log; exit 1; }
    # The amalgamation as the library is built (libsqlite3: serialized threading, memory statistics
    # on, so every allocation takes the allocator's global mutex), without fuzzcheck's test options.
    # The green-thread driver has a name of its own: the plain build has no such program, and
    # run.sh checks that the programs both builds have carry no runtime code.
    green='' driver=sqlite_threads
    [ "$runtime" = runtime ] && green=-DSQLITE_THREADS_GREEN driver=sp-sqlite_threads
    # shellcheck disable=SC2086 # green is empty or one word
    { "$cc" -O2 -DSQLITE_THREADSAFE=1 -DSQLITE_ENABLE_MATH_FUNCTIONS -DNDEBUG -I. -c sqlite3.c \
        -o sqlite3.o &&
      "$cc" -O2 $green -I. "$here/sqlite/sqlite_threads.c" sqlite3.o -lm -o "$driver"
    } >sqlite_threads.log 2>&1 || { cat sqlite_threads.log; exit 1; }
    if [ "${SP_REALWORLD_QUICKTEST:-0}" = 1 ]; then
      mkdir tcl
      cd tcl
      CC=$cc CFLAGS=-O2 "$src/configure" --with-tcl=/usr/lib/tcl8.6 >configure.log 2>&1 ||
        { cat configure.log; exit 1; }
      make -j2 testfixture >make.log 2>&1 || { cat make.log; exit 1; }
    fi
    ;;
  check)
    out=$2 results=$3 runtime=${4:-}
    top=$(sed -n 's/^TOP = //p' "$out/Makefile")
    if [ "$runtime" = runtime ]; then
      for procs in 1 2 4; do
        for quantum in 100 200; do
          # Compared with the plain build's sqlite_threads (the part before @).
          result="$results/sqlite_threads@sp_main-procs$procs-quantum$quantum"
          rc=0
          # A hang (a lock held across a switch, say) is a failure with a name, not a stuck CI.
          SPMAXPROCS=$procs SPDEBUG=quantum=$quantum timeout 60 "$out/sp-sqlite_threads" \
            >"$result.out" 2>"$result.err" || rc=$?
          [ "$rc" != 124 ] || echo "sqlite_threads: timed out after 60 s (a hang)" >>"$result.err"
          echo "$rc" >"$result.rc"
          # The preemption count goes to its own file (it varies); the rest of stderr is output.
          sed -n 's/^preemptions: \([0-9]*\).*/\1/p' "$result.err" >"$result.preemptions"
          grep -v '^preemptions: ' "$result.err" >>"$result.out" || true
          rm -f "$result.err"
        done
      done
    else
      rc=0
      "$out/sqlite_threads" >"$results/sqlite_threads.out" 2>&1 || rc=$?
      echo "$rc" >"$results/sqlite_threads.rc"
    fi
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
    [ -x "$out/tcl/testfixture" ] || exit 0
    user=sp-realworld
    id "$user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$user"
    # The user can read neither root's cache nor the checkout: a private copy it owns.
    work=$(mktemp -d /tmp/sp-realworld-quicktest.XXXXXX)
    cp -a "$top" "$work/src"
    cp "$out/tcl/testfixture" "$work/"
    chown -R "$user" "$work"
    rc=0
    su -s /bin/sh "$user" -c "cd '$work' && ./testfixture '$work/src/test/extraquick.test' \
      --verbose=file --output=test-out.txt" >"$results/quicktest.log" 2>&1 || rc=$?
    rm -rf "$work"
    # testfixture exits 1 when any test fails, and the plain build fails one (Debian's page-size
    # patch, docs/realworld.md): what must match is the count and the list of failures.
    grep -E '^[0-9]+ errors out of [0-9]+ tests|^!Failures on these tests' "$results/quicktest.log" |
      sed -E 's/ tests on .*/ tests/' >"$results/quicktest.out"
    if grep -q 'errors out of' "$results/quicktest.out"; then rc=0; fi
    echo "$rc" >"$results/quicktest.rc"
    ;;
esac
