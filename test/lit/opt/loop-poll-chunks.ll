; A polled innermost loop whose iterations are bounded work polls once per chunk of iterations, not on
; every back-edge (plugin/LoopPollChunks.h). A loop that exits where an integer induction variable
; with a power-of-two step equals a loop-invariant limit is strip-mined: its latch compares the
; variable with the chunk's end (at most max-elided-trips iterations ahead), and only the chunk's end
; checks the limit and polls. Any other such loop counts its back-edges down from poll-every in a
; register and polls at zero. Loops with calls, and latches shared with an enclosing loop, still
; poll on every back-edge.
; The functions are exported and call-free, so by default they would also check at entry (rule P2);
; that is another test's subject, so entry checks are off here.
; The page modes poll these short bodies on every back-edge by default (strip-mining-max-body.ll,
; counter-max-body.ll); with both limits raised they take the shapes this test is about.
; RUN: %opt-sp -passes='safepoint<no-entry-checks;strip-mining-max-body=1000;counter-max-body=1000>' -pass-remarks-analysis=safepoint -S %s 2>%t.remarks | FileCheck %s
; RUN: FileCheck %s --check-prefix=REMARK < %t.remarks
; RUN: %opt-sp -passes='safepoint<poll=flag;no-entry-checks>' -S %s | FileCheck %s --check-prefix=FLAG
; Strip mining off: the counted loop is counted down instead; poll-every=1 as well: every back-edge.
; RUN: %opt-sp -passes='safepoint<no-strip-mining;poll-every=64;counter-max-body=1000;no-entry-checks>' -S %s | FileCheck %s --check-prefix=NOSTRIP
; RUN: %opt-sp -passes='safepoint<no-strip-mining;poll-every=1;no-entry-checks>' -S %s | FileCheck %s --check-prefix=EVERY

target triple = "x86_64-unknown-linux-gnu"

@sink = global i64 0
declare void @use(i64)

