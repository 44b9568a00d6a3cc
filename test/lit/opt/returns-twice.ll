; A longjmp back to a setjmp closes a cycle that has no back-edge in the CFG: it runs through the C
; library's longjmp (which never polls) and does not re-enter the function (no entry check either).
; Each return of a returns_twice call therefore polls, as a loop site, right after the call. Except
; vfork's: it makes no cycle, and its first return is in a child that borrows the parent's memory and
; stack until it execs, where a poll must not stop the thread.
; RUN: %opt-sp -passes=safepoint -S %s | FileCheck %s
; RUN: %opt-sp -passes='safepoint<poll=flag>' -S %s | FileCheck %s --check-prefix=FLAG
; RUN: %opt-sp -passes='safepoint<poll=call>' %s | llc -O2 -o /dev/null

target triple = "x86_64-unknown-linux-gnu"

@env = global [200 x i8] zeroinitializer
@count = global i64 0

declare i32 @_setjmp(ptr) returns_twice
declare void @longjmp(ptr, i32) noreturn
declare i32 @vfork() returns_twice
declare i32 @execv(ptr, ptr)
declare void @_exit(i32) noreturn

define void @spin_longjmp(i64 %n) {
; CHECK-LABEL: define void @spin_longjmp(
; CHECK:         %r = call i32 @_setjmp(ptr @env)
; CHECK-NEXT:    {{%sp.page[0-9]*}} = call align 4096 ptr @llvm.threadlocal.address.p0(ptr align 4096 @__sp_thread_poll_page)
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

define i32 @spawn(ptr %path, ptr %argv) {
; CHECK-LABEL: define i32 @spawn(
; CHECK:         %pid = call i32 @vfork()
; CHECK-NEXT:    %child = icmp eq i32 %pid, 0
; CHECK-NEXT:    br i1 %child, label %exec, label %parent
; CHECK:       exec:
; CHECK-NEXT:    call i32 @execv(
; CHECK-NEXT:    call void @_exit(i32 127)
; CHECK-NEXT:    unreachable
entry:
  %pid = call i32 @vfork()
  %child = icmp eq i32 %pid, 0
  br i1 %child, label %exec, label %parent
exec:
  call i32 @execv(ptr %path, ptr %argv)
  call void @_exit(i32 127)
  unreachable
parent:
  ret i32 %pid
}
