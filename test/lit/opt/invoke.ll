; Exception handling with invoke and landingpad: a loop whose latch ends in an invoke polls before
; the invoke, and a cycle closed through a landing pad polls at the end of the pad's path back. In
; flag mode the split before an invoke keeps the landing pad's predecessors well formed. A resume
; leaves the function without returning, so it gets no epilogue poll.
; RUN: %opt-sp -passes='safepoint<epilogue-polls>' -S %s | FileCheck %s
; RUN: %opt-sp -passes='safepoint<poll=flag;epilogue-polls>' -S %s | FileCheck %s --check-prefix=FLAG
; RUN: %opt-sp -passes='safepoint<poll=flag;epilogue-polls>' %s | llc -O2 -o /dev/null

target triple = "x86_64-unknown-linux-gnu"

declare i32 @__gxx_personality_v0(...)
declare void @may_throw(i64)

define void @invoke_latch(i64 %n) personality ptr @__gxx_personality_v0 {
; CHECK-LABEL: define void @invoke_latch(
; CHECK:       loop:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; CHECK-NEXT:    invoke void @may_throw(i64 %i)
; CHECK-NEXT:      to label %loop unwind label %lpad
; CHECK:       lpad:
; CHECK-NEXT:    %lp = landingpad { ptr, i32 }
; CHECK-NOT:     8201:
; CHECK:         resume { ptr, i32 } %lp
; FLAG-LABEL: define void @invoke_latch(
; FLAG:       loop.sp.cont:
; FLAG-NEXT:    invoke void @may_throw(i64 %i)
; FLAG-NEXT:      to label %loop unwind label %lpad
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %i.next = add i64 %i, 1
  invoke void @may_throw(i64 %i) to label %loop unwind label %lpad
lpad:
  %lp = landingpad { ptr, i32 } cleanup
  resume { ptr, i32 } %lp
}

define void @retry(i64 %n) personality ptr @__gxx_personality_v0 {
; CHECK-LABEL: define void @retry(
; CHECK:       {{^}}try:
; CHECK-NOT:     8201:
; CHECK:         invoke void @may_throw(i64 %attempt)
; CHECK:       lpad:
; CHECK-NEXT:    %lp = landingpad { ptr, i32 }
; CHECK-NEXT:            catch ptr null
; CHECK-NEXT:    %attempt.next = add i64 %attempt, 1
; CHECK-NEXT:    {{%sp.page[0-9]*}} = call align 4096 ptr @llvm.threadlocal.address.p0(ptr align 4096 @__sp_thread_poll_page)
; CHECK-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; CHECK-NEXT:    br label %try
; CHECK:       done:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 2, 1,
; CHECK-NEXT:    ret void
; FLAG-LABEL: define void @retry(
; FLAG:       lpad:
; FLAG-NEXT:    %lp = landingpad { ptr, i32 }
; FLAG:         br i1 %sp.stop_requested{{[0-9]*}}, label %lpad.sp.slow, label %lpad.sp.cont
entry:
  br label %try
try:
  %attempt = phi i64 [ 0, %entry ], [ %attempt.next, %lpad ]
  invoke void @may_throw(i64 %attempt) to label %done unwind label %lpad
lpad:
  %lp = landingpad { ptr, i32 } catch ptr null
  %attempt.next = add i64 %attempt, 1
  br label %try
done:
  ret void
}
