; Functions the pass must leave alone entirely get no poll and a missed remark with the reason:
; naked functions (no code may be added), interrupt handlers, available_externally bodies.
; RUN: %opt-sp -passes=safepoint -pass-remarks-missed=safepoint -S %s 2>%t.remarks | FileCheck %s
; RUN: FileCheck %s --check-prefix=REMARK < %t.remarks

target triple = "x86_64-unknown-linux-gnu"

declare void @work()

; REMARK-DAG: remark: {{.*}}no safepoints in naked: naked function: no code may be added to it
; CHECK-LABEL: define void @naked(
; CHECK-NEXT:    call void asm sideeffect "ret", ""()
; CHECK-NEXT:    unreachable
define void @naked() naked {
  call void asm sideeffect "ret", ""()
  unreachable
}

; REMARK-DAG: remark: {{.*}}no safepoints in handler: interrupt handler
; CHECK-LABEL: define x86_intrcc void @handler(
; CHECK-NEXT:    call void @work()
; CHECK-NEXT:    ret void
define x86_intrcc void @handler(ptr byval(i64) %frame) {
  call void @work()
  ret void
}

; REMARK-DAG: remark: {{.*}}no safepoints in inlinable: available_externally
; CHECK-LABEL: define available_externally void @inlinable(
; CHECK-NEXT:    call void @work()
; CHECK-NEXT:    ret void
define available_externally void @inlinable() {
  call void @work()
  ret void
}

; Only the functions above: nothing was emitted, so no registration constructor either.
; CHECK-NOT: sp.register_sites
