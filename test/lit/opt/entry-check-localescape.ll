; llvm.localescape (which names static allocas for SEH filters) must stay in the entry block, like
; the static allocas it names; the verifier rejects it anywhere else. The entry check, which splits
; the entry block when it is a stack-guard compare (with -sp-entry-stack-margin, or in the other
; modes), goes below it, whether it came right after the allocas or after other code. By default the
; thread-page entry poll is the page load, which splits nothing; it goes below it too.
; RUN: %opt-sp -passes=safepoint -sp-entry-stack-margin=1 -S %s | FileCheck %s
; RUN: %opt-sp -passes=safepoint -S %s | FileCheck %s --check-prefix=PAGE --implicit-check-not=__sp_stack_guard
; RUN: %opt-sp -passes='safepoint<poll=flag>' %s | llc -O0 -o /dev/null

target triple = "x86_64-unknown-linux-gnu"

declare void @llvm.localescape(...)
declare void @work(ptr)

define void @first() {
; CHECK-LABEL: define void @first(
; CHECK-NEXT:  entry:
; CHECK-NEXT:    %a = alloca i32, align 4
; CHECK-NEXT:    call void (...) @llvm.localescape(ptr %a)
; CHECK-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 3, 5,
; CHECK:       entry.sp.cont:
; CHECK-NEXT:    call void @work(ptr %a)
; PAGE-LABEL: define void @first(
; PAGE-NEXT:  entry:
; PAGE-NEXT:    %a = alloca i32, align 4
; PAGE-NEXT:    call void (...) @llvm.localescape(ptr %a)
; PAGE-NEXT:    %sp.page = call align 4096 ptr @llvm.threadlocal.address.p0(ptr align 4096 @__sp_thread_poll_page)
; PAGE-NEXT:    call void asm sideeffect "8201:\0A\09testl %eax, $0{{.*}}.byte 3, 1,
; PAGE-NEXT:    call void @work(ptr %a)
entry:
  %a = alloca i32
  call void (...) @llvm.localescape(ptr %a)
  call void @work(ptr %a)
  ret void
}

define void @late() {
; CHECK-LABEL: define void @late(
; CHECK-NEXT:  entry:
; CHECK-NEXT:    %{{[ab]}} = alloca i32, align 4
; CHECK-NEXT:    %{{[ab]}} = alloca i32, align 4
; CHECK-NEXT:    call void (...) @llvm.localescape(ptr %a, ptr %b)
; CHECK-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 3, 5,
; CHECK:       entry.sp.cont:
; CHECK-NEXT:    call void @work(ptr %a)
; CHECK-NEXT:    call void @work(ptr %b)
; PAGE-LABEL: define void @late(
; PAGE-NEXT:  entry:
; PAGE-NEXT:    %{{[ab]}} = alloca i32, align 4
; PAGE-NEXT:    %{{[ab]}} = alloca i32, align 4
; PAGE-NEXT:    call void (...) @llvm.localescape(ptr %a, ptr %b)
; PAGE-NEXT:    %sp.page = call align 4096 ptr @llvm.threadlocal.address.p0(ptr align 4096 @__sp_thread_poll_page)
; PAGE-NEXT:    call void asm sideeffect "8201:\0A\09testl %eax, $0{{.*}}.byte 3, 1,
; PAGE-NEXT:    call void @work(ptr %a)
; PAGE-NEXT:    call void @work(ptr %b)
entry:
  %a = alloca i32
  call void @work(ptr %a)
  %b = alloca i32
  call void (...) @llvm.localescape(ptr %a, ptr %b)
  call void @work(ptr %b)
  ret void
}
