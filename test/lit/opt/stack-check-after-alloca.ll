; The entry compare measures the stack at entry only: a dynamic allocation after it takes from the
; 16 KiB margin that an uninstrumented callee counts on. So with -sp-entry-stack-margin (for a runtime
; with a one-page guard), a function that needs the margin (EntryStackCheck.h) compares again right
; after each dynamic alloca, in every mode; a function that reaches no uninstrumented code does not
; (e2e/margin-after-alloca.test for the program).
; RUN: %opt-sp -passes=safepoint -sp-entry-stack-margin=1 -S %s | FileCheck %s
; RUN: %opt-sp -passes='safepoint<poll=global-page>' -sp-entry-stack-margin=1 -S %s | FileCheck %s
; RUN: %opt-sp -passes='safepoint<poll=flag>' -sp-entry-stack-margin=1 -S %s | FileCheck %s
; RUN: %opt-sp -passes='safepoint<poll=call>' -sp-entry-stack-margin=1 -S %s | FileCheck %s
; RUN: %opt-sp -passes=safepoint -sp-entry-stack-margin=1 -pass-remarks=safepoint -disable-output %s \
; RUN:   2>&1 | FileCheck %s --check-prefix=REMARK
; RUN: %opt-sp -passes=safepoint -sp-entry-stack-margin=1 -S %s \
; RUN:   | %opt-sp -passes=verify -disable-output
; By default the runtime's guard region below each stack is the margin: no compare follows a dynamic
; alloca in any mode, and the thread-page entry poll is the page load (only a function that may start
; a nosplit chain still compares: opt/entry-compare-before-nosplit.ll).
; RUN: %opt-sp -passes=safepoint -S %s \
; RUN:   | FileCheck %s --check-prefixes=DEFAULT,PAGE --implicit-check-not=__sp_stack_guard --implicit-check-not=__sp_morestack
; RUN: %opt-sp -passes='safepoint<poll=global-page>' -S %s | FileCheck %s --check-prefixes=DEFAULT,CMP
; RUN: %opt-sp -passes='safepoint<poll=flag>' -S %s | FileCheck %s --check-prefixes=DEFAULT,CMP
; RUN: %opt-sp -passes='safepoint<poll=call>' -S %s | FileCheck %s --check-prefixes=DEFAULT,CMP
; RUN: %opt-sp -passes=safepoint -pass-remarks=safepoint -disable-output %s 2>&1 | FileCheck %s --check-prefix=NOREMARK

target triple = "x86_64-unknown-linux-gnu"

declare void @plain(ptr)

; Calls a declaration after a variable-length array: a second compare follows the array, and the
; static alloca stays in the entry block, above every check.
; CHECK-LABEL: define dso_local void @vla_then_plain(
; CHECK-NEXT:    %fixed = alloca i64
; CHECK:         @__sp_stack_guard
; CHECK:         %vla = alloca i8, i64 %n
; CHECK-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 3, 5,
; CHECK-NEXT:    %sp.rsp{{[0-9]*}} = call i64 @llvm.read_register.i64(
; CHECK:         call {{.*}}@__sp_morestack()
; CHECK:         call void @plain(ptr %vla)
; REMARK: remark: <unknown>:0:0: stack check after a dynamic allocation (stack-guard)
; DEFAULT-LABEL: define dso_local void @vla_then_plain(
; DEFAULT-NEXT:    %fixed = alloca i64
; PAGE-NEXT:       %sp.page = call align 4096 ptr @llvm.threadlocal.address.p0(ptr align 4096 @__sp_thread_poll_page)
; PAGE-NEXT:       call void asm sideeffect "8201:\0A\09testl %eax, $0{{.*}}.byte 3, 1,
; CMP-NEXT:        call void asm sideeffect "8201:{{.*}}.byte 3, 5,
; CMP:             call {{.*}}@__sp_morestack()
; DEFAULT:         %vla = alloca i8, i64 %n
; DEFAULT-NEXT:    store i64 %n, ptr %fixed
; DEFAULT-NEXT:    call void @plain(ptr %vla)
; NOREMARK-NOT:     stack check after a dynamic allocation
; NOREMARK-COUNT-2: remark: <unknown>:0:0: safepoint poll at function entry (thread-page)
; NOREMARK-NOT:     stack check after a dynamic allocation
define dso_local void @vla_then_plain(i64 %n) {
  %vla = alloca i8, i64 %n
  %fixed = alloca i64
  store i64 %n, ptr %fixed
  call void @plain(ptr %vla)
  call void @plain(ptr %fixed)
  call void @vla_then_plain(i64 %n)
  ret void
}

; Reaches no uninstrumented code: the array takes from a stack that only instrumented, probed
; frames use, so no compare follows it.
; CHECK-LABEL: define dso_local i64 @vla_recursion(
; CHECK:         %vla = alloca i8, i64 %n
; CHECK-NOT:     @__sp_stack_guard
; CHECK:         ret i64
; DEFAULT-LABEL: define dso_local i64 @vla_recursion(
; DEFAULT:         %vla = alloca i8, i64 %n
; DEFAULT-NOT:     8201:
; DEFAULT:         ret i64
define dso_local i64 @vla_recursion(i64 %n) {
  %vla = alloca i8, i64 %n
  store i8 1, ptr %vla
  %small = icmp slt i64 %n, 2
  br i1 %small, label %done, label %recur
recur:
  %n1 = sub i64 %n, 1
  %r = call i64 @vla_recursion(i64 %n1)
  ret i64 %r
done:
  ret i64 %n
}
