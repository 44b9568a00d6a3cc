; A function with no cycle and no real call runs in bounded time: no poll at all, and a missed remark
; LeafFunction. Intrinsic calls (memcpy and friends take time bounded by existing memory) and inline
; asm do not count as calls. One real call, or one cycle, makes a function non-leaf.
; RUN: %opt-sp -passes=safepoint -pass-remarks-output=%t.yaml -S %s | FileCheck %s
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
; YAML-NEXT:   - String: ' has no loop and no call'
; CHECK-LABEL: define i64 @leaf(
; CHECK-NEXT:    call void @llvm.memcpy.p0.p0.i64(
; CHECK-NEXT:    call void asm sideeffect "nop", ""()
; CHECK-NEXT:    %v = load i64, ptr %dst
; CHECK-NEXT:    ret i64 %v
define i64 @leaf(ptr %dst, ptr %src, i64 %n) {
  call void @llvm.memcpy.p0.p0.i64(ptr %dst, ptr %src, i64 %n, i1 false)
  call void asm sideeffect "nop", ""()
  %v = load i64, ptr %dst
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
