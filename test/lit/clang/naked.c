// A naked function is left exactly as written (no prologue, so no code may be added): its assembly is
// the asm statement alone, and no site record names it (the blind-spot table does). Its non-naked neighbour is instrumented.
// RUN: %clang-sp -O2 -S %s -o - | FileCheck %s
// RUN: %clang-sp -O0 -S %s -o - | FileCheck %s
// RUN: %clang-sp -O0 -S %s -o /dev/null -Rpass-missed=safepoint 2>&1 | FileCheck %s --check-prefix=REMARK

void use(int);

__attribute__((naked)) void bare(void) {
  __asm__("1: call use\n\tjmp 1b");
}

// REMARK: naked.c:[[@LINE-4]]:{{[0-9]+}}: remark: no safepoints in bare: naked function: no code may be added to it

// CHECK-LABEL: bare:
// CHECK-NEXT:    .cfi_startproc
// CHECK-NEXT:  # %bb.0:
// CHECK-NEXT:    #APP
// CHECK-NEXT:  .Ltmp{{[0-9]+}}:
// CHECK-NEXT:    callq use
// CHECK-NEXT:    jmp .Ltmp{{[0-9]+}}
// CHECK-NEXT:    #NO_APP
// CHECK-NEXT:  .Lfunc_end0:

void dressed(void) { use(1); }

// Its entry poll is the thread page's load (site kind 3, mode byte 1).
// CHECK-LABEL: dressed:
// CHECK:         __sp_thread_poll_page@TPOFF
// CHECK:         .byte 3
// CHECK-NEXT:    .byte 1
// Only dressed has site records; bare is named by the blind-spot table alone.
// CHECK:       .L__sp_str:
// CHECK-NEXT:    .asciz "dressed"
// CHECK-NOT:   .L__sp_str{{[.0-9]*}}:
// CHECK:       .L__sp_blind_str:
// CHECK-NEXT:    .asciz "bare"
// CHECK-NOT:   .L__sp_str{{[.0-9]*}}:
