#!/bin/sh
# compare_plugins.sh OLD_PLUGIN NEW_PLUGIN ZLIB_SRC BZIP2_SRC: executed instructions (cachegrind) and
# .text size of the kernels in kernels/, zlib and bzip2 (Debian source trees, from `apt-get source
# zlib bzip2`), built with plain clang-19 -O2 and with each plugin in the default mode. Prints ratios
# to the plain build. Instruction counts do not depend on the machine's load; nothing is timed.
set -eu
old=$1 new=$2 zsrc=$3 bsrc=$4
here=$(cd "$(dirname "$0")" && pwd)
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
head -c 4000000 /dev/urandom | base64 > "$w/input"
build() { # VARIANT CLANG_FLAGS...
  v=$1
  shift
  for k in vec hash list fib matmul interp; do
    clang-19 -w -O2 "$@" "$here/kernels/$k.c" -o "$w/$k.$v"
  done
  for f in adler32 compress crc32 deflate gzclose gzlib gzread gzwrite infback inffast inflate \
           inftrees trees uncompr zutil; do
    clang-19 -w -O2 "$@" -D_LARGEFILE64_SOURCE=1 -DHAVE_HIDDEN -DZ_HAVE_UNISTD_H -I"$zsrc" \
      -c "$zsrc/$f.c" -o "$w/z.$f.$v.o"
  done
  clang-19 -w -O2 "$@" -I"$zsrc" -I"$here/programs" "$here/programs/zlib_roundtrip.c" \
    "$w"/z.*."$v".o -o "$w/zlib.$v"
  for f in blocksort huffman crctable randtable compress decompress bzlib; do
    clang-19 -w -O2 "$@" -D_FILE_OFFSET_BITS=64 -I"$bsrc" -c "$bsrc/$f.c" -o "$w/b.$f.$v.o"
  done
  clang-19 -w -O2 "$@" -I"$bsrc" -I"$here/programs" "$here/programs/bzip2_roundtrip.c" \
    "$w"/b.*."$v".o -o "$w/bzip2.$v"
}
build plain
build old "-fpass-plugin=$old"
build new "-fpass-plugin=$new"
args() {
  case $1 in
    vec) echo 4096 20000 ;; hash) echo 65536 600 ;; list) echo 16384 600 ;; fib) echo 33 ;;
    matmul) echo 256 12 ;; interp) echo 20000 ;; *) echo "$w/input" ;;
  esac
}
printf "%-8s %14s %8s %8s %8s %8s\n" bench plain_instr old new old_text new_text
for b in vec hash list fib matmul interp zlib bzip2; do
  for v in plain old new; do
    # shellcheck disable=SC2046 # args are words
    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$w/$b.$v" $(args "$b") \
      > "$w/$b.$v.out" 2> "$w/$b.$v.cg"
    eval "i_$v=\$(sed -n 's/.*I *refs: *//p' \"$w/$b.$v.cg\" | tr -d ,)"
    eval "t_$v=\$(size -A \"$w/$b.$v\" | awk '\$1==\".text\"{print \$2}')"
  done
  cmp -s "$w/$b.plain.out" "$w/$b.new.out" || echo "OUTPUT DIFFERS: $b"
  # shellcheck disable=SC2154 # set by eval above
  printf "%-8s %14s %8.4f %8.4f %8.4f %8.4f\n" "$b" "$i_plain" "$(echo "$i_old/$i_plain" | bc -l)" \
    "$(echo "$i_new/$i_plain" | bc -l)" "$(echo "$t_old/$t_plain" | bc -l)" "$(echo "$t_new/$t_plain" | bc -l)"
done
