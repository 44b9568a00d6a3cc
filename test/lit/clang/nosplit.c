// A nosplit function gets no poll and no entry check (its stack probes stay). If a loop of it is not
// bounded by the elision rules, the compiler warns: nothing bounds the time spent there. The code is
// the same whether the clang plugin is loaded (the attribute) or not (safepoint.h's annotation).
// RUN: %clang-sp -O2 -S -I %S/../../../runtime/include %s -o %t.plugin.s 2>%t.warnings
// RUN: FileCheck %s < %t.plugin.s
// RUN: FileCheck %s --check-prefix=WARN < %t.warnings
// RUN: clang -O2 -S -fpass-plugin=%plugin -I %S/../../../runtime/include %s -o %t.noplugin.s 2>/dev/null
// RUN: diff %t.plugin.s %t.noplugin.s
// RUN: %clang-sp -O0 -S -I %S/../../../runtime/include %s -o - 2>/dev/null | FileCheck %s
#include "safepoint.h"

volatile int sink;

// CHECK-LABEL: spin:
// CHECK-NOT:     __sp_
// CHECK:         .Lfunc_end
// WARN: nosplit.c:[[@LINE+1]]:{{[0-9]+}}: warning: safepoint: spin gets no safepoints (nosplit/nowritebarrier), and nothing bounds this loop
SP_NOSPLIT void spin(volatile int *stop) { while (!*stop) sink++; }

// Bounded: no warning.
// WARN-NOT: bounded
// CHECK-LABEL: bounded:
// CHECK-NOT:     __sp_
// CHECK:         .Lfunc_end
SP_NOSPLIT int bounded(const int *a) {
  int s = 0;
  for (int i = 0; i < 16; i++)
    s += a[i];
  return s;
}

// Its unmarked twin polls.
// CHECK-LABEL: twin:
// CHECK:         testl %eax
void twin(volatile int *stop) { while (!*stop) sink++; }
