; An innermost loop whose constant maximum trip count is at most max-elided-trips (default 1000) gets
; no back-edge poll, with a missed remark naming the count and the limit. The rule is for innermost
; loops only: an outer loop runs its bounded inner loop an unbounded number of times, so it polls.
; And only for loops whose every iteration does bounded work: a call, or a memory intrinsic whose
; length is not a constant of at most 4096 bytes, makes the loop poll whatever its trip count.
; RUN: %opt-sp -passes=safepoint -pass-remarks=safepoint -pass-remarks-missed=safepoint -S %s \
; RUN:   2>%t.remarks | FileCheck %s --check-prefix=ELIDED
; RUN: FileCheck %s --check-prefix=REMARK < %t.remarks
; With the limit below the trip count, the loop of 100 iterations polls again (on every back-edge
; with chunked loop polls off; loop-poll-chunks.ll tests those).
; RUN: %opt-sp -passes='safepoint<max-elided-trips=99;no-strip-mining;poll-every=1>' -pass-remarks-missed=safepoint -S %s \
; RUN:   2>%t.99.remarks | FileCheck %s --check-prefix=POLLED
; RUN: FileCheck %s --check-prefix=REMARK99 < %t.99.remarks
; max-elided-trips=0 turns the rule off.
; RUN: %opt-sp -passes='safepoint<max-elided-trips=0>' -pass-remarks-missed=safepoint -S %s \
; RUN:   2>&1 | FileCheck %s --check-prefix=OFF

target triple = "x86_64-unknown-linux-gnu"

declare void @use(i64)
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)
declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)
@sink = global i64 0

; REMARK-DAG: remark: <unknown>:0:0: no loop poll: loop runs at most 100 iterations (limit 1000)
; REMARK99: remark: <unknown>:0:0: no loop poll: loop runs at most 7 iterations (limit 99)
; REMARK99-NOT: no loop poll: loop runs at most 100
; OFF-NOT: no loop poll
define void @hundred() {
; ELIDED-LABEL: define void @hundred(
; ELIDED:       loop:
; ELIDED-NOT:     8201:{{.*}}.byte 1,
; ELIDED:         br i1 %done, label %exit, label %loop
; POLLED-LABEL: define void @hundred(
; POLLED:       loop:
; POLLED:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; POLLED-NEXT:    br i1 %done, label %exit, label %loop
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  store volatile i64 %i, ptr @sink
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, 100
  br i1 %done, label %exit, label %loop
exit:
  ret void
}

; The inner loop (at most 7 iterations: i & 7 < 8) is elided, its unbounded outer loop polls.
; REMARK-DAG: remark: <unknown>:0:0: no loop poll: loop runs at most 7 iterations (limit 1000)
; REMARK-DAG: remark: <unknown>:0:0: safepoint poll at loop back-edge (thread-page)
define void @nest(i64 %n) {
; ELIDED-LABEL: define void @nest(
; ELIDED:       inner:
; ELIDED-NOT:     8201:
; ELIDED:         br i1 %inner.done, label %latch, label %inner
; ELIDED:       latch:
; ELIDED:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; ELIDED-NEXT:    br i1 %outer.done, label %exit, label %outer
entry:
  br label %outer
outer:
  %o = phi i64 [ 0, %entry ], [ %o.next, %latch ]
  br label %inner
inner:
  %i = phi i64 [ 0, %outer ], [ %i.next, %inner ]
  store volatile i64 %i, ptr @sink
  %i.next = add i64 %i, 1
  %inner.done = icmp eq i64 %i.next, 7
  br i1 %inner.done, label %latch, label %inner
latch:
  %o.next = add i64 %o, 1
  %outer.done = icmp eq i64 %o.next, %n
  br i1 %outer.done, label %exit, label %outer
exit:
  ret void
}

; Even an outer loop with a constant trip count polls: the rule only trusts innermost loops.
define void @bounded_nest() {
; ELIDED-LABEL: define void @bounded_nest(
; ELIDED:       latch:
; ELIDED:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; ELIDED-NEXT:    br i1 %outer.done, label %exit, label %outer
entry:
  br label %outer
outer:
  %o = phi i64 [ 0, %entry ], [ %o.next, %latch ]
  br label %inner
inner:
  %i = phi i64 [ 0, %outer ], [ %i.next, %inner ]
  store volatile i64 %i, ptr @sink
  %i.next = add i64 %i, 1
  %inner.done = icmp eq i64 %i.next, 3
  br i1 %inner.done, label %latch, label %inner
latch:
  %o.next = add i64 %o, 1
  %outer.done = icmp eq i64 %o.next, 5
  br i1 %outer.done, label %exit, label %outer
exit:
  ret void
}

; 40 copies of 64 MiB take most of a second: the loop polls.
; REMARK-NOT: at most 40 iterations
define void @long_copies(ptr %dst, ptr %src) {
; ELIDED-LABEL: define void @long_copies(
; ELIDED:         call void @llvm.memcpy
; ELIDED:         %done = icmp
; ELIDED:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; ELIDED-NEXT:    br i1 %done, label %exit, label %loop
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  call void @llvm.memcpy.p0.p0.i64(ptr %dst, ptr %src, i64 67108864, i1 false)
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, 40
  br i1 %done, label %exit, label %loop
exit:
  ret void
}

; A length only known at run time is not bounded either.
; REMARK-NOT: at most 41 iterations
define void @variable_sets(ptr %dst, i64 %n) {
; ELIDED-LABEL: define void @variable_sets(
; ELIDED:         call void @llvm.memset
; ELIDED:         %done = icmp
; ELIDED:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; ELIDED-NEXT:    br i1 %done, label %exit, label %loop
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  call void @llvm.memset.p0.i64(ptr %dst, i8 0, i64 %n, i1 false)
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, 41
  br i1 %done, label %exit, label %loop
exit:
  ret void
}

; Neither is a call: the callee may run as long as it likes.
; REMARK-NOT: at most 42 iterations
define void @calls(ptr %dst, i64 %n) {
; ELIDED-LABEL: define void @calls(
; ELIDED:         call void @use(i64 %i)
; ELIDED:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; ELIDED-NEXT:    br i1 %done, label %exit, label %loop
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  call void @use(i64 %i)
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, 42
  br i1 %done, label %exit, label %loop
exit:
  ret void
}

; Short copies of a constant length are bounded work: elided.
; REMARK-DAG: remark: <unknown>:0:0: no loop poll: loop runs at most 43 iterations (limit 1000)
define void @short_copies(ptr %dst, ptr %src) {
; ELIDED-LABEL: define void @short_copies(
; ELIDED:       loop:
; ELIDED-NOT:     8201:{{.*}}.byte 1,
; ELIDED:         br i1 %done, label %exit, label %loop
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  call void @llvm.memcpy.p0.p0.i64(ptr %dst, ptr %src, i64 4096, i1 false)
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, 43
  br i1 %done, label %exit, label %loop
exit:
  ret void
}
