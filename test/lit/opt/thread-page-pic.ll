; Thread-page polls in code that may go into a shared library (PIC, not PIE) only refer to the
; per-thread page, weakly: a library that defined it would carry a 4096-aligned TLS block that
; dlopen cannot place in static TLS. Executable code (PIE here; poll-modes.ll: no PIC at all)
; defines it weakly, like the other ABI variables.
; RUN: %opt-sp -passes=safepoint -S %s | FileCheck %s --check-prefix=PIC
; RUN: sed -e 's/i32 8, !"PIC Level", i32 2/i32 7, !"PIE Level", i32 2/' %s > %t.pie.ll
; RUN: %opt-sp -passes=safepoint -S %t.pie.ll | FileCheck %s --check-prefix=PIE

target triple = "x86_64-unknown-linux-gnu"

; PIC: @__sp_thread_poll_page = extern_weak thread_local(initialexec) global [4096 x i8], align 4096
; PIE: @__sp_thread_poll_page = weak dso_local thread_local(initialexec) global [4096 x i8] zeroinitializer, comdat, align 4096

define void @spin(ptr %p) {
; spin makes no calls and is visible outside the module: it polls at entry (kind 3) with the same
; load as its loop (kind 1).
; PIC-LABEL: define void @spin(
; PIC:         [[ENTRY:%sp.page[0-9]*]] = call align 4096 ptr @llvm.threadlocal.address.p0(ptr align 4096 @__sp_thread_poll_page)
; PIC-NEXT:    call void asm sideeffect "8201:\0A\09testl %eax, $0\0A8202:{{.*}}.byte 3, 1, 8202b - 8201b, {{.*}}"(ptr elementtype(i32) [[ENTRY]],
; PIC:         [[LOOP:%sp.page[0-9]*]] = call align 4096 ptr @llvm.threadlocal.address.p0(ptr align 4096 @__sp_thread_poll_page)
; PIC-NEXT:    call void asm sideeffect "8201:\0A\09testl %eax, $0\0A8202:{{.*}}.byte 1, 1, 8202b - 8201b, {{.*}}"(ptr elementtype(i32) [[LOOP]],
entry:
  br label %loop
loop:
  %v = load volatile i32, ptr %p
  %done = icmp eq i32 %v, 0
  br i1 %done, label %exit, label %loop
exit:
  ret void
}

!llvm.module.flags = !{!0}
!0 = !{i32 8, !"PIC Level", i32 2}
