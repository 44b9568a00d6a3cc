#!/bin/sh
# lua5.4.sh build SRC OUT CC CXX [runtime] | check OUT RESULTS [runtime]: Lua 5.4 built as C (errors
# are longjmps) and as C++ (errors are exceptions), running the scripts in test/realworld/lua/. With
# "runtime" (instrumented builds only), also the interpreter run as a green thread (sp_lua.c),
# preempted every 200 us or so on 1, 2 and 4 Ps, whose output must equal the plain interpreter's; and
# the demo examples/lua_threads.c on one P: every interpreter progresses, or with forced preemption
# off, only one (*.expected: these checks have no plain build to compare with).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
case $1 in
  build)
    src=$2 out=$3 cc=$4 cxx=$5 targets="all ${6:-}"
    rm -rf "$out"
    mkdir -p "$out"
    # shellcheck disable=SC2086 # targets is a word list
    make -C "$out" -j2 -f "$here/lua.mk" SRC="$src/src" CC="$cc" CXX="$cxx" $targets \
      >"$out/make.log" 2>&1 || { cat "$out/make.log"; exit 1; }
    ;;
  check)
    out=$2 results=$3 runtime=${4:-}
    cd "$here/lua"
    for script in *.lua; do
      name=${script%.lua}
      for lua in lua lua-c++; do
        rc=0
        SP_REALWORLD_MARK="set" "$out/$lua" "$script" >"$results/$lua-$name.out" \
          2>"$results/$lua-$name.err" || rc=$?
        echo "$rc" >"$results/$lua-$name.rc"
        cat "$results/$lua-$name.err" >>"$results/$lua-$name.out"
        rm -f "$results/$lua-$name.err"
      done
      [ "$runtime" = runtime ] || continue
      for procs in 1 2 4; do
        for lua in lua lua-c++; do
          # Compared with the plain build's lua-NAME / lua-c++-NAME (the part before @).
          result="$results/$lua-$name@sp_main-procs$procs"
          rc=0
          SP_REALWORLD_MARK="set" SP_LUA_STATS=1 SPMAXPROCS=$procs SPDEBUG=quantum=200 \
            "$out/sp-$lua" "$script" >"$result.out" 2>"$result.err" || rc=$?
          echo "$rc" >"$result.rc"
          # The preemption count goes to its own file (it varies); anything else on stderr is output.
          sed -n 's/^preemptions: //p' "$result.err" >"$result.preemptions"
          grep -v '^preemptions: ' "$result.err" >>"$result.out" || true
          rm -f "$result.err"
        done
      done
    done
    [ "$runtime" = runtime ] || exit 0
    for preemption in on off; do
      result="$results/lua_threads-preemption-$preemption"
      rc=0
      SPMAXPROCS=1 SPDEBUG=quantum=1000,asyncpreemptoff=$([ $preemption = on ] && echo 0 || echo 1) \
        "$out/lua_threads" 4 300 >"$result.log" 2>&1 || rc=$?
      echo "$rc" >"$result.rc"
      tail -n 1 "$result.log" >"$result.out"
      echo "$([ $preemption = on ] && echo 4 || echo 1) of 4 Lua green threads made progress" \
        >"$result.expected"
    done
    ;;
esac
