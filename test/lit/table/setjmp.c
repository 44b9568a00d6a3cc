// A loop built from setjmp and longjmp: the poll after setjmp (a loop site) is in the table like
// every other poll, and the program runs as written at -O0 and -O2, in a page mode and in flag mode
// (the flag check splits the block right after setjmp).
// RUN: %spcc -O2 -c %s -o %t.o
// RUN: %spcc %t.o -Wl,--emit-relocs -o %t
// RUN: %t | FileCheck %s --check-prefix=RUNS
// RUN: %python %inputs/check-site-table.py %sp-inspect %t %t.o | FileCheck %s
// RUN: %sp-inspect %t | FileCheck %s --check-prefix=TABLE
// RUN: %spcc -O0 -mllvm -sp-poll=flag -c %s -o %t.flag.o
// RUN: %spcc %t.flag.o -Wl,--emit-relocs -o %t.flag
// RUN: %t.flag | FileCheck %s --check-prefix=RUNS
// RUN: %python %inputs/check-site-table.py %sp-inspect %t.flag %t.flag.o | FileCheck %s --check-prefix=FLAG

#include <setjmp.h>
#include <stdio.h>

static jmp_buf env;
static volatile long count;

__attribute__((noinline)) void spin_longjmp(long n) {
  setjmp(env);
  if (++count < n)
    longjmp(env, 1);
}

int main(int argc, char **argv) {
  (void)argv;
  spin_longjmp(argc * 1000);
  printf("%ld\n", count);
  return 0;
}

// spin_longjmp polls at entry (the thread page's load; in flag mode the stack-guard compare); main
// first calls it, so main has no entry poll of its own (rule E6).
// RUNS: {{^}}1000{{$}}
// CHECK: ok: [[N:[0-9]+]] sites, [[N]] polls (thread-page [[N]]){{$}}
// FLAG: ok: [[N:[0-9]+]] sites, [[N]] polls (flag {{[1-9][0-9]*}}, stack-guard 1)
// TABLE-NOT: {{ main}}
// TABLE: entry    thread-page spin_longjmp
// TABLE: loop     thread-page spin_longjmp
// TABLE-NOT: {{ main}}
