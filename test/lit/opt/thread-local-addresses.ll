; A thread-local address computed before a switch point (a poll, or a call that may poll) is computed
; again before each use after it, since the green thread may run on another OS thread by then: errno's
; and h_errno's (const accessors clang hoists out of loops), a thread-local variable's (with the
; pointer arithmetic on it and its conversion to an integer), always through a call, which the
; backend can neither schedule before an earlier call nor share with the computation before it. Uses with no switch point in between keep
; the address as computed.
; RUN: %opt-sp -passes=safepoint -S %s | FileCheck %s
; RUN: %opt-sp -passes='safepoint<poll=flag>' -S %s | FileCheck %s
; RUN: %opt-sp -passes=safepoint %s | llc -O2 -o - | FileCheck %s --check-prefix=ASM

target triple = "x86_64-unknown-linux-gnu"

declare ptr @__errno_location() nounwind willreturn memory(none)
declare ptr @__h_errno_location() nounwind willreturn memory(none)
declare i32 @close(i32)
declare void @work()

@tls = thread_local global [4 x i64] zeroinitializer

; CHECK-LABEL: define i64 @errno_loop(
; CHECK:       loop:
; CHECK:         [[E1:%e.rederived[0-9]*]] = call ptr @__errno_location()
; CHECK-NEXT:    store i32 0, ptr [[E1]]
; CHECK-NEXT:    %r = call i32 @close(i32 -1)
; CHECK-NEXT:    [[E2:%e.rederived[0-9]*]] = call ptr @__errno_location()
; CHECK-NEXT:    %v = load i32, ptr [[E2]]
define i64 @errno_loop(i64 %n) {
entry:
  %e = call ptr @__errno_location()
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %bad = phi i64 [ 0, %entry ], [ %bad.next, %loop ]
  store i32 0, ptr %e
  %r = call i32 @close(i32 -1)
  %v = load i32, ptr %e
  %wrong = icmp ne i32 %v, 9
  %inc = zext i1 %wrong to i64
  %bad.next = add i64 %bad, %inc
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
  ret i64 %bad.next
}

; No switch point between the computation and its uses: nothing changes.
; CHECK-LABEL: define void @h_errno_straight(
; CHECK:         %h = call ptr @__h_errno_location()
; CHECK-NEXT:    store i32 1, ptr %h
; CHECK-NEXT:    store i32 2, ptr %h
; CHECK-NOT:     rederived
; CHECK:         ret void
define void @h_errno_straight() {
  %h = call ptr @__h_errno_location()
  store i32 1, ptr %h
  store i32 2, ptr %h
  ret void
}

; Converted to an integer, in a block after the one with the call: the conversion is re-derived too,
; and the address is computed by a call even at the top of a block (in PIC code, X86's local-dynamic
; TLS clean-up would reuse the __tls_get_addr result computed before the call).
; CHECK-LABEL: define i64 @tls_as_integer(
; CHECK:         call void @work()
; CHECK:         [[T:%t.rederived[0-9]*]] = call ptr @__sp_tls_address.tls()
; CHECK:         %a.rederived = ptrtoint ptr [[T]] to i64
; CHECK-NEXT:    ret i64 %a.rederived
; ASM-LABEL: tls_as_integer:
; ASM:         callq work@PLT
; ASM-NEXT:    callq __sp_tls_address.tls
define i64 @tls_as_integer() {
  %t = call ptr @llvm.threadlocal.address.p0(ptr @tls)
  %a = ptrtoint ptr %t to i64
  call void @work()
  br label %next
next:
  ret i64 %a
}

; A call in between, then a use in the same block: the element's address is recomputed after the
; call, by a call.
; CHECK-LABEL: define i64 @tls_after_call(
; CHECK:         call void @work()
; CHECK-NEXT:    %t.rederived = call ptr @__sp_tls_address.tls()
; CHECK-NEXT:    %slot.rederived = getelementptr [4 x i64], ptr %t.rederived, i64 0, i64 2
; CHECK-NEXT:    %v = load i64, ptr %slot.rederived
; CHECK:       define internal ptr @__sp_tls_address.tls()
; CHECK-NEXT:  entry:
; CHECK-NEXT:    %0 = call ptr @llvm.threadlocal.address.p0(ptr @tls)
; CHECK-NEXT:    ret ptr %0
; ASM-LABEL: tls_after_call:
; ASM:         callq work@PLT
; ASM-NEXT:    callq __sp_tls_address.tls
define i64 @tls_after_call() {
  %t = call ptr @llvm.threadlocal.address.p0(ptr @tls)
  %slot = getelementptr [4 x i64], ptr %t, i64 0, i64 2
  store i64 1, ptr %slot
  call void @work()
  %v = load i64, ptr %slot
  ret i64 %v
}

declare ptr @llvm.threadlocal.address.p0(ptr)
