// Under full LTO, a function compiled without the pass ends up in the same merged module as the
// deferred ones, as a definition with nothing to say it was not instrumented (docs/pass.md, "LTO":
// "functions compiled without the pass stay uninstrumented wherever they end up"). With
// -sp-entry-stack-margin=1 (for a runtime with a one-page guard), a recursive function that calls it
// must keep the stack-guard compare at entry in thread-page mode, as it does when the uninstrumented
// function stays a declaration (docs/pass.md, "The stack margin"): the uninstrumented callee has no
// probes and needs the margin. The link-time pass took the merged definition for instrumented code and gave recurse()
// the thread page's load. By default (no margin compare: the runtime's guard region is the margin)
// every thread-page entry poll is the page load, with or without LTO.
//
// Not LTO: the plain function is a declaration here, so with the margin recurse() keeps the compare.
// RUN: clang -O2 -DPLAIN_ONLY -c %s -o %t.plain.o
// RUN: %spcc -O2 -mllvm -sp-entry-stack-margin=1 -DPOLLED_ONLY -c %s -o %t.polled.o
// RUN: %sp-inspect %t.polled.o | FileCheck %s
// RUN: %spcc -O2 -DPOLLED_ONLY -c %s -o %t.polled-default.o
// RUN: %sp-inspect %t.polled-default.o | FileCheck %s --check-prefix=DEFAULT
// Full LTO, the plain module compiled by clang without the plugin: the same placement. The option is
// read by the link-time pass, not recorded with the deferred options, and lld cannot take -mllvm -sp-*
// (it parses them before it loads the plugin), so the margin's link-time pipeline runs in opt on the
// merged module: the full-LTO pipeline, with the pass at its last extension point as in lld.
// RUN: clang -O2 -flto -DPLAIN_ONLY -c %s -o %t.plain.lto.o
// RUN: %spcc -O2 -flto -DPOLLED_ONLY -c %s -o %t.polled.lto.o
// RUN: llvm-link %t.polled.lto.o %t.plain.lto.o -o %t.merged.bc
// RUN: %opt-sp -sp-entry-stack-margin=1 -passes='lto<O2>' %t.merged.bc -o %t.merged.opt.bc
// RUN: llc -O2 -filetype=obj -relocation-model=pic %t.merged.opt.bc -o %t.merged.o
// RUN: %spcc %t.merged.o -o %t.full-margin
// RUN: %sp-inspect %t.full-margin | FileCheck %s
// RUN: %t.full-margin | FileCheck %s --check-prefix=OUT
// The default, linked by lld with the pass (sp-cc): the page load.
// RUN: %spcc -O2 -flto %t.polled.lto.o %t.plain.lto.o -o %t.full
// RUN: %sp-inspect %t.full | FileCheck %s --check-prefix=DEFAULT
// RUN: %t.full | FileCheck %s --check-prefix=OUT
//
// CHECK: entry stack-guard recurse
// DEFAULT-NOT: stack-guard
// DEFAULT: entry thread-page recurse
// DEFAULT-NOT: stack-guard
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
