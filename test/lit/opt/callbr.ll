; asm goto (callbr) can close a cycle through its indirect destination. The block ending in callbr
; is a latch like any other: the poll goes before the callbr, and in flag mode the split keeps the
; callbr, with all its destinations, as the terminator of the continuation block.
; RUN: %opt-sp -passes=safepoint -S %s | FileCheck %s
; RUN: %opt-sp -passes='safepoint<poll=flag>' -S %s | FileCheck %s --check-prefix=FLAG
; RUN: %opt-sp -passes='safepoint<poll=flag>' %s | llc -O2 -o /dev/null
; RUN: %opt-sp -passes='safepoint<poll=global-page>' %s | llc -O0 -o /dev/null

target triple = "x86_64-unknown-linux-gnu"

define i32 @retry_asm(i32 %n) {
; CHECK-LABEL: define i32 @retry_asm(
; CHECK:       loop:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; CHECK-NEXT:    callbr void asm "jmp ${0:l}", "!i"()
; CHECK-NEXT:      to label %loop [label %other]
; CHECK:       other:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; CHECK-NEXT:    br i1 %c, label %exit, label %loop
; FLAG-LABEL: define i32 @retry_asm(
; FLAG:       loop.sp.cont:
; FLAG-NEXT:    callbr void asm "jmp ${0:l}", "!i"()
; FLAG-NEXT:      to label %loop [label %other]
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i.next, %loop ], [ %i.next, %other ]
  %i.next = add i32 %i, 1
  callbr void asm "jmp ${0:l}", "!i"() to label %loop [label %other]
other:
  %c = icmp eq i32 %i.next, %n
  br i1 %c, label %exit, label %loop
exit:
  ret i32 %i
}
