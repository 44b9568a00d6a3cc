; An interpreter's dispatch loop (plugin/DispatchLoops.h): its cases jump back through one latch that
; only merges values, which code generation removes. In the page modes the loop polls on each of the
; back-edges the generated code will have, at the end of each case (on an edge of its own where a
; case also branches elsewhere, one for both switch cases that go straight back), and the merging
; latch stays empty, with no counter. In flag mode (a poll is a branch there) the loop counts its
; back-edges down in the merging latch, as any loop of bounded work (opt/loop-poll-chunks.ll); a
; dispatch loop that calls out polls in the merging latch.
; RUN: %opt-sp -passes='safepoint<no-entry-checks>' -pass-remarks-analysis=safepoint -S %s 2>%t.remarks | FileCheck %s
; RUN: FileCheck %s --check-prefix=REMARK < %t.remarks
; RUN: %opt-sp -passes='safepoint<poll=global-page;no-entry-checks>' -S %s | FileCheck %s --check-prefix=GLOBAL
; RUN: %opt-sp -passes='safepoint<poll=flag;no-entry-checks>' -S %s | FileCheck %s --check-prefix=FLAG
; RUN: %opt-sp -passes='safepoint<no-entry-checks>' %s | llc -O2 -o /dev/null

target triple = "x86_64-unknown-linux-gnu"

@sink = global i64 0
@cg_table = constant [4 x ptr] [ptr blockaddress(@computed_goto, %op_inc), ptr blockaddress(@computed_goto, %op_dbl),
                                ptr blockaddress(@computed_goto, %op_nop), ptr blockaddress(@computed_goto, %op_halt)]
declare void @use(i64)

