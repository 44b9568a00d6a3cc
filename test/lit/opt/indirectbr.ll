; A computed-goto interpreter (indirectbr dispatch, as clang emits for `goto *p`): the handlers form
; one cycle entered at either handler, and each handler's dispatch polls before its indirectbr. In
; flag mode the dispatch block is split before the indirectbr, whose targets keep their addresses.
; RUN: %opt-sp -passes='safepoint<epilogue-polls>' -S %s | FileCheck %s
; RUN: %opt-sp -passes='safepoint<poll=flag;epilogue-polls>' -S %s | FileCheck %s --check-prefix=FLAG
; RUN: %opt-sp -passes='safepoint<poll=flag;epilogue-polls>' %s | llc -O2 -o /dev/null

target triple = "x86_64-unknown-linux-gnu"

@table = constant [3 x ptr] [ptr blockaddress(@interp, %op_inc), ptr blockaddress(@interp, %op_dbl),
                             ptr blockaddress(@interp, %op_halt)]

define i64 @interp(ptr %code) {
; CHECK-LABEL: define i64 @interp(
; CHECK:       entry:
; CHECK-NOT:     8201:
; CHECK:         indirectbr ptr %d0, [label %op_inc, label %op_dbl, label %op_halt]
; CHECK:       op_inc:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; CHECK-NEXT:    indirectbr ptr %d1, [label %op_inc, label %op_dbl, label %op_halt]
; CHECK:       op_dbl:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; CHECK-NEXT:    indirectbr ptr %d2, [label %op_inc, label %op_dbl, label %op_halt]
; CHECK:       op_halt:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 2, 1,
; CHECK-NEXT:    ret i64 %acc.halt
; FLAG-LABEL: define i64 @interp(
; FLAG:       op_inc:
; FLAG:         br i1 %sp.stop_requested{{[0-9]*}}, label %op_inc.sp.slow, label %op_inc.sp.cont
; FLAG:       op_inc.sp.cont:
; FLAG-NEXT:    indirectbr ptr %d1, [label %op_inc, label %op_dbl, label %op_halt]
; FLAG:       op_dbl.sp.cont:
; FLAG-NEXT:    indirectbr ptr %d2, [label %op_inc, label %op_dbl, label %op_halt]
; FLAG:       op_halt:
; FLAG-NEXT:    %acc.halt = phi i64 [ 0, %entry ], [ %acc.inc, %op_inc.sp.cont ], [ %acc.dbl, %op_dbl.sp.cont ]
entry:
  %op0 = load i64, ptr %code
  %t0 = getelementptr [3 x ptr], ptr @table, i64 0, i64 %op0
  %d0 = load ptr, ptr %t0
  indirectbr ptr %d0, [label %op_inc, label %op_dbl, label %op_halt]
op_inc:
  %pc.inc = phi ptr [ %code, %entry ], [ %pc.inc.next, %op_inc ], [ %pc.dbl.next, %op_dbl ]
  %acc.in.inc = phi i64 [ 0, %entry ], [ %acc.inc, %op_inc ], [ %acc.dbl, %op_dbl ]
  %acc.inc = add i64 %acc.in.inc, 1
  %pc.inc.next = getelementptr i64, ptr %pc.inc, i64 1
  %op1 = load i64, ptr %pc.inc.next
  %t1 = getelementptr [3 x ptr], ptr @table, i64 0, i64 %op1
  %d1 = load ptr, ptr %t1
  indirectbr ptr %d1, [label %op_inc, label %op_dbl, label %op_halt]
op_dbl:
  %pc.dbl = phi ptr [ %code, %entry ], [ %pc.inc.next, %op_inc ], [ %pc.dbl.next, %op_dbl ]
  %acc.in.dbl = phi i64 [ 0, %entry ], [ %acc.inc, %op_inc ], [ %acc.dbl, %op_dbl ]
  %acc.dbl = shl i64 %acc.in.dbl, 1
  %pc.dbl.next = getelementptr i64, ptr %pc.dbl, i64 1
  %op2 = load i64, ptr %pc.dbl.next
  %t2 = getelementptr [3 x ptr], ptr @table, i64 0, i64 %op2
  %d2 = load ptr, ptr %t2
  indirectbr ptr %d2, [label %op_inc, label %op_dbl, label %op_halt]
op_halt:
  %acc.halt = phi i64 [ 0, %entry ], [ %acc.inc, %op_inc ], [ %acc.dbl, %op_dbl ]
  ret i64 %acc.halt
}
