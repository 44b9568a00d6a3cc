; More functions the pass leaves alone entirely, each with a missed remark NotInstrumented giving the
; reason: a coroutine not yet split (CoroSplit has not built its resume functions; those are
; instrumented once they exist), a function using funclet-based (Windows) exception handling, and the
; safepoint machinery itself (__sp_* and sp.* functions).
; RUN: %opt-sp -passes=safepoint -pass-remarks-output=%t.yaml -S %s | FileCheck %s
; RUN: FileCheck %s --check-prefix=YAML < %t.yaml

target triple = "x86_64-unknown-linux-gnu"

declare void @work()
declare i32 @__CxxFrameHandler3(...)

; YAML:      Name: NotInstrumented
; YAML-NEXT: Function: presplit
; YAML:        - String: coroutine not yet split
; CHECK-LABEL: define void @presplit(
; CHECK-NEXT:    call void @work()
; CHECK-NEXT:    ret void
define void @presplit() presplitcoroutine {
  call void @work()
  ret void
}

; YAML:      Name: NotInstrumented
; YAML-NEXT: Function: funclets
; YAML:        - String: funclet-based exception handling is not supported
; CHECK-LABEL: define void @funclets(
; CHECK-NEXT:  entry:
; CHECK-NEXT:    invoke void @work()
define void @funclets() personality ptr @__CxxFrameHandler3 {
entry:
  invoke void @work() to label %done unwind label %dispatch
dispatch:
  %cs = catchswitch within none [label %handler] unwind to caller
handler:
  %cp = catchpad within %cs [ptr null, i32 64, ptr null]
  catchret from %cp to label %done
done:
  ret void
}

; YAML:      Name: NotInstrumented
; YAML-NEXT: Function: __sp_helper
; YAML:        - String: part of the safepoint machinery
; YAML:      Name: NotInstrumented
; YAML-NEXT: Function: sp.helper
; YAML:        - String: part of the safepoint machinery
; CHECK-LABEL: define void @__sp_helper(
; CHECK-NEXT:    call void @work()
; CHECK-NEXT:    ret void
define void @__sp_helper() {
  call void @work()
  ret void
}
; CHECK-LABEL: define void @sp.helper(
; CHECK-NEXT:    call void @work()
; CHECK-NEXT:    ret void
define void @sp.helper() {
  call void @work()
  ret void
}

; CHECK-NOT: 8201:
