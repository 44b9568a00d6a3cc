// Under LTO the polls go in at the end of the link-time pipeline, after the link-time optimizer has
// vectorized: the compile step only records its options (no poll, no site record), the link step
// instruments each module once, and the site table matches the code. ThinLTO and full LTO with lld,
// in several modes, at -O2 and -O0.
//
// The compile step defers: no poll in the bitcode, the options recorded, the guard reference present.
// RUN: %clang-sp -O2 -flto=thin -mllvm -sp-poll=flag -c %s -o %t.thin.o
// RUN: llvm-dis %t.thin.o -o - | FileCheck %s --check-prefix=DEFERRED
// DEFERRED-NOT: 8201:
// DEFERRED: @"safepoint: this LTO link did not run the Safepoint pass; link with -fuse-ld=lld -Wl,--load-pass-plugin=SafepointPlugin.so (sp-cc does)" = external constant i8
// DEFERRED: attributes #{{[0-9]+}} = { {{.*}}"safepoint.deferred-to-link-time"="poll=flag;max-elided-trips=1000;strip-mining;strip-mining-max-body=0;poll-every=1024;counter-max-body=0;no-epilogue-polls;entry-checks"
//
// ThinLTO, linked by sp-cc (lld, plugin loaded): vectorized, polled, table exact, same output.
// RUN: %spcc -O2 -flto=thin %t.thin.o -Wl,--emit-relocs -o %t.thin
// RUN: llvm-objdump -d --no-show-raw-insn %t.thin | FileCheck %s --check-prefix=VEC
// RUN: %sp-inspect %t.thin | FileCheck %s --check-prefix=FLAG
// RUN: %python %inputs/check-site-table.py %sp-inspect %t.thin %t.thin.o | FileCheck %s --check-prefix=TABLE
// RUN: %t.thin | FileCheck %s --check-prefix=OUT
//
// Full LTO in the default mode, from two modules (the summing loop in one, main in the other).
// RUN: %spcc -O2 -flto -DSUM_ONLY -c %s -o %t.full-sum.o
// RUN: %spcc -O2 -flto -DMAIN_ONLY -c %s -o %t.full-main.o
// RUN: %spcc -O2 -flto %t.full-sum.o %t.full-main.o -Wl,--emit-relocs -o %t.full
// RUN: llvm-objdump -d --no-show-raw-insn %t.full | FileCheck %s --check-prefix=VEC
// RUN: %sp-inspect %t.full | FileCheck %s --check-prefix=PAGE
// RUN: %python %inputs/check-site-table.py %sp-inspect %t.full %t.full-sum.o %t.full-main.o | FileCheck %s --check-prefix=TABLE
// RUN: %t.full | FileCheck %s --check-prefix=OUT
//
// Full LTO in global-page mode and ThinLTO in call mode, compiled and linked in one step; -O0.
// RUN: %spcc -O2 -flto -mllvm -sp-poll=global-page %s -o %t.global && %t.global | FileCheck %s --check-prefix=OUT
// RUN: %sp-inspect %t.global | FileCheck %s --check-prefix=GLOBAL
// RUN: %spcc -O2 -flto=thin -mllvm -sp-poll=call %s -o %t.call && %t.call | FileCheck %s --check-prefix=OUT
// RUN: %sp-inspect %t.call | FileCheck %s --check-prefix=CALL
// RUN: %spcc -O0 -flto=thin %s -o %t.O0thin && %t.O0thin | FileCheck %s --check-prefix=OUT
// RUN: %sp-inspect %t.O0thin | FileCheck %s --check-prefix=PAGE
// RUN: %spcc -O0 -flto %s -o %t.O0full && %t.O0full | FileCheck %s --check-prefix=OUT
// RUN: %sp-inspect %t.O0full | FileCheck %s --check-prefix=PAGE
//
// Each function keeps the options of the module it was compiled in, even merged (full LTO) or
// imported (ThinLTO) into another: here sum in the default mode and main in flag mode.
// RUN: %spcc -O2 -flto -DMAIN_ONLY -mllvm -sp-poll=flag -c %s -o %t.full-main-flag.o
// RUN: %spcc -O2 -flto %t.full-sum.o %t.full-main-flag.o -o %t.mixed && %t.mixed | FileCheck %s --check-prefix=OUT
// RUN: %sp-inspect %t.mixed | FileCheck %s --check-prefix=MIXED
// RUN: %spcc -O2 -flto=thin -DSUM_ONLY -c %s -o %t.thin-sum.o
// RUN: %spcc -O2 -flto=thin -DMAIN_ONLY -mllvm -sp-poll=flag -c %s -o %t.thin-main-flag.o
// RUN: %spcc -O2 -flto=thin %t.thin-sum.o %t.thin-main-flag.o -o %t.thin-mixed && %t.thin-mixed | FileCheck %s --check-prefix=OUT
// RUN: %sp-inspect %t.thin-mixed | FileCheck %s --check-prefix=MIXED
// MIXED-DAG: loop thread-page sum
// MIXED-DAG: loop flag{{ +}}main
//
// A module instrumented at -O0 merged by full LTO with deferred ones: both get polls.
// RUN: %spcc -O0 -flto -DMAIN_ONLY -c %s -o %t.full-main-O0.o
// RUN: %spcc -O2 -flto %t.full-sum.o %t.full-main-O0.o -o %t.O0mix && %t.O0mix | FileCheck %s --check-prefix=OUT
// RUN: %sp-inspect %t.O0mix | FileCheck %s --check-prefix=O0MIX
// O0MIX-DAG: loop thread-page sum
// O0MIX-DAG: loop thread-page main
//
// Full LTO split into partitions keeps the table's registration (a COMDAT split between partitions
// lost its constructor, and the first preemption then killed the program): as many constructors as
// without partitions (the size of .init_array; its address moves with what the link pulls in).
// RUN: %spcc -O2 -flto %t.full-sum.o %t.full-main.o -Wl,--lto-partitions=2 -o %t.partitions
// RUN: llvm-readelf -S %t.full | grep -o ' .init_array .*' | awk '{ print $5 }' > %t.init-array-one
// RUN: llvm-readelf -S %t.partitions | grep -o ' .init_array .*' | awk '{ print $5 }' | diff %t.init-array-one -
//
// -ffat-lto-objects: the native code beside the bitcode polls, and links without LTO.
// RUN: %spcc -O2 -flto=thin -ffat-lto-objects -c %s -o %t.fat.o
// RUN: %spcc -O2 %t.fat.o -o %t.fat-native && %t.fat-native | FileCheck %s --check-prefix=OUT
// RUN: %sp-inspect %t.fat-native | FileCheck %s --check-prefix=PAGE
// RUN: %spcc -O2 -flto=thin %t.fat.o -o %t.fat-lto && %t.fat-lto | FileCheck %s --check-prefix=OUT
// RUN: %sp-inspect %t.fat-lto | FileCheck %s --check-prefix=PAGE
//
// Deferred bitcode compiled to native code without LTO polls; so does an lld link without -flto on
// its command line (lld still performs LTO; sp-cc loads the pass for every lld link).
// RUN: cp %t.thin.o %t.thin.bc
// RUN: %spcc -O2 %t.thin.bc -o %t.frombc && %t.frombc | FileCheck %s --check-prefix=OUT
// RUN: %sp-inspect %t.frombc | FileCheck %s --check-prefix=FLAG
// RUN: %spcc -fuse-ld=lld %t.thin.o -o %t.lldnoflto && %t.lldnoflto | FileCheck %s --check-prefix=OUT
// RUN: %sp-inspect %t.lldnoflto | FileCheck %s --check-prefix=FLAG
//
// A link that does not run the pass fails, naming the problem; sp-cc refuses gold up front.
// RUN: not clang -fuse-ld=lld -flto=thin %t.thin.o -o %t.noplugin 2>&1 | FileCheck %s --check-prefix=NOPLUGIN
// NOPLUGIN: undefined symbol: safepoint: this LTO link did not run the Safepoint pass; link with -fuse-ld=lld -Wl,--load-pass-plugin=SafepointPlugin.so (sp-cc does)
// RUN: not clang -fuse-ld=gold -flto=thin %t.thin.o -o %t.gold 2>&1 | FileCheck %s --check-prefix=GOLD
// GOLD: undefined reference to 'safepoint: this LTO link did not run the Safepoint pass
// RUN: not %spcc -fuse-ld=gold -flto=thin %t.thin.o -o %t.gold 2>&1 | FileCheck %s --check-prefix=SPCC-GOLD
// SPCC-GOLD: error: -flto with -fuse-ld=gold: the Safepoint pass must run in the link-time optimizer, and only lld can load it there
//
// A module compiled without the pass is left alone at link time, even merged with one compiled with it.
// RUN: clang -O2 -flto=thin -c %s -o %t.plain.o
// RUN: %spcc -O2 -flto=thin %t.plain.o -o %t.plain
// RUN: not %sp-inspect %t.plain 2>&1 | FileCheck %s --check-prefix=NONE
// NONE: no safepoint table (no section sp_sites or sp_blind_spots)
// RUN: clang -O2 -flto -DMAIN_ONLY -c %s -o %t.plain-main.o
// RUN: %spcc -O2 -flto %t.full-sum.o %t.plain-main.o -o %t.plain-mix && %t.plain-mix | FileCheck %s --check-prefix=OUT
// RUN: %sp-inspect %t.plain-mix | FileCheck %s --check-prefix=PLAINMIX
// PLAINMIX: loop thread-page sum
// PLAINMIX-NOT: main

// The summing loop is vectorized (packed adds) as in a build without LTO.
// VEC-LABEL: <sum>:
// VEC:         paddq
// FLAG: loop     flag{{ +}}sum
// PAGE: loop     thread-page sum
// GLOBAL: loop     global-page sum
// CALL: loop     call{{ +}}sum
// TABLE: ok:
// OUT: 499999500000
#include <stdio.h>
#include <stdlib.h>

long sum(const int *a, long n);
#ifndef MAIN_ONLY
__attribute__((noinline)) long sum(const int *a, long n) {
  long s = 0;
  for (long i = 0; i < n; i++)
    s += a[i];
  return s;
}
#endif

#ifndef SUM_ONLY
int main(int argc, char **argv) {
  long n = 1000000L * argc;
  int *a = malloc(n * sizeof *a);
  for (long i = 0; i < n; i++)
    a[i] = (int)i;
  printf("%ld\n", sum(a, n));
  free(a);
  return 0;
}
#endif
