; Polls are x86-64 instructions in ELF sections: a module for another target is refused with an
; error naming the target, and nothing is emitted. A module without a triple is taken to be for the
; host (hand-written IR), and instrumented.
; RUN: not %opt-sp -passes=safepoint -disable-output %s 2>&1 | FileCheck %s
; RUN: sed -e 's/aarch64-unknown-linux-gnu/x86_64-pc-windows-msvc/' %s \
; RUN:   | not %opt-sp -passes=safepoint -disable-output 2>&1 | FileCheck %s --check-prefix=COFF
; RUN: sed -e 's/aarch64-unknown-linux-gnu/x86_64-unknown-linux-gnux32/' %s \
; RUN:   | not %opt-sp -passes=safepoint -disable-output 2>&1 | FileCheck %s --check-prefix=X32
; RUN: sed -e '/^target triple/d' %s | %opt-sp -passes=safepoint -S | FileCheck %s --check-prefix=HOST

; CHECK: error: safepoint: target 'aarch64-unknown-linux-gnu' is not supported; safepoint polls are emitted for x86-64 ELF targets only
; COFF: error: safepoint: target 'x86_64-pc-windows-msvc' is not supported
; X32: error: safepoint: target 'x86_64-unknown-linux-gnux32' is not supported
; HOST: call void asm sideeffect "8201:
; HOST: !"safepoint.instrumented"

target triple = "aarch64-unknown-linux-gnu"

declare void @work()

define void @f() {
  call void @work()
  ret void
}