; REMARK: remark: <unknown>:0:0: loop polls once per 1000 iterations: strip-mined by its induction variable
; The post-increment value against an argument. One block, on the way in and after every poll, computes
; the chunk's end: its first tested value plus the distance to the limit, at most 999 steps.
define void @counted(i64 %n) {
; CHECK-LABEL: define void @counted(
; CHECK:       entry:
; CHECK-NEXT:    br label %loop.sp.start
; CHECK:       loop.sp.start:
; CHECK-NEXT:    %i.sp.start = phi i64 [ 0, %entry ], [ %i.next, %loop.sp.poll ]
; CHECK-NEXT:    %sp.chunk.first = add i64 %i.sp.start, 1
; CHECK-NEXT:    %sp.chunk.dist = sub i64 %n, %sp.chunk.first
; CHECK-NEXT:    %sp.chunk.span = call i64 @llvm.umin.i64(i64 %sp.chunk.dist, i64 999)
; CHECK-NEXT:    %sp.chunk.end = add i64 %sp.chunk.first, %sp.chunk.span
; CHECK-NEXT:    br label %loop
; CHECK:       loop:
; CHECK-NEXT:    %i = phi i64 [ %i.sp.start, %loop.sp.start ], [ %i.next, %loop ]
; CHECK-NEXT:    store volatile i64 %i, ptr @sink
; CHECK-NEXT:    %i.next = add i64 %i, 1
; CHECK-NEXT:    %sp.chunk.at_end = icmp eq i64 %i.next, %sp.chunk.end
; CHECK-NEXT:    br i1 %sp.chunk.at_end, label %loop.sp.chunk, label %loop
; CHECK:       loop.sp.chunk:
; CHECK-NEXT:    %sp.chunk.done = icmp eq i64 %i.next, %n
; CHECK-NEXT:    br i1 %sp.chunk.done, label %exit, label %loop.sp.poll
; CHECK:       loop.sp.poll:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; CHECK-NEXT:    br label %loop.sp.start
; NOSTRIP-LABEL: define void @counted(
; NOSTRIP:         %sp.count = phi i32 [ 64, %entry ]
; EVERY-LABEL:   define void @counted(
; EVERY:         loop:
; EVERY-NOT:       sp.count
; EVERY:           call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; EVERY-NEXT:      br i1 %done, label %exit, label %loop
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  store volatile i64 %i, ptr @sink
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
  ret void
}

; A step of -4 tested before the increment, `ne` staying in the loop, a guard in front (no
; preheader: one is made). The distance runs from the variable down to the limit; rounded down to
; whole steps, so a distance that is not a multiple of 4 (the loop never ends) chunks too: the chunk
; ends short of the limit, and every later chunk runs 1000 steps.
; REMARK: remark: <unknown>:0:0: loop polls once per 1000 iterations: strip-mined by its induction variable
define void @down_by_four(i32 %from, i32 %to) {
; CHECK-LABEL: define void @down_by_four(
; CHECK:       entry.loop_crit_edge:
; CHECK-NEXT:    br label %loop.sp.start
; CHECK:       loop.sp.start:
; CHECK-NEXT:    %i.sp.start = phi i32 [ %from, %entry.loop_crit_edge ], [ %i.next, %loop.sp.poll ]
; CHECK-NEXT:    %sp.chunk.dist = sub i32 %i.sp.start, %to
; CHECK-NEXT:    %sp.chunk.span = call i32 @llvm.umin.i32(i32 %sp.chunk.dist, i32 3996)
; CHECK-NEXT:    [[STEPS:%sp.chunk.span[0-9]+]] = and i32 %sp.chunk.span, -4
; CHECK-NEXT:    %sp.chunk.end = sub i32 %i.sp.start, [[STEPS]]
; CHECK-NEXT:    br label %loop
; CHECK:       loop:
; CHECK:         %sp.chunk.at_end = icmp ne i32 %i, %sp.chunk.end
; CHECK-NEXT:    br i1 %sp.chunk.at_end, label %loop, label %loop.sp.chunk
; CHECK:       loop.sp.chunk:
; CHECK-NEXT:    %sp.chunk.done = icmp eq i32 %i, %to
; CHECK:       loop.sp.poll:
; CHECK:         br label %loop.sp.start
entry:
  %skip = icmp eq i32 %from, 0
  br i1 %skip, label %exit, label %loop
loop:
  %i = phi i32 [ %from, %entry ], [ %i.next, %loop ]
  store volatile i32 %i, ptr @sink
  %i.next = add i32 %i, -4
  %more = icmp ne i32 %i, %to
  br i1 %more, label %loop, label %exit
exit:
  ret void
}

; A step of 3 cannot be strip-mined (the distance to the limit can wrap around more than once); a
; 16-bit variable whose chunk (1000 * 128) would not fit in its 2^16 values neither. Both are
; counted down; so is a pointer walk, which has no trip count at all.
; REMARK: remark: <unknown>:0:0: loop polls once per 1024 iterations: counted down in a register
; REMARK: remark: <unknown>:0:0: loop polls once per 1024 iterations: counted down in a register
; REMARK: remark: <unknown>:0:0: loop polls once per 1024 iterations: counted down in a register
define void @step_three(i64 %n) {
; CHECK-LABEL: define void @step_three(
; CHECK-NOT:     sp.chunk
; CHECK:       loop.sp.backedge:
; CHECK-NEXT:    %sp.count.left = sub i32 %sp.count, 1
; CHECK-NEXT:    %sp.count.due = icmp eq i32 %sp.count.left, 0
; CHECK-NEXT:    br i1 %sp.count.due, label %loop.sp.poll, label %loop, !prof [[RARE:![0-9]+]]
; CHECK:       loop.sp.poll:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; CHECK-NEXT:    br label %loop
; CHECK:       loop:
; CHECK-NEXT:    %sp.count = phi i32 [ 1024, %entry ], [ %sp.count.left, %loop.sp.backedge ], [ 1024, %loop.sp.poll ]
; CHECK-NEXT:    %i = phi i64 [ 0, %entry ], [ %i.next, %loop.sp.backedge ], [ %i.next, %loop.sp.poll ]
; CHECK:         br i1 %done, label %exit, label %loop.sp.backedge
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  store volatile i64 %i, ptr @sink
  %i.next = add i64 %i, 3
  %done = icmp eq i64 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
  ret void
}

define void @narrow(i16 %n) {
; CHECK-LABEL: define void @narrow(
; CHECK-NOT:     sp.chunk
; CHECK:         %sp.count = phi i32
entry:
  br label %loop
loop:
  %i = phi i16 [ 0, %entry ], [ %i.next, %loop ]
  store volatile i16 %i, ptr @sink
  %i.next = add i16 %i, 128
  %done = icmp eq i16 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
  ret void
}

%node = type { ptr, i64 }
define i64 @walk(ptr %p) {
; CHECK-LABEL: define i64 @walk(
; CHECK:         %sp.count = phi i32
entry:
  br label %loop
loop:
  %q = phi ptr [ %p, %entry ], [ %next, %loop ]
  %s = phi i64 [ 0, %entry ], [ %s.next, %loop ]
  %vp = getelementptr %node, ptr %q, i32 0, i32 1
  %v = load i64, ptr %vp
  %s.next = add i64 %s, %v
  %next = load ptr, ptr %q
  %end = icmp eq ptr %next, null
  br i1 %end, label %exit, label %loop
exit:
  ret i64 %s.next
}

; Two latches (a switch's cases and a branch): in the page modes each polls (opt/dispatch-loop.ll);
; in flag mode they share one counter: their back-edges go through one block.
; REMARK: remark: <unknown>:0:0: loop polls on each of its 2 back-edges, unmerged
define void @two_latches(ptr %code) {
; CHECK-LABEL: define void @two_latches(
; CHECK-NOT:     sp.count
; CHECK:       op_a:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; CHECK-NEXT:    br label %dispatch
; CHECK:       op_b:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; CHECK-NEXT:    br label %dispatch
; FLAG-LABEL: define void @two_latches(
; FLAG:       dispatch.sp.backedge:
; FLAG-NEXT:    %{{.*}} = phi ptr [ %pc.{{[ab]}}, %op_{{[ab]}} ], [ %pc.{{[ab]}}, %op_{{[ab]}} ]
; FLAG-NEXT:    %sp.count.left = sub i32 %sp.count, 1
; FLAG:       dispatch.sp.poll:
; FLAG:         call void asm sideeffect "8201:{{.*}}.byte 1, 3,
; FLAG:       dispatch:
; FLAG-NEXT:    %sp.count = phi i32 [ 1024, %entry ], [ %sp.count.left, %dispatch.sp.backedge ], [ 1024, %dispatch.sp.poll{{.*}} ]
; FLAG-NOT:     call void asm sideeffect "8201:{{.*}}.byte 1, 3,
; FLAG:       exit:
entry:
  br label %dispatch
dispatch:
  %pc = phi ptr [ %code, %entry ], [ %pc.a, %op_a ], [ %pc.b, %op_b ]
  %op = load i8, ptr %pc
  switch i8 %op, label %exit [ i8 0, label %op_a
                               i8 1, label %op_b ]
op_a:
  store volatile i64 1, ptr @sink
  %pc.a = getelementptr i8, ptr %pc, i64 1
  br label %dispatch
op_b:
  store volatile i64 2, ptr @sink
  %pc.b = getelementptr i8, ptr %pc, i64 2
  br label %dispatch
exit:
  ret void
}

; A loop that calls an unknown function polls on every back-edge, as before.
define void @calls(i64 %n) {
; CHECK-LABEL: define void @calls(
; CHECK-NOT:     sp.chunk
; CHECK-NOT:     sp.count
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; CHECK-NEXT:    br i1 %done, label %exit, label %loop
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  call void @use(i64 %i)
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
  ret void
}

; The inner loop exits straight to the outer loop's header: its latch closes the outer loop's
; back-edge too, and the outer loop (not innermost, not bounded) must poll there on every trip.
define void @shared_latch(i64 %n, ptr %flag) {
; CHECK-LABEL: define void @shared_latch(
; CHECK-NOT:     sp.chunk
; CHECK-NOT:     sp.count
; CHECK:       inner:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; CHECK-NEXT:    br i1 %done, label %outer, label %inner
entry:
  br label %outer
outer:
  %v = load volatile i32, ptr %flag
  %stop = icmp eq i32 %v, 0
  br i1 %stop, label %exit, label %inner
inner:
  %i = phi i64 [ 0, %outer ], [ %i.next, %inner ]
  store volatile i64 %i, ptr @sink
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, %n
  br i1 %done, label %outer, label %inner
exit:
  ret void
}

; CHECK: [[RARE]] = !{!"branch_weights", i32 1, i32 1023}