; REMARK: remark: <unknown>:0:0: loop polls on each of its 5 back-edges, unmerged
define void @switch_dispatch(ptr %code) {
; CHECK-LABEL: define void @switch_dispatch(
; CHECK-NOT:     sp.count
; CHECK:       dispatch:
; CHECK-NOT:     8201:
; CHECK:         switch i8 %op, label %exit [
; CHECK-NEXT:      i8 0, label %op_add
; CHECK-NEXT:      i8 1, label %op_jz
; CHECK-NEXT:      i8 2, label %[[SKIP:dispatch.next_crit_edge]]
; CHECK-NEXT:      i8 3, label %[[SKIP]]
; CHECK:       [[SKIP]]:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; CHECK-NEXT:    br label %next
; CHECK:       op_add:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; CHECK-NEXT:    br label %next
; CHECK:       op_jz:
; CHECK-NOT:     8201:
; CHECK:         br i1 %z, label %op_jump, label %[[NOJUMP:op_jz.next_crit_edge]]
; CHECK:       [[NOJUMP]]:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; CHECK-NEXT:    br label %next
; CHECK:       op_jump:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; CHECK-NEXT:    br label %next
; CHECK:       next:
; CHECK-NEXT:    %pc.next = phi
; CHECK-NEXT:    %acc.next = phi
; CHECK-NEXT:    br label %dispatch
; CHECK:       exit:
; GLOBAL-LABEL: define void @switch_dispatch(
; GLOBAL-COUNT-4: call void asm sideeffect "8201:{{.*}}.byte 1, 2,
; GLOBAL-NOT:     sp.count
; GLOBAL:       next:
; GLOBAL-NEXT:    %pc.next = phi
; FLAG-LABEL:  define void @switch_dispatch(
; FLAG:        dispatch.sp.backedge:
; FLAG-NEXT:     %sp.count.left = sub i32 %sp.count, 1
; FLAG:        dispatch:
; FLAG-NEXT:     %sp.count = phi i32
; FLAG:        next:
; FLAG-NEXT:     %pc.next = phi
; FLAG-NEXT:     %acc.next = phi
; FLAG-NEXT:     br label %dispatch.sp.backedge
entry:
  br label %dispatch
dispatch:
  %pc = phi ptr [ %code, %entry ], [ %pc.next, %next ]
  %acc = phi i64 [ 0, %entry ], [ %acc.next, %next ]
  %op = load i8, ptr %pc
  %pc.1 = getelementptr i8, ptr %pc, i64 1
  switch i8 %op, label %exit [ i8 0, label %op_add
                               i8 1, label %op_jz
                               i8 2, label %next
                               i8 3, label %next ]
op_add:
  %acc.add = add i64 %acc, 3
  br label %next
op_jz:
  %z = icmp eq i64 %acc, 0
  br i1 %z, label %op_jump, label %next
op_jump:
  %pc.j = getelementptr i8, ptr %code, i64 4
  br label %next
next:
  %pc.next = phi ptr [ %pc.1, %op_add ], [ %pc.1, %op_jz ], [ %pc.j, %op_jump ], [ %pc.1, %dispatch ], [ %pc.1, %dispatch ]
  %acc.next = phi i64 [ %acc.add, %op_add ], [ %acc, %op_jz ], [ %acc, %op_jump ], [ %acc, %dispatch ], [ %acc, %dispatch ]
  br label %dispatch
exit:
  store i64 %acc, ptr @sink
  ret void
}

; `while (1) switch` whose cases call out (so no counter in any mode) and `continue`: in the page
; modes a poll at the end of each case, none in the merging latch.
; REMARK: remark: <unknown>:0:0: loop polls on each of its 2 back-edges, unmerged
define void @calls_out(ptr %code) {
; CHECK-LABEL: define void @calls_out(
; CHECK:       op_call:
; CHECK:         call void @use(i64 %acc)
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; CHECK-NEXT:    br label %next
; CHECK:       op_inc:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; CHECK-NEXT:    br label %next
; CHECK:       next:
; CHECK-NEXT:    %acc.next = phi
; CHECK-NEXT:    br label %dispatch
; FLAG-LABEL:  define void @calls_out(
; FLAG-NOT:      sp.count
; FLAG:        op_call:
; FLAG-NOT:      __sp_poll_flag
; FLAG:        next:
; FLAG-NEXT:     %acc.next = phi
; FLAG:          __sp_poll_flag
entry:
  br label %dispatch
dispatch:
  %pc = phi ptr [ %code, %entry ], [ %pc.1, %next ]
  %acc = phi i64 [ 0, %entry ], [ %acc.next, %next ]
  %op = load i8, ptr %pc
  %pc.1 = getelementptr i8, ptr %pc, i64 1
  switch i8 %op, label %exit [ i8 0, label %op_call
                               i8 1, label %op_inc ]
op_call:
  call void @use(i64 %acc)
  br label %next
op_inc:
  %acc.inc = add i64 %acc, 1
  br label %next
next:
  %acc.next = phi i64 [ %acc, %op_call ], [ %acc.inc, %op_inc ]
  br label %dispatch
exit:
  ret void
}

; Computed goto as clang emits it: the handlers jump to one block holding the shared dispatch code,
; which jumps to the indirectbr block, the loop's header. Code generation copies both into every
; handler, so each gets an indirect jump of its own, but not past a counter. In the page modes the
; poll goes at the start of the shared block (copied with it; the load of the target stays next to
; the indirect jump), and there is no counter; in flag mode the loop is counted down.
; REMARK: remark: <unknown>:0:0: loop polls on each of its 3 back-edges, unmerged
define i64 @computed_goto(ptr %code) {
; CHECK-LABEL: define i64 @computed_goto(
; CHECK-NOT:     sp.count
; CHECK:       op_inc:
; CHECK-NOT:     8201:
; CHECK:       dispatch:
; CHECK-NEXT:    %pc = phi
; CHECK-NEXT:    %acc = phi
; CHECK-NEXT:    %sp.page{{[0-9]*}} = call align 4096 ptr @llvm.threadlocal.address.p0(ptr align 4096 @__sp_thread_poll_page)
; CHECK-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; CHECK-NEXT:    %pc.next = getelementptr i8, ptr %pc, i64 1
; CHECK:       indirectgoto:
; CHECK-NOT:     8201:
; CHECK:         indirectbr
; FLAG-LABEL:  define i64 @computed_goto(
; FLAG:          %sp.count = phi i32
entry:
  br label %indirectgoto.entry
indirectgoto.entry:
  %op0 = load i8, ptr %code
  %i0 = zext i8 %op0 to i64
  %t0 = getelementptr [4 x ptr], ptr @cg_table, i64 0, i64 %i0
  %d0 = load ptr, ptr %t0
  br label %indirectgoto
op_inc:
  %acc.inc = add i64 %acc.cur, 1
  br label %dispatch
op_dbl:
  %acc.dbl = shl i64 %acc.cur, 1
  br label %dispatch
op_nop:
  br label %dispatch
dispatch:
  %pc = phi ptr [ %pc.cur, %op_inc ], [ %pc.cur, %op_dbl ], [ %pc.cur, %op_nop ]
  %acc = phi i64 [ %acc.inc, %op_inc ], [ %acc.dbl, %op_dbl ], [ %acc.cur, %op_nop ]
  %pc.next = getelementptr i8, ptr %pc, i64 1
  %op = load i8, ptr %pc.next
  %i = zext i8 %op to i64
  %t = getelementptr [4 x ptr], ptr @cg_table, i64 0, i64 %i
  %d = load ptr, ptr %t
  br label %indirectgoto
indirectgoto:
  %dest = phi ptr [ %d0, %indirectgoto.entry ], [ %d, %dispatch ]
  %pc.cur = phi ptr [ %code, %indirectgoto.entry ], [ %pc.next, %dispatch ]
  %acc.cur = phi i64 [ 0, %indirectgoto.entry ], [ %acc, %dispatch ]
  indirectbr ptr %dest, [label %op_inc, label %op_dbl, label %op_nop, label %op_halt]
op_halt:
  ret i64 %acc.cur
}

; `for (;;) switch` with both `break` (through the merging latch to the outer header) and `continue`
; (straight back to the dispatch): two loops, the dispatch an inner loop of the one `break` closes.
; The outer loop polls on each edge into its merging latch although it is not innermost; the inner
; loop, one back-edge, polls on it, as any loop of bounded work does in the page modes
; (opt/counter-max-body.ll).
; REMARK: remark: <unknown>:0:0: loop polls on each of its 2 back-edges, unmerged
define void @break_and_continue(ptr %code) {
; CHECK-LABEL: define void @break_and_continue(
; CHECK:       dispatch:
; CHECK-NOT:     %sp.count
; CHECK:         switch i8 %op, label %exit [
; CHECK-NEXT:      i8 0, label %op_add
; CHECK-NEXT:      i8 1, label %op_continue
; CHECK-NEXT:      i8 2, label %[[NOP:dispatch.next_crit_edge]]
; CHECK:       [[NOP]]:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; CHECK-NEXT:    br label %next
; CHECK:       op_add:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; CHECK-NEXT:    br label %next
; CHECK:       op_continue:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; CHECK-NEXT:    br label %dispatch
; CHECK:       next:
; CHECK-NEXT:    %acc.next = phi
; CHECK-NEXT:    br label %outer
entry:
  br label %outer
outer:
  %pc.o = phi ptr [ %code, %entry ], [ %pc.1, %next ]
  %acc.o = phi i64 [ 0, %entry ], [ %acc.next, %next ]
  br label %dispatch
dispatch:
  %pc = phi ptr [ %pc.o, %outer ], [ %pc.1, %op_continue ]
  %acc = phi i64 [ %acc.o, %outer ], [ %acc.c, %op_continue ]
  %op = load i8, ptr %pc
  %pc.1 = getelementptr i8, ptr %pc, i64 1
  switch i8 %op, label %exit [ i8 0, label %op_add
                               i8 1, label %op_continue
                               i8 2, label %next ]
op_add:
  %acc.add = add i64 %acc, 3
  br label %next
op_continue:
  %acc.c = xor i64 %acc, 5
  br label %dispatch
next:
  %acc.next = phi i64 [ %acc.add, %op_add ], [ %acc, %dispatch ]
  br label %outer
exit:
  store i64 %acc, ptr @sink
  ret void
}
