// -Rpass=safepoint explains each poll (kind and mode, at the source location), -Rpass-missed=safepoint
// each elision and each function left alone, with its reason. At -O2, through clang.
// (Remarks of elided loops come before the function's poll remarks, so they are checked unordered,
// and counted: 23 in all, none unexpected.)
// RUN: %clang-sp -O2 -mllvm -sp-epilogue-polls=1 -S %s -o /dev/null -Rpass=safepoint -Rpass-missed=safepoint 2>%t.remarks
// RUN: FileCheck %s < %t.remarks
// RUN: grep -c remark: %t.remarks | FileCheck %s --check-prefix=COUNT
// COUNT: {{^}}23{{$}}
// The remark names the entry poll's mode: stack-guard where -sp-entry-stack-margin=1 makes it the
// compare (a function that calls a declaration), thread-page elsewhere.
// RUN: %clang-sp -O2 -mllvm -sp-epilogue-polls=1 -mllvm -sp-entry-stack-margin=1 -S %s -o /dev/null \
// RUN:   -Rpass=safepoint 2>&1 | FileCheck %s --check-prefix=MARGIN
// Without -Rpass options, clang prints nothing.
// RUN: %clang-sp -O2 -S %s -o /dev/null 2>&1 | count 0

void use(long);
volatile long sink;

void unbounded(long n) {
  // CHECK-DAG: remarks.c:[[@LINE-1]]:{{[0-9]+}}: remark: safepoint poll at function entry (thread-page) [-Rpass=safepoint]
  // MARGIN-DAG: remarks.c:[[@LINE-2]]:{{[0-9]+}}: remark: safepoint poll at function entry (stack-guard) [-Rpass=safepoint]
  // CHECK-DAG: remarks.c:[[@LINE+1]]:{{[0-9]+}}: remark: safepoint poll at loop back-edge (thread-page) [-Rpass=safepoint]
  for (long i = 0; i < n; ++i)
    use(i);
  // CHECK-DAG: remarks.c:[[@LINE+1]]:1: remark: safepoint poll at epilogue (thread-page) [-Rpass=safepoint]
}

void bounded(void) {
  // CHECK-DAG: remarks.c:[[@LINE-1]]:{{[0-9]+}}: remark: safepoint poll at function entry (thread-page)
  // CHECK-DAG: remarks.c:[[@LINE+2]]:{{[0-9]+}}: remark: no loop poll: loop runs at most 100 iterations (limit 1000) [-Rpass-missed=safepoint]
#pragma clang loop unroll(disable)
  for (int i = 0; i < 100; ++i)
    sink = i;
  use(0);
  // CHECK-DAG: remarks.c:[[@LINE+1]]:1: remark: safepoint poll at epilogue (thread-page)
}

// A call in the body is not bounded work, whatever the trip count: the loop polls.
void bounded_trips_unbounded_work(void) {
  // CHECK-DAG: remarks.c:[[@LINE-1]]:{{[0-9]+}}: remark: safepoint poll at function entry (thread-page)
  // CHECK-DAG: remarks.c:[[@LINE+2]]:{{[0-9]+}}: remark: safepoint poll at loop back-edge (thread-page)
#pragma clang loop unroll(disable)
  for (int i = 0; i < 100; ++i)
    use(i);
  // CHECK-DAG: remarks.c:[[@LINE+1]]:1: remark: safepoint poll at epilogue (thread-page)
}

__attribute__((noinline)) void polls_at_entry(long i) { use(i); }
// CHECK-DAG: remarks.c:[[@LINE-1]]:{{[0-9]+}}: remark: safepoint poll at function entry (thread-page)
// CHECK-DAG: remarks.c:[[@LINE-2]]:{{[0-9]+}}: remark: safepoint poll at epilogue (thread-page)

// It calls only this module's instrumented code: even with the margin, its entry poll is the
// thread page's load.
void calls_in_loop(long n) {
  // CHECK-DAG: remarks.c:[[@LINE-1]]:{{[0-9]+}}: remark: safepoint poll at function entry (thread-page)
  // MARGIN-DAG: remarks.c:[[@LINE-2]]:{{[0-9]+}}: remark: safepoint poll at function entry (thread-page) [-Rpass=safepoint]
  // CHECK-DAG: remarks.c:[[@LINE+1]]:{{[0-9]+}}: remark: no loop poll: every iteration calls polls_at_entry, which polls at entry [-Rpass-missed=safepoint]
  for (long i = 0; i < n; ++i)
    polls_at_entry(i);
  // CHECK-DAG: remarks.c:[[@LINE+1]]:1: remark: safepoint poll at epilogue (thread-page)
}

__attribute__((noinline)) static int leaf(int x) { return x * 3; }
// CHECK-DAG: remarks.c:[[@LINE-1]]:{{[0-9]+}}: remark: no entry or epilogue poll: leaf has no loop, no call and no long memory operation, and only this module's code calls it [-Rpass-missed=safepoint]
int calls_leaf(int x) { return leaf(x) + 1; }
// CHECK-DAG: remarks.c:[[@LINE-1]]:{{[0-9]+}}: remark: safepoint poll at function entry (thread-page)
// CHECK-DAG: remarks.c:[[@LINE-2]]:{{[0-9]+}}: remark: safepoint poll at epilogue (thread-page)

// Visible to other modules, which may hand its address to code that is not instrumented (qsort):
// it polls before it returns.
int exported_leaf(int x) { return x * 5; }
// CHECK-DAG: remarks.c:[[@LINE-1]]:{{[0-9]+}}: remark: no entry check: exported_leaf makes no calls [-Rpass-missed=safepoint]
// CHECK-DAG: remarks.c:[[@LINE-2]]:{{[0-9]+}}: remark: safepoint poll at epilogue (thread-page)

void spin(volatile int *flag) {
  // CHECK-DAG: remarks.c:[[@LINE-1]]:{{[0-9]+}}: remark: no entry check: spin makes no calls [-Rpass-missed=safepoint]
  // CHECK-DAG: remarks.c:[[@LINE+1]]:{{[0-9]+}}: remark: safepoint poll at loop back-edge (thread-page)
  while (!*flag)
    ;
  // CHECK-DAG: remarks.c:[[@LINE+1]]:1: remark: safepoint poll at epilogue (thread-page)
}

__attribute__((naked)) void naked(void) { __asm__("ret"); }
// CHECK-DAG: remarks.c:[[@LINE-1]]:{{[0-9]+}}: remark: no safepoints in naked: naked function: no code may be added to it [-Rpass-missed=safepoint]
