; Rule E6: a function that would get an entry poll needs none of its own when the first thing it
; does beyond straight-line work (in its entry block, before any other real call, long memory
; intrinsic or setjmp) is a call to a polling function that keeps its own poll: every call of it
; polls there. The callee keeps its poll when E6 does not apply to it, so a self-call first, or two
; functions that call each other first, keep their checks. With -sp-entry-stack-margin, a function
; that may call uninstrumented code also needs the callee's poll to be a stack-guard compare (the
; margin, EntryStackCheck.h); by default the runtime's guard region is the margin, and every entry
; poll in thread-page mode is the page load.
; RUN: %opt-sp -passes=safepoint -pass-remarks-missed=safepoint -S %s 2>%t.remarks | FileCheck %s
; RUN: FileCheck %s --check-prefix=REMARK < %t.remarks
; RUN: %opt-sp -passes='safepoint<poll=global-page>' -S %s | FileCheck %s --check-prefix=GLOBAL
; RUN: %opt-sp -passes=safepoint -sp-entry-stack-margin=1 -pass-remarks-missed=safepoint -S %s \
; RUN:   2>%t.margin.remarks | FileCheck %s --check-prefix=MARGIN
; RUN: FileCheck %s --check-prefix=MARGIN-REMARK < %t.margin.remarks
; RUN: %opt-sp -passes='safepoint<poll=global-page>' -sp-entry-stack-margin=1 -S %s \
; RUN:   | FileCheck %s --check-prefix=MARGIN

target triple = "x86_64-unknown-linux-gnu"

declare void @work()
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)

; Polls at entry (with the margin a compare: it calls a declaration); its first call is not to a
; polling function.
; CHECK-LABEL: define dso_local void @polls(
; CHECK:         "8201:\0A\09testl %eax, $0{{.*}}.byte 3, 1,
; MARGIN-LABEL: define dso_local void @polls(
; MARGIN:         "8201:{{.*}}.byte 3, 5,
define dso_local void @polls() {
  call void @work()
  ret void
}

; REMARK-DAG: remark: <unknown>:0:0: no entry poll: wrapper first calls polls, which polls on every call
; MARGIN-REMARK-DAG: remark: <unknown>:0:0: no entry poll: wrapper first calls polls, which polls on every call
; MARGIN-LABEL: define dso_local void @wrapper(
; MARGIN-NOT:     8201:
; MARGIN:         call void @polls()
; CHECK-LABEL: define dso_local void @wrapper(
; CHECK-NOT:     8201:
; CHECK:         call void @polls()
; CHECK-NEXT:    call void @work()
; CHECK-NEXT:    ret void
define dso_local void @wrapper(i32 %x) {
  %y = add i32 %x, 1
  call void @polls()
  call void @work()
  ret void
}

; wrapper relies on its first call: this one cannot rely on wrapper's, and keeps its own check.
; CHECK-LABEL: define dso_local void @wrapper_of_wrapper(
; CHECK:         "8201:\0A\09testl %eax, $0{{.*}}.byte 3, 1,
; CHECK:         call void @wrapper(
define dso_local void @wrapper_of_wrapper() {
  call void @wrapper(i32 1)
  call void @work()
  ret void
}

; A loop that calls wrapper on every iteration needs no poll: wrapper polls on every call (E2).
; REMARK-DAG: remark: <unknown>:0:0: no loop poll: every iteration calls wrapper, which polls at entry
define internal void @loop_calls_wrapper(i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  call void @wrapper(i32 0)
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
  ret void
}

; CHECK-LABEL: define dso_local void @self_first(
; CHECK:         "8201:\0A\09testl %eax, $0{{.*}}.byte 3, 1,
define dso_local void @self_first(i32 %n) {
  %stop = icmp eq i32 %n, 0
  call void @self_first(i32 0)
  call void @work()
  ret void
}

; CHECK-LABEL: define dso_local void @ping(
; CHECK:         "8201:{{.*}}.byte 3,
; CHECK-LABEL: define dso_local void @pong(
; CHECK:         "8201:{{.*}}.byte 3,
define dso_local void @ping() {
  call void @pong()
  ret void
}
define dso_local void @pong() {
  call void @ping()
  ret void
}

; A long copy comes first: it is unbounded work before the polling call.
; CHECK-LABEL: define dso_local void @copy_first(
; CHECK:         "8201:\0A\09testl %eax, $0{{.*}}.byte 3, 1,
define dso_local void @copy_first(ptr %d, ptr %s, i64 %n) {
  call void @llvm.memcpy.p0.p0.i64(ptr %d, ptr %s, i64 %n, i1 false)
  call void @polls()
  ret void
}

; The polling call is not in the entry block: a path may skip it.
; CHECK-LABEL: define dso_local void @conditional(
; CHECK:         "8201:\0A\09testl %eax, $0{{.*}}.byte 3, 1,
define dso_local void @conditional(i1 %c) {
  br i1 %c, label %then, label %exit
then:
  call void @polls()
  br label %exit
exit:
  call void @work()
  ret void
}

; Calls only this module's code: a thread-page poll at entry, no stack check.
; CHECK-LABEL: define dso_local void @page_poller(
; CHECK:         "8201:{{.*}}.byte 3, 1,
define dso_local void @page_poller() {
  call void @polls_leaf()
  ret void
}
define internal void @polls_leaf() {
  ret void
}

; It calls a declaration later. With the margin, its first callee's poll does not check the stack in
; thread-page mode: it keeps its own compare. So it does in global-page mode, where every entry poll
; is a compare: every mode places the same polls. By default its first call polls (E6), in every mode.
; REMARK-DAG: remark: <unknown>:0:0: no entry poll: needs_margin first calls page_poller, which polls on every call
; MARGIN-REMARK-NOT: no entry poll: needs_margin
; CHECK-LABEL: define dso_local void @needs_margin(
; CHECK-NOT:     8201:
; CHECK:         call void @page_poller()
; CHECK-NEXT:    call void @work()
; CHECK-NEXT:    ret void
; GLOBAL-LABEL: define dso_local void @needs_margin(
; GLOBAL-NOT:     8201:
; GLOBAL:         call void @page_poller()
; MARGIN-LABEL: define dso_local void @needs_margin(
; MARGIN:         "8201:{{.*}}.byte 3, 5,
define dso_local void @needs_margin() {
  call void @page_poller()
  call void @work()
  ret void
}
