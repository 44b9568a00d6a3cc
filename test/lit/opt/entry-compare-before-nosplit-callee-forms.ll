; A function that calls a nosplit function keeps the stack-guard compare at its entry in thread-page
; mode (docs/pass.md, "The stack margin"; opt/entry-compare-before-nosplit.ll), however the call
; names the callee: through a C declaration without a prototype (`SP_NOSPLIT void ns();` called
; with arguments: the call's type differs from the function's, so getCalledFunction() is null), or
; through an alias of a nosplit function. Both are direct calls that start a nosplit chain; with
; only the page load (`.byte 3, 1`) before them, the chain's stack is no longer counted from a
; compare. A plain call keeps the page load.
; RUN: %opt-sp -passes=safepoint -S %s | FileCheck %s

target triple = "x86_64-unknown-linux-gnu"

declare void @ns(ptr) #0
declare void @plain(ptr)

@ns_alias = dso_local alias void (ptr), ptr @ns_def

define dso_local void @ns_def(ptr %p) #0 {
  ret void
}

; CHECK-LABEL: define dso_local void @calls_without_prototype(
; CHECK-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 3, 5,
; CHECK:         call void @ns(ptr %p, i32 1)
define dso_local void @calls_without_prototype(ptr %p) {
  call void @ns(ptr %p, i32 1)
  ret void
}

; CHECK-LABEL: define dso_local void @calls_alias(
; CHECK-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 3, 5,
; CHECK:         call void @ns_alias(ptr %p)
define dso_local void @calls_alias(ptr %p) {
  call void @ns_alias(ptr %p)
  ret void
}

; CHECK-LABEL: define dso_local void @calls_plain_without_prototype(
; CHECK:         call void asm sideeffect "8201:\0A\09testl %eax, $0{{.*}}.byte 3, 1,
; CHECK:         call void @plain(ptr %p, i32 1)
define dso_local void @calls_plain_without_prototype(ptr %p) {
  call void @plain(ptr %p, i32 1)
  ret void
}

attributes #0 = { "safepoint.nosplit" }
