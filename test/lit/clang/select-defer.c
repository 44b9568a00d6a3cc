// A poll goes immediately before every call to the runtime's select and defer entry points, which
// safepoint.h marks by annotation (not recognised by name), with kinds select and defer in the site
// table.
// RUN: %clang-sp -O2 -S -I %S/../../../runtime/include %s -o - | FileCheck %s
// RUN: %clang-sp -O0 -S -I %S/../../../runtime/include %s -o - | FileCheck %s --check-prefix=O0
// RUN: %spcc -O2 -g %s -o %t && %sp-inspect %t | FileCheck %s --check-prefix=TABLE
// RUN: %spcc -O2 -mllvm -sp-poll=flag %s -o %t.flag && %sp-inspect %t.flag | FileCheck %s --check-prefix=FLAG
#include "safepoint.h"

// CHECK-LABEL: wait_either:
// CHECK:         testl %eax, %fs:__sp_thread_poll_page@TPOFF
// CHECK-NEXT:  .Ltmp{{[0-9]+}}:
// CHECK:         .byte 4
// CHECK:         #NO_APP
// CHECK-NEXT:    {{(movq|movl|xorl|leaq|movabsq).*}}
// CHECK:         callq sp_select
// O0-LABEL: wait_either:
// O0:           .byte 4
// O0:           callq sp_select
int wait_either(sp_chan *a, sp_chan *b) {
  int x, y;
  sp_select_case cases[] = {{a, SP_SELECT_RECV, &x, 0}, {b, SP_SELECT_RECV, &y, 0}};
  return sp_select(cases, 2, -1);
}

static void done(void *arg) { ++*(int *)arg; }

// CHECK-LABEL: with_defer:
// CHECK:         .byte 5
// CHECK:         callq sp_defer_run
int with_defer(int *counter) {
  SP_DEFER(done, counter);
  return *counter;
}

int main(void) { return 0; }

// TABLE-DAG: select   thread-page wait_either {{.*}}select-defer.c:[[#@LINE-15]]
// TABLE-DAG: defer    thread-page with_defer
// FLAG-DAG: select   flag
// FLAG-DAG: defer    flag
