#!/bin/sh
# test.sh: installs what is missing, builds Safepoint and runs every test - the lit suite (pass, drivers,
# sp-inspect) and the runtime's GoogleTest suite, then real programs from Debian sources built with
# sp-cc and checked by their own tests (test/realworld, default poll mode) - then the runtime's tests
# again under AddressSanitizer and under ThreadSanitizer. The last line sums up every configuration:
# "tests: N passed, N failed". Exits non-zero if any build or test failed.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1

sh scripts/install-deps.sh || exit 1

passed=0
failed=0
status=0
logs=$(mktemp -d)

# count SUMMARY_PASSED SUMMARY_FAILED: adds one runner's counts to the totals.
count() {
  passed=$((passed + $1))
  failed=$((failed + $2))
  [ "$2" -eq 0 ] || status=1
}

# build NAME BUILD_DIR CMAKE_ARGS...: configures and builds one configuration, quietly unless it fails.
build() {
  name=$1 dir=$2
  shift 2
  echo "=== $name: build ($dir)"
  if ! sh scripts/build.sh "$dir" "$@" >"$logs/$name.build" 2>&1; then
    cat "$logs/$name.build"
    echo "=== $name: BUILD FAILED"
    count 0 1
    return 1
  fi
}

# run_lit BUILD_DIR: the lit suite, with lit's own summary.
run_lit() {
  echo "=== lit"
  python3 "$(sed -n 's/^SP_LIT:FILEPATH=//p' "$1/CMakeCache.txt")" -sv "$1/test/lit" 2>&1 |
    tee "$logs/lit.test"
  lit_passed=$(sed -nE 's/^ *(Passed|Expectedly Failed) *: *([0-9]+).*/\2/p' "$logs/lit.test" |
    awk '{ n += $1 } END { print n + 0 }')
  lit_failed=$(sed -nE 's/^ *(Failed|Unexpectedly Passed|Timed Out|Unresolved) *: *([0-9]+).*/\2/p' \
    "$logs/lit.test" | awk '{ n += $1 } END { print n + 0 }')
  if [ "$lit_passed" -eq 0 ] && [ "$lit_failed" -eq 0 ]; then
    echo "=== lit ran no test"
    count 0 1
  else
    count "$lit_passed" "$lit_failed"
  fi
}

# run_ctest NAME BUILD_DIR CTEST_ARGS: GoogleTest suites through ctest, with ctest's own summary.
run_ctest() {
  echo "=== $1: ctest"
  # shellcheck disable=SC2086 # $3 is a word list
  ctest --test-dir "$2" --output-on-failure $3 2>&1 | tee "$logs/$1.test"
  summary=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$logs/$1.test")
  if [ -z "$summary" ]; then
    echo "=== $1: ctest ran no test"
    count 0 1
    return
  fi
  total=$(echo "$summary" | sed -E 's/.* failed out of ([0-9]+).*/\1/')
  suite_failed=$(echo "$summary" | sed -E 's/.* ([0-9]+) tests? failed out of.*/\1/')
  count $((total - suite_failed)) "$suite_failed"
}

# run_realworld BUILD_DIR: zlib, SQLite and Lua from Debian sources against plain builds, with the
# corpus's own summary.
run_realworld() {
  echo "=== realworld"
  sh test/realworld/run.sh --build "$1" 2>&1 | tee "$logs/realworld.test"
  summary=$(grep -E '^realworld: [0-9]+ passed, [0-9]+ failed$' "$logs/realworld.test")
  if [ -z "$summary" ]; then
    echo "=== realworld: no summary"
    count 0 1
    return
  fi
  count "$(echo "$summary" | sed -E 's/^realworld: ([0-9]+) passed.*/\1/')" \
    "$(echo "$summary" | sed -E 's/.* ([0-9]+) failed$/\1/')"
}

if build all build; then
  run_lit build
  run_ctest runtime build "-L runtime"
  run_realworld build
fi
if build asan build-asan -DSP_ASAN=ON -DSP_BUILD_BENCHMARKS=OFF; then
  run_ctest runtime-asan build-asan "-L runtime"
fi
if build tsan build-tsan -DSP_TSAN=ON -DSP_BUILD_BENCHMARKS=OFF; then
  run_ctest runtime-tsan build-tsan "-L runtime"
fi

rm -rf "$logs"
echo "tests: $passed passed, $failed failed"
exit $status
