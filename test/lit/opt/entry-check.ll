; With -sp-entry-stack-margin (and in the other modes), a function that calls a declaration checks
; the stack pointer against the per-thread guard at entry. The check splits the entry block, so every
; static alloca of the entry block (even one written after a call) is gathered above it: an alloca
; left below the split would become a dynamic one. Dynamic allocas stay where they are.
; RUN: %opt-sp -passes=safepoint -sp-entry-stack-margin=1 -S %s | FileCheck %s
; RUN: %opt-sp -passes='safepoint<no-entry-checks>' -S %s | FileCheck %s --check-prefix=NOCHECK
; RUN: %opt-sp -passes=safepoint -sp-entry-stack-margin=1 %s | llc -O0 -o - | FileCheck %s --check-prefix=ASM
; By default the thread-page entry poll is the page load (the runtime's guard region is the margin):
; no split, no compare, and the static allocas are still gathered above the poll.
; RUN: %opt-sp -passes=safepoint -S %s | FileCheck %s --check-prefix=PAGE --implicit-check-not=__sp_stack_guard
; RUN: %opt-sp -passes=safepoint %s | llc -O0 -o - \
; RUN:   | FileCheck %s --check-prefix=PAGE-ASM --implicit-check-not=__sp_stack_guard --implicit-check-not=__sp_morestack

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
; PAGE-LABEL: define void @frame(
; PAGE-NEXT:  entry:
; PAGE-NEXT:    %{{[abc]}} = alloca
; PAGE-NEXT:    %{{[abc]}} = alloca
; PAGE-NEXT:    %{{[abc]}} = alloca
; PAGE-NEXT:    %sp.page = call align 4096 ptr @llvm.threadlocal.address.p0(ptr align 4096 @__sp_thread_poll_page)
; PAGE-NEXT:    call void asm sideeffect "8201:\0A\09testl %eax, $0{{.*}}.byte 3, 1, 8202b - 8201b, 0, 0, 0
; PAGE-NEXT:    store i64 %n, ptr %a
; PAGE-NEXT:    call void @use(ptr %a)
; PAGE-NEXT:    %dyn = alloca i8, i64 %n, align 1
; PAGE-NEXT:    call void @use(ptr %b)
; PAGE-NOT:     alloca
; PAGE:         ret void
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
; PAGE-ASM-LABEL: frame:
; PAGE-ASM:         subq $
; PAGE-ASM:         #APP
; PAGE-ASM:         testl %eax, %fs:__sp_thread_poll_page@TPOFF
; PAGE-ASM-COUNT-1: subq %{{r[a-z0-9]+}}, %{{r[a-z0-9]+}}
; PAGE-ASM-NOT:     subq %{{r[a-z0-9]+}}, %{{r[a-z0-9]+}}
; PAGE-ASM:         .cfi_endproc
