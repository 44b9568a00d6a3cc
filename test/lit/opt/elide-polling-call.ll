; A natural loop whose every iteration calls a function that polls whenever it is called gets no
; back-edge poll (missed remark PollingCallInLoop naming the callee and its poll). A callee polls if it is ours and
; final (instrumented here, not replaceable at link or load time) and either gets an entry check (it
; is on a call-graph cycle, or code we do not see may call it) or makes no calls (epilogue poll before
; each return). Calls on only some iterations, and calls to external, linkonce, interposable or
; uninstrumented callees, or to a callee that makes calls but needs no entry check, prove nothing:
; those loops poll.
; RUN: %opt-sp -passes='safepoint<epilogue-polls>' -pass-remarks-output=%t.yaml -S %s | FileCheck %s
; RUN: FileCheck %s --check-prefix=YAML < %t.yaml
; Without entry checks, a callee that makes calls no longer polls at entry; a call-free one still does.
; RUN: %opt-sp -passes='safepoint<no-entry-checks;epilogue-polls>' -S %s | FileCheck %s --check-prefix=NOENTRY
; Without epilogue polls (the default) it is the other way round.
; RUN: %opt-sp -passes=safepoint -S %s | FileCheck %s --check-prefix=NOEPI

target triple = "x86_64-unknown-linux-gnu"

declare void @external()

@again = global i1 false

define internal void @caller_of_external() {
  call void @external()
  %again = load volatile i1, ptr @again
  br i1 %again, label %recur, label %exit
recur:
  call void @caller_of_external()
  br label %exit
exit:
  ret void
}

define internal void @acyclic_caller() {
  call void @external()
  ret void
}

@g = global i64 0

define internal void @call_free(i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  store volatile i64 %i, ptr @g
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
  ret void
}

define linkonce_odr void @replaceable() {
  call void @external()
  ret void
}

define void @interposable() {
  call void @external()
  ret void
}

define internal void @naked_callee() naked {
  call void asm sideeffect "ret", ""()
  unreachable
}

; YAML:      Name: PollingCallInLoop
; YAML-NEXT: Function: loop_calls_polling
; YAML-NEXT: Args:
; YAML-NEXT:   - String: 'no loop poll: every iteration calls '
; YAML-NEXT:   - Callee: caller_of_external
; YAML-NEXT:   - String: ', which polls at entry'
; CHECK-LABEL: define void @loop_calls_polling(
; CHECK:       loop:
; CHECK-NEXT:    %i = phi
; CHECK-NEXT:    call void @caller_of_external()
; CHECK-NEXT:    %i.next = add
; CHECK-NEXT:    %done = icmp
; CHECK-NEXT:    br i1 %done
; NOENTRY-LABEL: define void @loop_calls_polling(
; NOENTRY:       loop:
; NOENTRY:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; NOENTRY-NEXT:    br i1 %done
; NOEPI-LABEL: define void @loop_calls_polling(
; NOEPI:       loop:
; NOEPI-NOT:     8201:
; NOEPI:         br i1 %done
define void @loop_calls_polling(i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  call void @caller_of_external()
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
  ret void
}

; YAML:      Name: PollingCallInLoop
; YAML-NEXT: Function: loop_calls_call_free
; YAML-NEXT: Args:
; YAML-NEXT:   - String: 'no loop poll: every iteration calls '
; YAML-NEXT:   - Callee: call_free
; YAML-NEXT:   - String: ', which polls before it returns'
; CHECK-LABEL: define void @loop_calls_call_free(
; CHECK-NOT:     8201:{{.*}}.byte 1,
; CHECK:         ret void
; NOENTRY-LABEL: define void @loop_calls_call_free(
; NOENTRY-NOT:     8201:{{.*}}.byte 1,
; NOENTRY:         ret void
; NOEPI-LABEL: define void @loop_calls_call_free(
; NOEPI:       loop:
; NOEPI:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; NOEPI-NEXT:    br i1 %done
define void @loop_calls_call_free(i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  call void @call_free(i64 %i)
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
  ret void
}

; The call is on one path of the loop only.
; CHECK-LABEL: define void @sometimes_calls(
; CHECK:       latch:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; CHECK-NEXT:    br i1 %done
define void @sometimes_calls(i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %latch ]
  %odd = trunc i64 %i to i1
  br i1 %odd, label %call, label %latch
call:
  call void @caller_of_external()
  br label %latch
latch:
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
  ret void
}

; Every iteration calls, but nothing proves the callee polls.
; CHECK-LABEL: define void @untrusted_callees(
; CHECK:       loop:
; CHECK:         call void @external()
; CHECK-NEXT:    call void @replaceable()
; CHECK-NEXT:    call void @interposable()
; CHECK-NEXT:    call void @naked_callee()
; CHECK-NEXT:    call void @acyclic_caller()
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; CHECK-NEXT:    br i1 %done
define void @untrusted_callees(i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  call void @external()
  call void @replaceable()
  call void @interposable()
  call void @naked_callee()
  call void @acyclic_caller()
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
  ret void
}

; YAML-NOT: Name: PollingCallInLoop
