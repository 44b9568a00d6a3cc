; A non-leaf function polls before each return. When the return is fed by a tail call (tail or
; musttail), the poll goes before the call, so the call stays in tail position: a musttail call must
; be followed by its ret (the verifier checks that), and a sibling call must not become a real call.
; RUN: %opt-sp -passes='safepoint<epilogue-polls>' -S %s | FileCheck %s
; RUN: %opt-sp -passes='safepoint<poll=flag;epilogue-polls>' -S %s | FileCheck %s --check-prefix=FLAG
; RUN: %opt-sp -passes='safepoint<no-epilogue-polls>' -S %s | FileCheck %s --check-prefix=NOEPI
; The calls are still tail calls in the machine code.
; RUN: %opt-sp -passes='safepoint<epilogue-polls>' %s | llc -O2 -o - | FileCheck %s --check-prefix=ASM
; RUN: %opt-sp -passes='safepoint<poll=flag;epilogue-polls>' %s | llc -O0 -o - | FileCheck %s --check-prefix=ASM

target triple = "x86_64-unknown-linux-gnu"

declare i64 @next(i64)
declare void @work()

define i64 @must(i64 %x) {
; CHECK-LABEL: define i64 @must(
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 2, 1,
; CHECK-NEXT:    %r = musttail call i64 @next(i64 %x)
; CHECK-NEXT:    ret i64 %r
; FLAG-LABEL: define i64 @must(
; FLAG:         br i1 %sp.stop_requested, label %entry.sp.cont.sp.slow, label %entry.sp.cont.sp.cont
; FLAG:       entry.sp.cont.sp.cont:
; FLAG-NEXT:    %r = musttail call i64 @next(i64 %x)
; FLAG-NEXT:    ret i64 %r
; NOEPI-LABEL: define i64 @must(
; NOEPI-NOT:     8201:{{.*}}.byte 2,
; NOEPI:         musttail call
; ASM-LABEL: must:
; ASM:         jmp next@PLT # TAILCALL
entry:
  %r = musttail call i64 @next(i64 %x)
  ret i64 %r
}

define i64 @sibling(i64 %x) {
; CHECK-LABEL: define i64 @sibling(
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 2, 1,
; CHECK-NEXT:    %r = tail call i64 @next(i64 %x)
; CHECK-NEXT:    ret i64 %r
; ASM-LABEL: sibling:
; ASM:         jmp next@PLT # TAILCALL
entry:
  %r = tail call i64 @next(i64 %x)
  ret i64 %r
}

; Marked tail, but the return does not pass its value on, so it cannot become a sibling call: the
; poll goes after it, right before the ret (clang -O2 marks most last calls like this).
define i64 @tail_marked(i64 %x) {
; CHECK-LABEL: define i64 @tail_marked(
; CHECK:         %r = tail call i64 @next(i64 %x)
; CHECK-NEXT:    {{%sp.page[0-9]*}} = call align 4096 ptr @llvm.threadlocal.address.p0(ptr align 4096 @__sp_thread_poll_page)
; CHECK-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 2, 1,
; CHECK-NEXT:    ret i64 0
entry:
  %r = tail call i64 @next(i64 %x)
  ret i64 0
}

; A void return passes nothing on: the tail call stays last.
define void @void_sibling() {
; CHECK-LABEL: define void @void_sibling(
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 2, 1,
; CHECK-NEXT:    tail call void @work()
; CHECK-NEXT:    ret void
; ASM-LABEL: void_sibling:
; ASM:         jmp work@PLT # TAILCALL
entry:
  tail call void @work()
  ret void
}

; Not a tail call: the poll goes right before the ret.
define i64 @plain(i64 %x) {
; CHECK-LABEL: define i64 @plain(
; CHECK:         %r = call i64 @next(i64 %x)
; CHECK-NEXT:    {{%sp.page[0-9]*}} = call align 4096 ptr @llvm.threadlocal.address.p0(ptr align 4096 @__sp_thread_poll_page)
; CHECK-NEXT:    call void asm sideeffect "8201:{{.*}}.byte 2, 1,
; CHECK-NEXT:    ret i64 %r
entry:
  %r = call i64 @next(i64 %x)
  ret i64 %r
}

; Every return polls, each with its own record.
define void @two_returns(i1 %c) {
; CHECK-LABEL: define void @two_returns(
; CHECK:       a:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 2, 1,
; CHECK-NEXT:    ret void
; CHECK:       b:
; CHECK-NEXT:    call void @work()
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 2, 1,
; CHECK-NEXT:    ret void
; NOEPI-LABEL: define void @two_returns(
; NOEPI-NOT:     8201:{{.*}}.byte 2,
; NOEPI:       }
entry:
  br i1 %c, label %a, label %b
a:
  ret void
b:
  call void @work()
  ret void
}

; A varargs thunk forwards its variable arguments with musttail: the entry check and the epilogue
; poll (calls, in flag mode) go before the call, which still forwards the registers and jumps.
declare void @varargs_target(ptr, ...)
define void @thunk(ptr %this, ...) {
; CHECK-LABEL: define void @thunk(
; CHECK:         call void @work()
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 2, 1,
; CHECK-NEXT:    musttail call void (ptr, ...) @varargs_target(ptr %this, ...)
; CHECK-NEXT:    ret void
; ASM-LABEL: thunk:
; ASM:         jmp varargs_target@PLT # TAILCALL
  call void @work()
  musttail call void (ptr, ...) @varargs_target(ptr %this, ...)
  ret void
}
