#!/bin/sh
# run.sh: real programs from Debian 12 source packages, built with sp-cc / sp-c++ and checked by their
# own tests against plain clang-19 builds of the same sources (docs/realworld.md).
#
#   sh test/realworld/run.sh [--build DIR] [--mode MODE]... [--all-modes] [--package NAME]...
#                            [--quicktest]
#
# --build DIR   the Safepoint build whose bin/sp-cc and bin/sp-c++ to use (default: build)
# --mode MODE   a poll mode to build the programs in (thread-page, global-page, flag, call); may be
#               repeated. Default: thread-page, the mode CI runs (scripts/test.sh).
# --all-modes   every poll mode.
# --package P   only this package (zlib, sqlite3, lua5.4); may be repeated. Default: all three.
# --quicktest   SQLite's TCL quicktest too (minutes more per build; creates the user sp-realworld).
#
# Packages: zlib (`make test`), sqlite3 (`make fuzztest`: fuzzcheck and sessionfuzz; and eight
# in-memory databases used at once by preempted green threads on 1, 2 and 4 Ps, test/realworld/sqlite)
# and lua5.4 (test/realworld/lua/*.lua, also run as a preempted green thread on 1, 2 and 4 Ps). Each
# check's exit status and output must equal the plain build's; any difference fails loudly with the
# diff.
# Sources, plain builds and plain results are cached outside the checkout, in
# ${SP_REALWORLD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/safepoint/realworld}; plain builds and their
# results are keyed by package version and by the checks' own files, instrumented ones are rebuilt
# every run. The last line is "realworld: N passed, N failed"; the exit status is 1 on any failure.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/test/realworld
build=$root/build
modes=
packages=
while [ $# -gt 0 ]; do
  case $1 in
    --build) build=$(cd "$2" && pwd); shift ;;
    --mode) modes="$modes $2"; shift ;;
    --all-modes) modes="thread-page global-page flag call" ;;
    --package) packages="$packages $2"; shift ;;
    --quicktest) SP_REALWORLD_QUICKTEST=1; export SP_REALWORLD_QUICKTEST ;;
    *) echo "usage: run.sh [--build DIR] [--mode MODE]... [--all-modes] [--package NAME]..." \
         "[--quicktest]" >&2
       exit 2 ;;
  esac
  shift
done
modes=${modes:-thread-page}
cache=${SP_REALWORLD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/safepoint/realworld}
packages=${packages:-zlib sqlite3 lua5.4}

passed=0
failed=0

# fail WHAT: counts one failed check and says which, loudly.
fail() {
  failed=$((failed + 1))
  echo "realworld: FAIL: $1"
}

# give_up WHAT: a failure that stops the whole run, still with the summary line scripts/test.sh reads.
give_up() {
  fail "$1"
  echo "realworld: $passed passed, $failed failed"
  exit 1
}

for tool in sp-cc sp-c++; do
  [ -x "$build/bin/$tool" ] || give_up "no $build/bin/$tool (build Safepoint first)"
done

# shellcheck disable=SC2086 # packages is a word list
sources=$(sh "$here/sources.sh" "$cache" $packages) || give_up "fetching the Debian sources"

# compiler_wrappers DIR MODE: DIR/cc and DIR/c++, sp-cc and sp-c++ in poll mode MODE, as single
# commands (configure scripts and libtool take CC as one word more reliably than with options).
compiler_wrappers() {
  mkdir -p "$1"
  printf '#!/bin/sh\nexec %s -mllvm -sp-poll=%s "$@"\n' "$build/bin/sp-cc" "$2" >"$1/cc"
  printf '#!/bin/sh\nexec %s -mllvm -sp-poll=%s "$@"\n' "$build/bin/sp-c++" "$2" >"$1/c++"
  chmod +x "$1/cc" "$1/c++"
}

# build_and_check PACKAGE SRC DIR CC CXX [runtime]: builds into DIR/build, writes DIR/results.
build_and_check() {
  package=$1 src=$2 dir=$3 cc=$4 cxx=$5 extra=${6:-}
  rm -rf "$dir/results"
  mkdir -p "$dir/results"
  # shellcheck disable=SC2086 # extra is empty or one word
  sh "$here/$package.sh" build "$src" "$dir/build" "$cc" "$cxx" $extra >"$dir/build.log" 2>&1 &&
    sh "$here/$package.sh" check "$dir/build" "$dir/results" $extra
}

