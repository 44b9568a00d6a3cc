// A program using function multiversioning (target_clones: an ifunc whose resolver runs while the
// program is relocated, before thread-local storage exists) starts and runs, dynamically and
// statically linked, in a page mode and in flag mode; the clones are instrumented and the table
// lists exactly their polls. With polls in the resolver it died with SIGSEGV before main.
// RUN: %spcc -O2 -c %s -o %t.o
// RUN: %spcc %t.o -Wl,--emit-relocs -o %t
// RUN: %t | FileCheck %s --check-prefix=RUNS
// RUN: %python %inputs/check-site-table.py %sp-inspect %t %t.o | FileCheck %s
// RUN: %spcc -O2 -static %t.o -o %t.static
// RUN: %t.static | FileCheck %s --check-prefix=RUNS
// RUN: %spcc -O2 -mllvm -sp-poll=flag -static %s -o %t.flag
// RUN: %t.flag | FileCheck %s --check-prefix=RUNS
// RUN: %sp-inspect %t | FileCheck %s --check-prefix=TABLE --implicit-check-not=work.resolver

#include <stdio.h>

__attribute__((noinline)) static void use(long x) { __asm__ volatile("" : : "r"(x)); }

__attribute__((target_clones("avx2", "default"))) long work(long n) {
  long s = 0;
  for (long i = 0; i < n; ++i) {
    use(i);
    s += i;
  }
  return s;
}

int main(int argc, char **argv) {
  (void)argv;
  printf("%ld\n", work(argc * 100));
  return 0;
}

// RUNS: {{^}}4950{{$}}
// CHECK: ok: [[N:[0-9]+]] sites, [[N]] polls (thread-page [[N]]){{$}}
// TABLE-DAG: loop     thread-page work.avx2
// TABLE-DAG: loop     thread-page work.default
