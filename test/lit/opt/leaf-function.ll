; A function with no cycle, no real call and no long memory intrinsic runs in bounded time; if only
; this module's code can call it (internal, address not taken), it gets no poll at all, and a missed
; remark LeafFunction. Inline asm and memory intrinsics of a constant length of at most 4096 bytes
; are bounded work. One real call, one cycle, one long or variable-length memory intrinsic, one
; __builtin_setjmp, a use of its address or external linkage makes it poll.
; RUN: %opt-sp -passes='safepoint<poll-every=1;epilogue-polls>' -pass-remarks-output=%t.yaml -S %s | FileCheck %s
; RUN: FileCheck %s --check-prefix=YAML < %t.yaml

target triple = "x86_64-unknown-linux-gnu"

declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)
declare void @work()

; YAML:      --- !Missed
; YAML-NEXT: Pass: safepoint
; YAML-NEXT: Name: LeafFunction
; YAML-NEXT: Function: leaf
; YAML-NEXT: Args:
; YAML-NEXT:   - String: 'no entry or epilogue poll: '
; YAML-NEXT:   - Function: leaf
; YAML-NEXT:   - String: ' has no loop, no call and no long memory operation, and only this module''s code calls it'
; CHECK-LABEL: define internal i64 @leaf(
; CHECK-NEXT:    call void @llvm.memcpy.p0.p0.i64(
; CHECK-NEXT:    call void asm sideeffect "nop", ""()
; CHECK-NEXT:    %v = load i64, ptr %dst
; CHECK-NEXT:    ret i64 %v
define internal i64 @leaf(ptr %dst, ptr %src) {
  call void @llvm.memcpy.p0.p0.i64(ptr %dst, ptr %src, i64 4096, i1 false)
  call void asm sideeffect "nop", ""()
  %v = load i64, ptr %dst
  ret i64 %v
}

define i64 @calls_leaf(ptr %dst, ptr %src) {
  %v = call i64 @leaf(ptr %dst, ptr %src)
  ret i64 %v
}

; YAML-NOT:  Name: LeafFunction
; CHECK-LABEL: define void @calls(
; CHECK:         call void @work()
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 2, 1,
; CHECK-NEXT:    ret void
define void @calls() {
  call void @work()
  ret void
}

; A self-loop without calls: its back-edge and return poll, but it needs no entry check (missed
; remark NoCalls).
; YAML:      Name: NoCalls
; YAML-NEXT: Function: spin
; YAML-NEXT: Args:
; YAML-NEXT:   - String: 'no entry check: '
; YAML-NEXT:   - Function: spin
; YAML-NEXT:   - String: ' makes no calls'
; CHECK-LABEL: define void @spin(
; CHECK-NEXT:  entry:
; CHECK-NEXT:    br label %loop
; CHECK:       loop:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
; CHECK:       exit:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 2, 1,
define void @spin(ptr %flag) {
entry:
  br label %loop
loop:
  %v = load volatile i32, ptr %flag
  %stop = icmp ne i32 %v, 0
  br i1 %stop, label %exit, label %loop
exit:
  ret void
}

; A copy of a length only known at run time takes as long as the length says: it polls.
; CHECK-LABEL: define internal i64 @variable_copy(
; CHECK:         call void @llvm.memcpy.p0.p0.i64(
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 2, 1,
; CHECK-NEXT:    ret i64 %v
define internal i64 @variable_copy(ptr %dst, ptr %src, i64 %n) {
  call void @llvm.memcpy.p0.p0.i64(ptr %dst, ptr %src, i64 %n, i1 false)
  %v = load i64, ptr %dst
  ret i64 %v
}

define i64 @calls_variable_copy(ptr %dst, ptr %src, i64 %n) {
  %v = call i64 @variable_copy(ptr %dst, ptr %src, i64 %n)
  ret i64 %v
}

; Another module may take the address of an external function and hand it to code that is not
; instrumented, which may call it from a loop that never polls (a qsort comparator): it polls.
; CHECK-LABEL: define i32 @exported(
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 2, 1,
; CHECK-NEXT:    ret i32 %r
define i32 @exported(i32 %a, i32 %b) {
  %r = sub i32 %a, %b
  ret i32 %r
}

; So does an internal one whose address is taken.
; CHECK-LABEL: define internal i32 @compare(
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 2, 1,
; CHECK-NEXT:    ret i32 %r
define internal i32 @compare(ptr %a, ptr %b) {
  %x = load i32, ptr %a
  %y = load i32, ptr %b
  %r = sub i32 %x, %y
  ret i32 %r
}

declare void @qsort(ptr, i64, i64, ptr)
define void @sort(ptr %base, i64 %n) {
  call void @qsort(ptr %base, i64 %n, i64 4, ptr @compare)
  ret void
}

; A __builtin_setjmp heads a cycle a __builtin_longjmp closes: it polls after it.
; CHECK-LABEL: define internal i32 @builtin_setjmp(
; CHECK:         %r = call i32 @llvm.eh.sjlj.setjmp(ptr %buf)
; CHECK-NEXT:    {{%sp.page[0-9]*}} = call align 4096 ptr @llvm.threadlocal.address.p0(ptr align 4096 @__sp_thread_poll_page)
; CHECK-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 1, 1,
declare i32 @llvm.eh.sjlj.setjmp(ptr)
define internal i32 @builtin_setjmp(ptr %buf) {
  %r = call i32 @llvm.eh.sjlj.setjmp(ptr %buf)
  ret i32 %r
}

define i32 @calls_builtin_setjmp(ptr %buf) {
  %r = call i32 @builtin_setjmp(ptr %buf)
  ret i32 %r
}
