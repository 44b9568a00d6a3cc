; In thread-page mode, the runtime's guard region is the margin for uninstrumented code, so entry
; polls are page loads, except where a nosplit chain may start: sp-inspect --check-stack counts a
; chain's stack from its caller's compare (docs/pass.md, "The stack margin"). A function that calls
; a nosplit function (here a declaration marked nosplit), directly or through a helper without an
; entry poll of its own (rule E5), keeps the stack-guard compare (`.byte 3, 5`), and compares again
; after a dynamic allocation that precedes the chain; one that only calls code the pass does not see
; gets the page load (`.byte 3, 1`).
; RUN: %opt-sp -passes=safepoint -S %s | FileCheck %s
; RUN: %opt-sp -passes=safepoint -pass-remarks=safepoint -disable-output %s 2>&1 | FileCheck %s --check-prefix=REMARK

target triple = "x86_64-unknown-linux-gnu"

declare void @plain(ptr)
declare void @ns(ptr) #0

; CHECK-LABEL: define dso_local void @calls_nosplit(
; CHECK-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 3, 5,
; CHECK-NOT:     8201:
; CHECK:         call void @ns(
define dso_local void @calls_nosplit(ptr %p) {
  call void @ns(ptr %p)
  ret void
}

; No entry poll: internal, on no cycle (E5).
; CHECK-LABEL: define internal void @helper(
; CHECK-NOT:     8201:
; CHECK:         call void @ns(
define internal void @helper(ptr %p) {
  call void @ns(ptr %p)
  ret void
}

; CHECK-LABEL: define dso_local void @through_helper(
; CHECK-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 3, 5,
; CHECK-NOT:     8201:
; CHECK:         call void @helper(
define dso_local void @through_helper(ptr %p) {
  call void @plain(ptr %p)
  call void @helper(ptr %p)
  ret void
}

; REMARK: stack check after a dynamic allocation
; CHECK-LABEL: define dso_local void @vla_then_nosplit(
; CHECK-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 3, 5,
; CHECK:         %vla = alloca i8, i64 %n
; CHECK-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 3, 5,
; CHECK:         call void @ns(
define dso_local void @vla_then_nosplit(i64 %n) {
  %vla = alloca i8, i64 %n
  call void @plain(ptr %vla)
  call void @ns(ptr %vla)
  ret void
}

; CHECK-LABEL: define dso_local void @vla_then_plain(
; CHECK-NEXT:    %sp.page = call {{.*}} @llvm.threadlocal.address.p0(ptr {{.*}}@__sp_thread_poll_page)
; CHECK-NEXT:    call void asm sideeffect "8201:\0A\09testl %eax, $0{{.*}}.byte 3, 1,
; CHECK-NEXT:    %vla = alloca i8, i64 %n
; CHECK-NOT:     8201:
; CHECK:         ret void
define dso_local void @vla_then_plain(i64 %n) {
  %vla = alloca i8, i64 %n
  call void @plain(ptr %vla)
  ret void
}

attributes #0 = { "safepoint.nosplit" }
