; A memory intrinsic whose length is not a constant of at most 4096 bytes is a loop inside the C
; library: a poll follows each one, so straight-line runs of them (a fully unrolled loop) poll between
; them. Not one in tail position, which keeps its sibling call (the epilogue poll goes before it).
; RUN: %opt-sp -passes='safepoint<epilogue-polls>' -S %s | FileCheck %s
; RUN: %opt-sp -passes='safepoint<epilogue-polls>' %s | llc -O2 -o - | FileCheck %s --check-prefix=ASM

target triple = "x86_64-unknown-linux-gnu"

declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)

; CHECK-LABEL: define void @unrolled(
; CHECK:         call void @llvm.memset.p0.i64(ptr %p, i8 0, i64 %n, i1 false)
; CHECK-NEXT:    {{%sp.page[0-9]*}} = call align 4096 ptr @llvm.threadlocal.address.p0(ptr align 4096 @__sp_thread_poll_page)
; CHECK-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; CHECK-NEXT:    call void @llvm.memset.p0.i64(ptr %p, i8 1, i64 %n, i1 false)
; CHECK-NEXT:    {{%sp.page[0-9]*}} = call align 4096 ptr @llvm.threadlocal.address.p0(ptr align 4096 @__sp_thread_poll_page)
; CHECK-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; A short one of constant length is bounded work: no poll after it.
; CHECK-NEXT:    call void @llvm.memset.p0.i64(ptr %p, i8 2, i64 64, i1 false)
; CHECK-NEXT:    {{%sp.page[0-9]*}} = call align 4096 ptr @llvm.threadlocal.address.p0(ptr align 4096 @__sp_thread_poll_page)
; CHECK-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 2, 1,
; CHECK-NEXT:    ret void
define void @unrolled(ptr %p, i64 %n) {
  call void @llvm.memset.p0.i64(ptr %p, i8 0, i64 %n, i1 false)
  call void @llvm.memset.p0.i64(ptr %p, i8 1, i64 %n, i1 false)
  call void @llvm.memset.p0.i64(ptr %p, i8 2, i64 64, i1 false)
  ret void
}

; CHECK-LABEL: define ptr @copy(
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 2, 1,
; CHECK-NEXT:    tail call void @llvm.memcpy.p0.p0.i64(ptr %d, ptr %s, i64 %n, i1 false)
; CHECK-NEXT:    ret ptr %d
; ASM-LABEL: copy:
; ASM:         jmp memcpy@PLT # TAILCALL
define ptr @copy(ptr %d, ptr %s, i64 %n) {
  tail call void @llvm.memcpy.p0.p0.i64(ptr %d, ptr %s, i64 %n, i1 false)
  ret ptr %d
}
