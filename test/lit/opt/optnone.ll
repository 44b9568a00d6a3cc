; optnone functions (every function at clang -O0) are instrumented like any other: the pass is
; required, so the pass manager does not skip it for them.
; RUN: %opt-sp -passes='safepoint<epilogue-polls>' -S %s | FileCheck %s

target triple = "x86_64-unknown-linux-gnu"

declare void @use(i64)

define void @count(i64 %n) noinline optnone {
; CHECK-LABEL: define void @count(
; CHECK:       entry:
; CHECK-NEXT:    %sp.page = call align 4096 ptr @llvm.threadlocal.address.p0(ptr align 4096 @__sp_thread_poll_page)
; CHECK-NEXT:    call void asm sideeffect "8201:\0A\09testl %eax, $0{{.*}}.byte 3, 1,
; CHECK:       loop:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; CHECK-NEXT:    br i1 %done, label %exit, label %loop
; CHECK:       exit:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 2, 1,
; CHECK-NEXT:    ret void
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  call void @use(i64 %i)
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
  ret void
}
