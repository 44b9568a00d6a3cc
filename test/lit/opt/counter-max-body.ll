; -sp-counter-max-body=N (plugin/LoopPollChunks.cpp): in thread-page mode, a loop of bounded work that
; cannot be strip-mined (no induction variable reaches its exit: a list walk) and would be counted
; down polls on every back-edge instead when its body has more than N instructions, as a strip-minable
; scalar body does; a body of at most N, and every loop in the global-page, flag and call modes, keep
; the counter. 0 by default: no loop is counted down in thread-page mode. The limit travels as the pass parameter
; counter-max-body=N.
; RUN: %opt-sp -passes='safepoint<no-entry-checks>' -pass-remarks-analysis=safepoint -S %s 2>%t.remarks | FileCheck %s --check-prefixes=CHECK,EVERY
; RUN: FileCheck %s --check-prefix=REMARK0 < %t.remarks
; RUN: %opt-sp -sp-counter-max-body=6 -passes='safepoint<no-entry-checks>' -pass-remarks-analysis=safepoint -S %s 2>%t.remarks6 | FileCheck %s --check-prefixes=CHECK,EVERY
; RUN: FileCheck %s --check-prefix=REMARK < %t.remarks6
; RUN: %opt-sp -passes='safepoint<no-entry-checks;poll=global-page>' -S %s | FileCheck %s --check-prefixes=CHECK,COUNT
; RUN: %opt-sp -passes='safepoint<no-entry-checks;poll=flag>' -S %s | FileCheck %s --check-prefixes=CHECK,COUNT
; RUN: %opt-sp -passes='safepoint<no-entry-checks;poll=call>' -S %s | FileCheck %s --check-prefixes=CHECK,COUNT
; RUN: %opt-sp -sp-counter-max-body=7 -passes='safepoint<no-entry-checks>' -S %s | FileCheck %s --check-prefixes=CHECK,COUNT
; RUN: %opt-sp -passes='safepoint<no-entry-checks;counter-max-body=7>' -S %s | FileCheck %s --check-prefixes=CHECK,COUNT

target triple = "x86_64-unknown-linux-gnu"

; 7 instructions a trip (the phis do not count).
; REMARK0: remark: <unknown>:0:0: loop polls on every back-edge: its body of 7 instructions is longer than a counter pays for (limit 0)
; REMARK: remark: <unknown>:0:0: loop polls on every back-edge: its body of 7 instructions is longer than a counter pays for (limit 6)
define i64 @walk(ptr %head) {
; CHECK-LABEL: define i64 @walk(
; COUNT:         %sp.count.due = icmp eq i32
; COUNT:         %sp.count = phi i32 [ 1024, %entry ]
; EVERY-NOT:     sp.count
; EVERY:       loop:
; EVERY:         call void asm sideeffect "8201:
; EVERY-NEXT:    br i1 %end, label %exit, label %loop
entry:
  br label %loop
loop:
  %node = phi ptr [ %head, %entry ], [ %next, %loop ]
  %sum = phi i64 [ 0, %entry ], [ %sum2, %loop ]
  %vp = getelementptr inbounds i8, ptr %node, i64 8
  %v = load i64, ptr %vp
  %sum1 = add i64 %sum, %v
  %sum2 = xor i64 %sum1, 5
  %next = load ptr, ptr %node
  %end = icmp eq ptr %next, null
  br i1 %end, label %exit, label %loop
exit:
  ret i64 %sum2
}
