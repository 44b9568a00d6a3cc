// nowritebarrier / nowritebarrierrec are checked at compile time: an error names the whole call
// chain and the write barrier (a poll, an entry check, or a call to a runtime function that may
// switch); indirect calls and calls to functions defined elsewhere that are not marked safe are
// warnings, errors under -Werror. The result is the same with and without the clang plugin loaded
// (the SP_* macros fall back to the annotation).
// RUN: not %clang-sp -O2 -g -I %S/../../../runtime/include -c %s -o /dev/null 2>&1 | FileCheck %s
// RUN: not clang -O2 -g -fpass-plugin=%plugin -I %S/../../../runtime/include -c %s -o /dev/null 2>&1 | FileCheck %s
// RUN: not %clang-sp -O0 -g -I %S/../../../runtime/include -c %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=O0
// Only the warnings: clean without -Werror, errors with it.
// RUN: %clang-sp -O2 -g -DWARNINGS_ONLY -I %S/../../../runtime/include -c %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=WARN
// RUN: not %clang-sp -O2 -g -DWARNINGS_ONLY -Werror -I %S/../../../runtime/include -c %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=WERROR
// ROBUSTNESS-FLAGS: -DWARNINGS_ONLY
#include "safepoint.h"

volatile int sink;
void (*hook)(void);
void elsewhere(void);
SP_NOWRITEBARRIER void elsewhere_but_safe(void);

#ifndef WARNINGS_ONLY
__attribute__((noinline)) void leaf_with_loop(int n) {
  for (int i = 0; i < n; i++)
    sink = i;
}
__attribute__((noinline)) void middle_hop(int n) {
  leaf_with_loop(n);
  sink = 1;
}
// CHECK-DAG: nowritebarrier.c:[[@LINE-7]]:{{[0-9]+}}: error: safepoint: guarded_root -> middle_hop -> leaf_with_loop: loop safepoint at {{.*}}nowritebarrier.c:[[@LINE-7]] in a function that must not reach a safepoint
// middle_hop has no entry poll of its own: its first call is to leaf_with_loop, which polls at its
// entry (rule E6), and that poll is the barrier.
// CHECK-DAG: error: safepoint: guarded_root -> middle_hop -> leaf_with_loop: entry safepoint at {{.*}}nowritebarrier.c:[[@LINE-11]]
// O0-DAG: error: safepoint: guarded_root -> middle_hop -> leaf_with_loop: loop safepoint at
SP_NOWRITEBARRIERREC void guarded_root(int n) {
  middle_hop(n);
  sink = 2;
}

// The search stops at yeswritebarrierrec.
__attribute__((noinline)) SP_YESWRITEBARRIERREC void allowed(int n) { leaf_with_loop(n); }
// CHECK-NOT: guarded_by_yes -> allowed
SP_NOWRITEBARRIERREC void guarded_by_yes(int n) { allowed(n); }

// CHECK-DAG: nowritebarrier.c:[[@LINE+1]]:{{[0-9]+}}: error: safepoint: yields: call to sp_yield at {{.*}}nowritebarrier.c:[[@LINE+1]], which may switch green threads
SP_NOWRITEBARRIER void yields(void) { sp_yield(); }
#endif

// WARN-DAG: nowritebarrier.c:[[@LINE+3]]:{{[0-9]+}}: warning: safepoint: careful: indirect call at {{.*}}nowritebarrier.c:[[@LINE+3]] may reach a safepoint the pass cannot see
// WARN-DAG: nowritebarrier.c:[[@LINE+3]]:{{[0-9]+}}: warning: safepoint: careful: call to elsewhere at {{.*}}nowritebarrier.c:[[@LINE+3]], defined elsewhere and not marked SP_NOWRITEBARRIER, may reach a safepoint
SP_NOWRITEBARRIERREC void careful(void) {
  hook();
  elsewhere();
  elsewhere_but_safe();
}
// WARN-NOT: elsewhere_but_safe
// WARN-NOT: error
// WERROR: error: safepoint: careful: indirect call
