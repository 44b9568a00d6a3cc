; An ifunc resolver runs while the dynamic linker relocates the program (in a static executable,
; before the C library sets up threads), when thread-local storage does not exist yet: a poll there
; would read a TLS variable that is not there. Resolvers are left alone with a missed remark; the
; implementations they pick are ordinary functions and are instrumented.
; RUN: %opt-sp -passes=safepoint -pass-remarks-missed=safepoint -S %s 2>%t.remarks | FileCheck %s
; RUN: FileCheck %s --check-prefix=REMARK < %t.remarks

target triple = "x86_64-unknown-linux-gnu"

@work = ifunc i64 (i64), ptr @work.resolver

declare void @__cpu_indicator_init()
declare void @use(i64)

; REMARK: remark: <unknown>:0:0: no safepoints in work.resolver: ifunc resolver: it runs before thread-local storage is set up
; CHECK-LABEL: define internal ptr @work.resolver(
; CHECK-NEXT:    call void @__cpu_indicator_init()
; CHECK-NEXT:    ret ptr @work.default
define internal ptr @work.resolver() {
  call void @__cpu_indicator_init()
  ret ptr @work.default
}

; CHECK-LABEL: define internal i64 @work.default(
; CHECK-NEXT:    %sp.page = call align 4096 ptr @llvm.threadlocal.address.p0(ptr align 4096 @__sp_thread_poll_page)
; CHECK-NEXT:    call void asm sideeffect "8201:\0A\09testl %eax, $0{{.*}}.byte 3, 1,
; CHECK-NEXT:    call void @use(i64 %n)
define internal i64 @work.default(i64 %n) {
  call void @use(i64 %n)
  ret i64 %n
}
