; In thread-page mode, an entry poll (rule P2) is the loop poll's one faulting load, `testl %eax,
; %fs:__sp_thread_poll_page@tpoff` (site kind entry, mode thread-page: `.byte 3, 1`). With
; -sp-entry-stack-margin (for a runtime with a one-page guard), a function that may reach code the
; pass did not instrument, by its own call or through callees without an entry compare (an indirect
; call, a declaration, a definition that may be replaced (linkonce_odr, weak), a nosplit function,
; or a long memory intrinsic: a call to the C library's memcpy) keeps the stack-guard compare
; (`.byte 3, 5`) instead, so the uninstrumented callee starts with SP_STACK_GUARD_MARGIN of stack;
; instrumented code is covered by its stack probes and the guard page. The other modes keep the
; compare everywhere.
; RUN: %opt-sp -passes=safepoint -sp-entry-stack-margin=1 -S %s | FileCheck %s
; By default the runtime's guard region below each stack is the margin: every thread-page entry poll
; is the page load, except a nosplit function's caller's, the compare that the nosplit chain's stack
; budget is counted from.
; RUN: %opt-sp -passes=safepoint -S %s | FileCheck %s --check-prefix=DEFAULT
; RUN: %opt-sp -passes='safepoint<poll=global-page>' -S %s | FileCheck %s --check-prefix=OTHER
; RUN: %opt-sp -passes='safepoint<poll=flag>' -S %s | FileCheck %s --check-prefix=OTHER
; RUN: %opt-sp -passes='safepoint<poll=call>' -S %s | FileCheck %s --check-prefix=OTHER
; A call-free function keeps no frame: the poll is its first instruction, no push, no cold call.
; RUN: %opt-sp -passes=safepoint %s | llc -O2 -o - | FileCheck %s --check-prefix=ASM
; RUN: %opt-sp -passes=safepoint -pass-remarks=safepoint -disable-output %s 2>&1 | FileCheck %s --check-prefix=REMARK

target triple = "x86_64-unknown-linux-gnu"

declare void @work()
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)

; OTHER-NOT: .byte 3, 1,

; A qsort comparator: no calls, unseen code may call it.
; CHECK-LABEL: define dso_local i32 @compare(
; CHECK-NEXT:    %sp.page = call {{.*}} @llvm.threadlocal.address.p0(ptr {{.*}}@__sp_thread_poll_page)
; CHECK-NEXT:    call void asm sideeffect "8201:\0A\09testl %eax, $0{{.*}}.byte 3, 1,
; CHECK-NOT:     __sp_stack_guard
; CHECK:         ret i32
; ASM-LABEL: compare:
; ASM-NEXT:    .cfi_startproc
; ASM-NEXT:    # %bb.0:
; ASM-NEXT:    #APP
; ASM-NEXT:    .Ltmp{{[0-9]+}}:
; ASM-NEXT:    testl %eax, %fs:__sp_thread_poll_page@TPOFF
; ASM-NOT:     push
; ASM-NOT:     call
; ASM:         retq
; REMARK: remark: <unknown>:0:0: safepoint poll at function entry (thread-page)
define dso_local i32 @compare(ptr %a, ptr %b) {
  %x = load i32, ptr %a
  %y = load i32, ptr %b
  %d = sub i32 %x, %y
  ret i32 %d
}

; Recursion through calls to this module's own final (dso_local, not replaceable) definitions only.
; CHECK-LABEL: define dso_local i64 @fib(
; CHECK-NEXT:    %sp.page = call {{.*}} @llvm.threadlocal.address.p0(
; CHECK-NEXT:    call void asm sideeffect "8201:\0A\09testl %eax, $0{{.*}}.byte 3, 1,
; CHECK-NOT:     __sp_stack_guard
; CHECK:         ret i64
; OTHER-LABEL: define dso_local i64 @fib(
; OTHER-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 3, 5,
define dso_local i64 @fib(i64 %n) {
  %small = icmp slt i64 %n, 2
  br i1 %small, label %done, label %recur
recur:
  %n1 = sub i64 %n, 1
  %f1 = call i64 @fib(i64 %n1)
  %n2 = sub i64 %n, 2
  %f2 = call i64 @fib(i64 %n2)
  %s = add i64 %f1, %f2
  ret i64 %s
done:
  ret i64 %n
}

; In a shared library, a function that is not dso_local may be interposed by another image's
; definition, which may not be instrumented: calling it, even itself, is calling unseen code.
; CHECK-LABEL: define i64 @interposable_fib(
; CHECK-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 3, 5,
; DEFAULT-LABEL: define i64 @interposable_fib(
; DEFAULT-NEXT:    %sp.page = call {{.*}} @llvm.threadlocal.address.p0(ptr {{.*}}@__sp_thread_poll_page)
; DEFAULT-NEXT:    call void asm sideeffect "8201:\0A\09testl %eax, $0{{.*}}.byte 3, 1,
define i64 @interposable_fib(i64 %n) {
  %small = icmp slt i64 %n, 2
  br i1 %small, label %done, label %recur
recur:
  %n1 = sub i64 %n, 1
  %f1 = call i64 @interposable_fib(i64 %n1)
  ret i64 %f1
done:
  ret i64 %n
}

; CHECK-LABEL: define dso_local void @calls_declaration(
; CHECK-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 3, 5,
; CHECK:         @__sp_stack_guard
; DEFAULT-LABEL: define dso_local void @calls_declaration(
; DEFAULT-NEXT:    %sp.page = call {{.*}} @llvm.threadlocal.address.p0(ptr {{.*}}@__sp_thread_poll_page)
; DEFAULT-NEXT:    call void asm sideeffect "8201:\0A\09testl %eax, $0{{.*}}.byte 3, 1,
; DEFAULT-NOT:     __sp_stack_guard
; DEFAULT:         ret void
define dso_local void @calls_declaration() {
  call void @work()
  call void @calls_declaration()
  ret void
}

; CHECK-LABEL: define dso_local void @calls_indirect(
; CHECK-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 3, 5,
; DEFAULT-LABEL: define dso_local void @calls_indirect(
; DEFAULT-NEXT:    %sp.page = call {{.*}} @llvm.threadlocal.address.p0(ptr {{.*}}@__sp_thread_poll_page)
; DEFAULT-NEXT:    call void asm sideeffect "8201:\0A\09testl %eax, $0{{.*}}.byte 3, 1,
define dso_local void @calls_indirect(ptr %f) {
  call void %f()
  ret void
}

define linkonce_odr void @replaceable() {
  ret void
}

; CHECK-LABEL: define dso_local void @calls_replaceable(
; CHECK-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 3, 5,
; DEFAULT-LABEL: define dso_local void @calls_replaceable(
; DEFAULT-NEXT:    %sp.page = call {{.*}} @llvm.threadlocal.address.p0(ptr {{.*}}@__sp_thread_poll_page)
; DEFAULT-NEXT:    call void asm sideeffect "8201:\0A\09testl %eax, $0{{.*}}.byte 3, 1,
define dso_local void @calls_replaceable() {
  call void @replaceable()
  ret void
}

define dso_local void @nosplit_callee() "safepoint.nosplit" {
  ret void
}

; CHECK-LABEL: define dso_local void @calls_nosplit(
; CHECK-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 3, 5,
; DEFAULT-LABEL: define dso_local void @calls_nosplit(
; DEFAULT-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 3, 5,
; DEFAULT:         @__sp_stack_guard
define dso_local void @calls_nosplit() {
  call void @nosplit_callee()
  ret void
}

; CHECK-LABEL: define dso_local void @long_copy(
; CHECK-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 3, 5,
; DEFAULT-LABEL: define dso_local void @long_copy(
; DEFAULT-NEXT:    %sp.page = call {{.*}} @llvm.threadlocal.address.p0(ptr {{.*}}@__sp_thread_poll_page)
; DEFAULT-NEXT:    call void asm sideeffect "8201:\0A\09testl %eax, $0{{.*}}.byte 3, 1,
define dso_local void @long_copy(ptr %d, ptr %s, i64 %n) {
  call void @llvm.memcpy.p0.p0.i64(ptr %d, ptr %s, i64 %n, i1 false)
  ret void
}

; A short constant copy is bounded work and stays inline: a page poll. (Its first call is to a
; bounded leaf, not to a polling function, so rule E6 does not spare the poll.)
; CHECK-LABEL: define dso_local void @short_copy(
; CHECK-NEXT:    %sp.page = call {{.*}} @llvm.threadlocal.address.p0(
define dso_local void @short_copy(ptr %d, ptr %s) {
  call void @llvm.memcpy.p0.p0.i64(ptr %d, ptr %s, i64 64, i1 false)
  call void @bounded_leaf()
  %r = call i64 @fib(i64 3)
  ret void
}
define internal void @bounded_leaf() {
  ret void
}

; With the margin, the question is whether a function may *reach* uninstrumented code before another
; compare: a recursion that calls a declaration only through a helper without an entry check of its
; own (rule E5: it is on no cycle) keeps the compare, since the helper's callee would start with
; whatever stack the recursion left (e2e/margin-through-unchecked-callee.test).
; CHECK-LABEL: define dso_local void @down(
; CHECK-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 3, 5,
; CHECK:         @__sp_stack_guard
; DEFAULT-LABEL: define dso_local void @down(
; DEFAULT-NEXT:    %sp.page = call {{.*}} @llvm.threadlocal.address.p0(ptr {{.*}}@__sp_thread_poll_page)
; DEFAULT-NEXT:    call void asm sideeffect "8201:\0A\09testl %eax, $0{{.*}}.byte 3, 1,
; DEFAULT-NOT:     __sp_stack_guard
; DEFAULT:         ret void
define dso_local void @down(i64 %n) {
  %more = icmp sgt i64 %n, 0
  br i1 %more, label %recur, label %done
recur:
  %n1 = sub i64 %n, 1
  call void @down(i64 %n1)
  call void @unchecked_helper()
  ret void
done:
  ret void
}
; CHECK-LABEL: define internal void @unchecked_helper(
; CHECK-NOT:     .byte 3,
; CHECK:         ret void
define internal void @unchecked_helper() {
  call void @work()
  ret void
}

; With the margin, a callee with an entry compare of its own gives the margin to what it calls: the
; recursion that reaches the declaration only through it polls with the page load. (Its first call is
; to itself, so rule E6 does not spare its poll.)
; CHECK-LABEL: define dso_local void @up(
; CHECK-NEXT:    %sp.page = call {{.*}} @llvm.threadlocal.address.p0(
; CHECK-NEXT:    call void asm sideeffect "8201:\0A\09testl %eax, $0{{.*}}.byte 3, 1,
; CHECK-NOT:     __sp_stack_guard
; CHECK:         ret void
define dso_local void @up(i64 %n) {
  %more = icmp sgt i64 %n, 0
  br i1 %more, label %recur, label %done
recur:
  %n1 = sub i64 %n, 1
  call void @up(i64 %n1)
  call void @calls_declaration()
  ret void
done:
  ret void
}

; A function the code generator will give calls this pass does not see: the profiling hooks of
; -finstrument-functions-after-inlining and -pg (inserted after the optimizer from these
; attributes) and -mfentry's __fentry__. Those are uninstrumented code, so with the margin it keeps
; the compare.
; CHECK-LABEL: define dso_local void @hooked(
; CHECK-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 3, 5,
; CHECK-LABEL: define dso_local void @hooked_exit(
; CHECK-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 3, 5,
; CHECK-LABEL: define dso_local void @fentry(
; CHECK-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 3, 5,
; DEFAULT-LABEL: define dso_local void @hooked(
; DEFAULT-NEXT:    %sp.page = call {{.*}} @llvm.threadlocal.address.p0(ptr {{.*}}@__sp_thread_poll_page)
; DEFAULT-NEXT:    call void asm sideeffect "8201:\0A\09testl %eax, $0{{.*}}.byte 3, 1,
define dso_local void @hooked(i64 %n) "instrument-function-entry-inlined"="__cyg_profile_func_enter" {
  %n1 = sub i64 %n, 1
  call void @hooked(i64 %n1)
  ret void
}
; DEFAULT-LABEL: define dso_local void @hooked_exit(
; DEFAULT-NEXT:    %sp.page = call {{.*}} @llvm.threadlocal.address.p0(ptr {{.*}}@__sp_thread_poll_page)
; DEFAULT-NEXT:    call void asm sideeffect "8201:\0A\09testl %eax, $0{{.*}}.byte 3, 1,
define dso_local void @hooked_exit(i64 %n) "instrument-function-exit-inlined"="__cyg_profile_func_exit" {
  %n1 = sub i64 %n, 1
  call void @hooked_exit(i64 %n1)
  ret void
}
; DEFAULT-LABEL: define dso_local void @fentry(
; DEFAULT-NEXT:    %sp.page = call {{.*}} @llvm.threadlocal.address.p0(ptr {{.*}}@__sp_thread_poll_page)
; DEFAULT-NEXT:    call void asm sideeffect "8201:\0A\09testl %eax, $0{{.*}}.byte 3, 1,
define dso_local void @fentry(i64 %n) "fentry-call"="true" {
  %n1 = sub i64 %n, 1
  call void @fentry(i64 %n1)
  ret void
}
