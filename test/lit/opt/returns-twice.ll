; A longjmp back to a setjmp closes a cycle that has no back-edge in the CFG: it runs through the C
; library's longjmp (which never polls) and does not re-enter the function (no entry check either).
; Each return of a returns_twice call therefore polls, as a loop site, right after the call.
; RUN: %opt-sp -passes=safepoint -S %s | FileCheck %s
; RUN: %opt-sp -passes='safepoint<poll=flag>' -S %s | FileCheck %s --check-prefix=FLAG
; RUN: %opt-sp -passes='safepoint<poll=call>' %s | llc -O2 -o /dev/null

target triple = "x86_64-unknown-linux-gnu"

@env = global [200 x i8] zeroinitializer
@count = global i64 0

declare i32 @_setjmp(ptr) returns_twice
declare void @longjmp(ptr, i32) noreturn

define void @spin_longjmp(i64 %n) {
; CHECK-LABEL: define void @spin_longjmp(
; CHECK:         %r = call i32 @_setjmp(ptr @env)
; CHECK-NEXT:    call align 8 ptr @llvm.threadlocal.address.p0(ptr align 8 @__sp_poll_page_ptr)
; CHECK-NEXT:    load volatile ptr
; CHECK-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; CHECK-NEXT:    %c = load volatile i64, ptr @count
; FLAG-LABEL: define void @spin_longjmp(
; FLAG:         %r = call i32 @_setjmp(ptr @env)
; FLAG-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 1, 3,
; FLAG:         br i1 %sp.stop_requested{{[0-9]*}}, label %entry.sp.cont.sp.slow, label %entry.sp.cont.sp.cont
; FLAG:       entry.sp.cont.sp.cont:
; FLAG-NEXT:    %c = load volatile i64, ptr @count
entry:
  %r = call i32 @_setjmp(ptr @env)
  %c = load volatile i64, ptr @count
  %c.next = add i64 %c, 1
  store volatile i64 %c.next, ptr @count
  %again = icmp slt i64 %c.next, %n
  br i1 %again, label %jump, label %done
jump:
  call void @longjmp(ptr @env, i32 1)
  unreachable
done:
  ret void
}
