; -sp-rederive-tls=false (hidden, for measuring what re-derivation costs: docs/benchmarks.md) leaves
; thread-local addresses as the optimizer computed them: errno's address hoisted out of the loop is
; used after the call that may switch, and polls are still placed. Without the option the same loop
; is rewritten (thread-local-addresses.ll).
; RUN: %opt-sp -sp-rederive-tls=false -passes=safepoint -S %s | FileCheck %s
; RUN: %opt-sp -passes=safepoint -S %s | FileCheck %s --check-prefix=DEFAULT

target triple = "x86_64-unknown-linux-gnu"

declare ptr @__errno_location() nounwind willreturn memory(none)
declare i32 @close(i32)

; CHECK-LABEL: define i64 @errno_loop(
; CHECK:         %e = call ptr @__errno_location()
; CHECK:       loop:
; CHECK-NOT:     rederived
; CHECK:         store i32 0, ptr %e
; CHECK-NEXT:    %r = call i32 @close(i32 -1)
; CHECK-NEXT:    %v = load i32, ptr %e
; CHECK:         pushsection sp_sites
; CHECK-NOT:     rederived
; CHECK:         ret i64
; DEFAULT-LABEL: define i64 @errno_loop(
; DEFAULT:       loop:
; DEFAULT:         %e.rederived
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
