; A function that makes calls checks the stack pointer against the per-thread guard at entry. The
; check splits the entry block, so every static alloca of the entry block (even one written after a
; call) is gathered above it: an alloca left below the split would become a dynamic one. Dynamic
; allocas stay where they are.
; RUN: %opt-sp -passes=safepoint -S %s | FileCheck %s
; RUN: %opt-sp -passes='safepoint<no-entry-checks>' -S %s | FileCheck %s --check-prefix=NOCHECK
; RUN: %opt-sp -passes=safepoint %s | llc -O0 -o - | FileCheck %s --check-prefix=ASM

target triple = "x86_64-unknown-linux-gnu"

declare void @use(ptr)

define void @frame(i64 %n) {
; CHECK-LABEL: define void @frame(
; CHECK:       entry:
; CHECK-NEXT:    %{{[abc]}} = alloca
; CHECK-NEXT:    %{{[abc]}} = alloca
; CHECK-NEXT:    %{{[abc]}} = alloca
; CHECK-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 3, 5, 0, 0, 0, 0
; CHECK-NEXT:    %sp.rsp = call i64 @llvm.read_register.i64(
; CHECK:         br i1 %sp.below_guard, label %entry.sp.slow, label %entry.sp.cont
; CHECK:       entry.sp.cont:
; CHECK-NEXT:    store i64 %n, ptr %a
; CHECK-NEXT:    call void @use(ptr %a)
; CHECK-NEXT:    %dyn = alloca i8, i64 %n, align 1
; CHECK-NOT:     alloca
; CHECK:         ret void
; NOCHECK-LABEL: define void @frame(
; NOCHECK-NEXT:  entry:
; NOCHECK-NEXT:    %a = alloca i64, align 8
; NOCHECK-NEXT:    store i64 %n, ptr %a
; NOCHECK-NOT:     __sp_stack_guard
; NOCHECK:         ret void
entry:
  %a = alloca i64, align 8
  store i64 %n, ptr %a
  %b = alloca [16 x i8], align 16
  call void @use(ptr %a)
  %c = alloca i32, i32 4, align 4
  %dyn = alloca i8, i64 %n, align 1
  call void @use(ptr %b)
  call void @use(ptr %c)
  call void @use(ptr %dyn)
  ret void
}

; The three static allocas live in the fixed frame; only %dyn moves the stack pointer at run time.
; ASM-LABEL: frame:
; ASM:         subq $
; ASM:         #APP
; ASM:         cmpq
; ASM:         jae
; ASM:         callq __sp_morestack
; ASM-COUNT-1: subq %{{r[a-z0-9]+}}, %{{r[a-z0-9]+}}
; ASM-NOT:     subq %{{r[a-z0-9]+}}, %{{r[a-z0-9]+}}
; ASM:         .cfi_endproc
