; An irreducible cycle (two entries, as goto can build) is invisible to LoopInfo but not to CycleInfo:
; every block of the cycle that branches to one of its entries polls, so each way around it passes a
; poll. The function makes no calls: no entry check, but the cycle and the return poll.
; RUN: %opt-sp -passes='safepoint<epilogue-polls>' -S %s | FileCheck %s
; RUN: %opt-sp -passes='safepoint<poll=flag;epilogue-polls>' -S %s | FileCheck %s --check-prefix=FLAG
; The irreducible cycle is not a natural loop, so even with every bound it is never elided.
; RUN: %opt-sp -passes='safepoint<max-elided-trips=4294967295;epilogue-polls>' -pass-remarks-missed=safepoint \
; RUN:   -disable-output %s 2>&1 | FileCheck %s --check-prefix=MISSED --allow-empty

target triple = "x86_64-unknown-linux-gnu"

@g = global i64 0

; MISSED-NOT: no loop poll
define void @two_entries(i1 %start_in_b, i64 %n) {
; CHECK-LABEL: define void @two_entries(
; CHECK-NEXT:  entry:
; CHECK-NEXT:    br i1 %start_in_b, label %b, label %a
; CHECK:       a:
; CHECK-NEXT:    %ia = phi
; CHECK-NEXT:    store volatile i64 %ia, ptr @g
; CHECK-NEXT:    %ia.next = add i64 %ia, 1
; CHECK-NEXT:    %a.done = icmp uge i64 %ia.next, %n
; CHECK-NEXT:    {{%sp.page[0-9]*}} = call align 4096 ptr @llvm.threadlocal.address.p0(ptr align 4096 @__sp_thread_poll_page)
; CHECK-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; CHECK-NEXT:    br i1 %a.done, label %exit, label %b
; CHECK:       b:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; CHECK-NEXT:    br i1 %b.done, label %exit, label %a
; CHECK:       exit:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 2, 1,
; CHECK-NEXT:    ret void
; CHECK-NOT:     8201:
; FLAG-LABEL: define void @two_entries(
; FLAG:       a.sp.cont:
; FLAG-NEXT:    br i1 %a.done, label %exit, label %b
; FLAG:       b.sp.cont:
; FLAG-NEXT:    br i1 %b.done, label %exit, label %a
entry:
  br i1 %start_in_b, label %b, label %a
a:
  %ia = phi i64 [ 0, %entry ], [ %ib.next, %b ]
  store volatile i64 %ia, ptr @g
  %ia.next = add i64 %ia, 1
  %a.done = icmp uge i64 %ia.next, %n
  br i1 %a.done, label %exit, label %b
b:
  %ib = phi i64 [ 0, %entry ], [ %ia.next, %a ]
  store volatile i64 %ib, ptr @g
  %ib.next = add i64 %ib, 2
  %b.done = icmp uge i64 %ib.next, %n
  br i1 %b.done, label %exit, label %a
exit:
  ret void
}

; A natural loop nested in an irreducible cycle: its own back-edge polls too.
define void @loop_in_cycle(i1 %start_in_b, i64 %n) {
; CHECK-LABEL: define void @loop_in_cycle(
; CHECK:       a:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; CHECK-NEXT:    br i1 %a.done, label %exit, label %b
; CHECK:       b:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; CHECK-NEXT:    br i1 %b.again, label %b, label %b.out
; CHECK:       b.out:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; CHECK-NEXT:    br i1 %b.done, label %exit, label %a
entry:
  br i1 %start_in_b, label %b, label %a
a:
  %ia = phi i64 [ 0, %entry ], [ %ib.next, %b.out ]
  store volatile i64 %ia, ptr @g
  %ia.next = add i64 %ia, 1
  %a.done = icmp uge i64 %ia.next, %n
  br i1 %a.done, label %exit, label %b
b:
  %ib = phi i64 [ 0, %entry ], [ %ia.next, %a ], [ %ib.next, %b ]
  store volatile i64 %ib, ptr @g
  %ib.next = add i64 %ib, 2
  %b.again = icmp ult i64 %ib.next, %n
  br i1 %b.again, label %b, label %b.out
b.out:
  %b.done = icmp uge i64 %ib.next, 1000000
  br i1 %b.done, label %exit, label %a
exit:
  ret void
}
