// Under full LTO, a function compiled without the pass ends up in the same merged module as the
// deferred ones, as a definition with nothing to say it was not instrumented (docs/pass.md, "LTO":
// "functions compiled without the pass stay uninstrumented wherever they end up"). A recursive
// function that calls it must keep the stack-guard compare at entry in thread-page mode, as it does
// when the uninstrumented function stays a declaration (docs/pass.md, "Why a thread-page entry poll
// may skip the stack check": the compare stays for "a declaration (the C library, another
// module)"): the uninstrumented callee has no probes and needs the margin. The link-time pass took
// the merged definition for instrumented code and gave recurse() the thread page's load.
//
// Not LTO: the plain function is a declaration here, so recurse() keeps the compare.
// RUN: clang -O2 -DPLAIN_ONLY -c %s -o %t.plain.o
// RUN: %spcc -O2 -DPOLLED_ONLY -c %s -o %t.polled.o
// RUN: %sp-inspect %t.polled.o | FileCheck %s
// Full LTO, the plain module compiled by clang without the plugin: the same placement.
// RUN: clang -O2 -flto -DPLAIN_ONLY -c %s -o %t.plain.lto.o
// RUN: %spcc -O2 -flto -DPOLLED_ONLY -c %s -o %t.polled.lto.o
// RUN: %spcc -O2 -flto %t.polled.lto.o %t.plain.lto.o -o %t.full
// RUN: %sp-inspect %t.full | FileCheck %s
// RUN: %t.full | FileCheck %s --check-prefix=OUT
//
// CHECK: entry stack-guard recurse
// OUT: 212

#include <stdio.h>

#ifdef PLAIN_ONLY
// Uninstrumented: a frame of several pages and no probes.
__attribute__((noinline)) long plain_work(long n) {
  volatile char buf[12 * 1024];
  buf[0] = (char)n;
  return buf[0] + n;
}
#endif

#ifdef POLLED_ONLY
long plain_work(long n);

// Not a tail call nor an accumulation, so that it stays a recursion.
__attribute__((noinline)) long recurse(long n) {
  return n <= 0 ? 0 : plain_work(recurse(n - 1) + n);
}

int main(void) {
  printf("%ld\n", recurse(20));
  return 0;
}
#endif
