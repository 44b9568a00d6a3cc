// Rule E6 is "asked alike in every mode, so that every mode places the same polls" (docs/pass.md).
// Two functions that call each other first thing: one of them must keep its entry poll, and which
// one must not depend on the poll mode. The pass asks whether a callee's first call polls by
// reading the callee's IR, and a callee defined earlier is already instrumented by then: in
// global-page, flag and call mode its entry check split its entry block, so the callee no longer
// seems to start with a call, and first_h drops its entry poll (E6 through first_f); in thread-page
// mode the page load leaves the block whole, and first_h keeps its poll. The same source then gets
// two entry polls in thread-page mode and one in the others.
// RUN: rm -rf %t && mkdir -p %t
// RUN: for mode in thread-page global-page flag call; do \
// RUN:   for level in -O0 -O2; do \
// RUN:     %clang-sp $level -S %s -o /dev/null -mllvm -sp-poll=$mode -Rpass=safepoint \
// RUN:       -Rpass-missed=safepoint 2>&1 | grep remark: \
// RUN:       | sed -e "s/($mode)/(MODE)/" -e "s/function entry (stack-guard)/function entry (MODE)/" >> %t/$mode; \
// RUN:   done; \
// RUN: done
// RUN: FileCheck %s < %t/global-page
// RUN: diff %t/thread-page %t/global-page
// RUN: diff %t/thread-page %t/flag
// RUN: diff %t/thread-page %t/call
//
// CHECK: first-call-polls-order.c:[[@LINE+3]]:1: remark: safepoint poll at function entry (MODE)

long first_h(long n);
__attribute__((noinline)) long first_f(long n) {
  long r = first_h(n - 1);
  return n + r;
}
__attribute__((noinline)) long first_h(long n) {
  long r = first_f(n / 2);
  return n * r;
}
