; llvm.localescape (which names static allocas for SEH filters) must stay in the entry block, like
; the static allocas it names; the verifier rejects it anywhere else. The entry check, which splits
; the entry block, goes below it, whether it came right after the allocas or after other code.
; RUN: %opt-sp -passes=safepoint -S %s | FileCheck %s
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
entry:
  %a = alloca i32
  call void @work(ptr %a)
  %b = alloca i32
  call void (...) @llvm.localescape(ptr %a, ptr %b)
  call void @work(ptr %b)
  ret void
}
