; A thread-local address computed before a switch point (a poll, or a call that may poll) is computed
; again after it, once, where a use after it needs it (through phis where paths merge), since the
; green thread may run on another OS thread by then: errno's
; and h_errno's (const accessors clang hoists out of loops), a thread-local variable's (with the
; pointer arithmetic on it and its conversion to an integer), always through a call, which the
; backend can neither schedule before an earlier call nor share with the computation before it. Uses with no switch point in between keep
; the address as computed.
; The loops here keep the strip-mined and counted shapes (opt/loop-poll-chunks.ll) in every mode.
; RUN: %opt-sp -passes='safepoint<strip-mining-max-body=1000;counter-max-body=1000>' -S %s | FileCheck %s
; RUN: %opt-sp -passes='safepoint<poll=flag>' -S %s | FileCheck %s
; RUN: %opt-sp -passes='safepoint<strip-mining-max-body=1000;counter-max-body=1000>' %s | llc -O2 -o - | FileCheck %s --check-prefix=ASM

target triple = "x86_64-unknown-linux-gnu"

declare ptr @__errno_location() nounwind willreturn memory(none)
declare ptr @__h_errno_location() nounwind willreturn memory(none)
declare i32 @close(i32)
declare void @work()
declare ptr @__ctype_tolower_loc() nounwind willreturn memory(none)
declare void @may_throw()
declare i32 @__gxx_personality_v0(...)

@tls = thread_local global [4 x i64] zeroinitializer

; CHECK-LABEL: define i64 @errno_loop(
; CHECK:         %e = call ptr @__errno_location()
; CHECK:       loop:
; CHECK-NEXT:    [[E:%e[0-9]+]] = phi ptr [ %e, %entry{{(.sp.cont)?}} ], [ {{%e[.a-z0-9]*}}, %loop{{(.sp.cont)?}} ]
; CHECK:         store i32 0, ptr [[E]]
; CHECK-NEXT:    %r = call i32 @close(i32 -1)
; CHECK-NEXT:    [[E1:%e.rederived[0-9]*]] = call ptr @__errno_location()
; CHECK-NEXT:    %v = load i32, ptr [[E1]]
; CHECK:         pushsection sp_sites
; CHECK-NEXT:    %e.rederived{{[0-9]*}} = call ptr @__errno_location()
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

; The loop of Lua's string.lower: clang computed the ctype table's thread-local address before the
; loop, which polls once per chunk of iterations. The address is computed again after the poll, in
; the chunk's end, not in the loop, and reaches the loop through the block that starts each chunk.
; CHECK-LABEL: define void @lower(
; CHECK:         %loc = call ptr @__ctype_tolower_loc()
; CHECK:       loop.sp.start:
; CHECK-NEXT:    [[LOC:%loc[0-9]+]] = phi ptr [ %loc, %entry{{(.sp.cont)?}} ], [ {{%loc[.a-z0-9]*}}, %loop.sp.poll{{(.sp.cont)?}} ]
; CHECK:       loop:
; CHECK-NOT:     call
; CHECK:         %table = load ptr, ptr [[LOC]]
; CHECK-NOT:     call
; CHECK:       loop.sp.chunk:
; CHECK:       loop.sp.poll:
; CHECK:         pushsection sp_sites
; CHECK-NEXT:    %loc.rederived{{[0-9]*}} = call ptr @__ctype_tolower_loc()
define void @lower(ptr %out, ptr %in, i64 %n) {
entry:
  %loc = call ptr @__ctype_tolower_loc()
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %p = getelementptr i8, ptr %in, i64 %i
  %c = load i8, ptr %p
  %table = load ptr, ptr %loc
  %idx = zext i8 %c to i64
  %slot = getelementptr i32, ptr %table, i64 %idx
  %l = load i32, ptr %slot
  %t = trunc i32 %l to i8
  %q = getelementptr i8, ptr %out, i64 %i
  store i8 %t, ptr %q
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
  ret void
}

; A loop without a trip count polls every 1024 back-edges: a thread-local variable's address is
; computed again (by a call) after that poll only, and its arithmetic in the loop is on the phi.
; CHECK-LABEL: define void @tls_list(
; CHECK:         %t = call ptr @llvm.threadlocal.address.p0(ptr @tls)
; CHECK:         pushsection sp_sites
; CHECK-NEXT:    %t.rederived{{[0-9]*}} = call ptr @__sp_tls_address.tls()
; CHECK:       loop:
; CHECK-NEXT:    [[T:%t[0-9]+]] = phi ptr [ %t, %entry{{(.sp.cont)?}} ], [ [[T]], %loop.sp.backedge ], [ {{%t[.a-z0-9]*}}, %loop.sp.poll{{(.sp.cont)?}} ]
; CHECK-NOT:     call
; CHECK:         getelementptr [4 x i64], ptr [[T]], i64 0, i64 1
; CHECK-NOT:     call
; CHECK:       exit:
define void @tls_list(ptr %node) {
entry:
  %t = call ptr @llvm.threadlocal.address.p0(ptr @tls)
  %slot = getelementptr [4 x i64], ptr %t, i64 0, i64 1
  br label %loop
loop:
  %n = phi ptr [ %node, %entry ], [ %next, %loop ]
  %v = load i64, ptr %n
  %old = load i64, ptr %slot
  %sum = add i64 %old, %v
  store i64 %sum, ptr %slot
  %nextp = getelementptr i8, ptr %n, i64 8
  %next = load ptr, ptr %nextp
  %end = icmp eq ptr %next, null
  br i1 %end, label %exit, label %loop
exit:
  ret void
}

; After an invoke the address is computed again where each of its successors begins, the landing
; pad included: an exception may come back on another OS thread too.
; CHECK-LABEL: define i32 @errno_invoke(
; CHECK:       ok:
; CHECK-NEXT:    [[OK:%e.rederived[0-9]*]] = call ptr @__errno_location()
; CHECK-NEXT:    %v = load i32, ptr [[OK]]
; CHECK:       lpad:
; CHECK-NEXT:    %lp = landingpad
; CHECK-NEXT:    cleanup
; CHECK-NEXT:    [[LP:%e.rederived[0-9]*]] = call ptr @__errno_location()
; CHECK-NEXT:    %w = load i32, ptr [[LP]]
define i32 @errno_invoke() personality ptr @__gxx_personality_v0 {
entry:
  %e = call ptr @__errno_location()
  store i32 0, ptr %e
  invoke void @may_throw() to label %ok unwind label %lpad
ok:
  %v = load i32, ptr %e
  ret i32 %v
lpad:
  %lp = landingpad { ptr, i32 } cleanup
  %w = load i32, ptr %e
  ret i32 %w
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
