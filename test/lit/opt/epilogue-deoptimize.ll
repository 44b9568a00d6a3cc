; A call to llvm.experimental.deoptimize must be followed by the ret of its value (the verifier
; checks that), so the epilogue poll of that return goes before the call; other returns are as usual.
; RUN: %opt-sp -passes='safepoint<epilogue-polls>' -S %s | FileCheck %s
; RUN: %opt-sp -passes='safepoint<poll=flag;epilogue-polls>' -S %s | FileCheck %s --check-prefix=FLAG

target triple = "x86_64-unknown-linux-gnu"

declare i32 @llvm.experimental.deoptimize.i32(...)
declare void @work()

define i32 @maybe_deopt(i1 %c) {
; CHECK-LABEL: define i32 @maybe_deopt(
; CHECK:       deopt:
; CHECK-NEXT:    {{%sp.page[0-9]*}} = call align 4096 ptr @llvm.threadlocal.address.p0(ptr align 4096 @__sp_thread_poll_page)
; CHECK-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 2, 1,
; CHECK-NEXT:    %r = call i32 (...) @llvm.experimental.deoptimize.i32() [ "deopt"() ]
; CHECK-NEXT:    ret i32 %r
; CHECK:       ok:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 2, 1,
; CHECK-NEXT:    ret i32 0
; FLAG-LABEL: define i32 @maybe_deopt(
; FLAG:       deopt.sp.cont:
; FLAG-NEXT:    %r = call i32 (...) @llvm.experimental.deoptimize.i32() [ "deopt"() ]
; FLAG-NEXT:    ret i32 %r
entry:
  call void @work()
  br i1 %c, label %deopt, label %ok
deopt:
  %r = call i32 (...) @llvm.experimental.deoptimize.i32() [ "deopt"() ]
  ret i32 %r
ok:
  ret i32 0
}