# compare PACKAGE REFERENCE RESULTS LABEL: every check in RESULTS against the plain one it names.
compare() {
  package=$1 reference=$2 results=$3 label=$4
  for rc_file in "$results"/*.rc; do
    check=$(basename "$rc_file" .rc)
    plain_check=${check%%@*}
    what="$package $check ($label)"
    if [ -f "$results/$check.expected" ]; then
      if [ "$(cat "$rc_file")" = 0 ] && cmp -s "$results/$check.expected" "$results/$check.out"; then
        passed=$((passed + 1))
      else
        fail "$what: exit status $(cat "$rc_file"), output not as expected"
        diff -u "$results/$check.expected" "$results/$check.out"
        [ ! -f "$results/$check.log" ] || cat "$results/$check.log"
      fi
    elif [ ! -f "$reference/$plain_check.rc" ]; then
      fail "$what: no plain result $plain_check"
    elif [ "$(cat "$reference/$plain_check.rc")" != 0 ]; then
      fail "$what: the plain build fails this check too (exit $(cat "$reference/$plain_check.rc"))"
      tail -n 20 "$reference/$plain_check.out"
    elif [ "$(cat "$rc_file")" != 0 ]; then
      fail "$what: exit status $(cat "$rc_file"), plain 0"
      diff -u "$reference/$plain_check.out" "$results/$check.out" | head -n 60
    elif ! cmp -s "$reference/$plain_check.out" "$results/$check.out"; then
      fail "$what: output differs from the plain build's"
      diff -u "$reference/$plain_check.out" "$results/$check.out" | head -n 60
    else
      passed=$((passed + 1))
    fi
  done
}

# preempted PACKAGE RESULTS LABEL: the runtime checks prove something only if the runtime really
# preempted the program: in each configuration, over all its runs, at least once.
preempted() {
  for config in $(find "$2" -name '*@*.preemptions' | sed -n 's/.*@\(.*\)\.preemptions$/\1/p' |
                  sort -u); do
    total=$(cat "$2"/*@"$config".preemptions | awk '{ n += $1 } END { print n + 0 }')
    if [ "$total" -gt 0 ]; then
      passed=$((passed + 1))
    else
      fail "$1 $config ($3): the runtime never preempted the program"
    fi
  done
}

# no_runtime_code DIR PLAIN LABEL: every executable and shared library built in DIR that the plain
# build in PLAIN has too (the package's own programs, which never start the runtime; the drivers
# that run code as green threads exist only in instrumented builds) carries no runtime code: sp-cc
# links the runtime only into programs that call sp_main.
no_runtime_code() {
  for file in $(cd "$1" && find . -type f \( -perm -u+x -o -name '*.so*' \) ! -name '*.o'); do
    [ -e "$2/$file" ] || continue
    [ "$(head -c 4 "$1/$file" | tr -d '\000' | cut -c2-4)" = ELF ] || continue
    runtime=$(llvm-nm-19 --defined-only "$1/$file" |
              grep -E ' (sp__|sp_go$|sp_main$|__sp_poll_slow$|__sp_register_sites$)' | head -n 3)
    if [ -z "$runtime" ]; then
      passed=$((passed + 1))
    else
      fail "$3: $file never starts the runtime but carries its code:"
      echo "$runtime"
    fi
  done
}

clang_version=$(clang-19 --version | head -n 1)

# plain_name PACKAGE: PACKAGE, or the name of its variant with SQLite's quicktest (cached apart).
plain_name() {
  if [ "$1" = sqlite3 ] && [ "${SP_REALWORLD_QUICKTEST:-0}" = 1 ]; then echo "$1-quicktest"
  else echo "$1"; fi
}

# plain_dir PACKAGE: where the plain build and results of PACKAGE are cached, keyed by the package
# version, the compiler and every file that defines how it is built and checked.
plain_dir() {
  key=$( (echo "$(version "$1") $clang_version"; cat "$here/$1.sh"
          [ "$1" != lua5.4 ] || cat "$here/lua.mk" "$here"/lua/*
          [ "$1" != sqlite3 ] || cat "$here"/sqlite/*) | sha256sum | cut -c1-16)
  echo "$cache/plain/$(plain_name "$1")_$key"
}
version() { echo "$sources" | awk -v p="$1" '$1 == p { print $2 }'; }
source_dir() { echo "$sources" | awk -v p="$1" '$1 == p { print $3 }'; }
# The Lua interpreter and the SQLite workers also run as green threads in the instrumented builds.
runtime_checks() { case $1 in lua5.4|sqlite3) echo runtime ;; esac; }

for package in $packages; do
  plain=$(plain_dir "$package")
  [ ! -f "$plain/done" ] || continue
  echo "realworld: $package $(version "$package"): plain clang-19 build and checks (cached in $plain)"
  # Builds under older keys are stale for good: drop them, so the cache holds one per package.
  rm -rf "$cache/plain/$(plain_name "$package")_"*
  if build_and_check "$package" "$(source_dir "$package")" "$plain" clang-19 clang++-19 </dev/null
  then
    touch "$plain/done"
  else
    cat "$plain/build.log"
    echo "realworld: $package: the plain build failed"
  fi
done

for mode in $modes; do
  compiler_wrappers "$cache/bin/$mode" "$mode"
  for package in $packages; do
    plain=$(plain_dir "$package")
    dir="$cache/$mode/$package"
    echo "realworld: $package $(version "$package"): sp-cc -mllvm -sp-poll=$mode"
    if [ ! -f "$plain/done" ]; then
      fail "$package ($mode): no plain build to compare with"
    elif ! build_and_check "$package" "$(source_dir "$package")" "$dir" "$cache/bin/$mode/cc" \
           "$cache/bin/$mode/c++" "$(runtime_checks "$package")" </dev/null; then
      cat "$dir/build.log"
      fail "$package ($mode): build"
    else
      compare "$package" "$plain/results" "$dir/results" "$mode"
      # Call-mode polls call the runtime's __sp_poll, so there every program carries it.
      [ "$mode" = call ] || no_runtime_code "$dir/build" "$plain/build" "$package ($mode)"
      [ -z "$(runtime_checks "$package")" ] || preempted "$package" "$dir/results" "$mode"
    fi
  done
done

echo "realworld: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
