; A natural loop polls on its back-edge, before the latch's terminator, in the default thread-page
; mode: the recorded read of this thread's page, at its thread-local address (one load). The entry
; poll is the same load (the function calls a declaration, but the runtime's guard region is the
; stack margin now), so neither @__sp_stack_guard nor @__sp_morestack is referenced. The module
; gets the ABI's weak definitions, one registration constructor, the destructor that unregisters the
; table when the image goes, and the "instrumented" flag.
; RUN: %opt-sp -passes='safepoint<epilogue-polls>' -S %s | FileCheck %s
; RUN: %opt-sp -passes='safepoint<epilogue-polls>' -S %s \
; RUN:   | FileCheck %s --check-prefix=DECL --implicit-check-not=__sp_stack_guard --implicit-check-not=__sp_morestack

target triple = "x86_64-unknown-linux-gnu"

; CHECK-DAG: @__sp_thread_poll_page = weak dso_local thread_local(initialexec) global [4096 x i8] zeroinitializer, comdat, align 4096
; CHECK-DAG: @__sp_str = private unnamed_addr constant [6 x i8] c"count\00"
; CHECK-DAG: @llvm.global_ctors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 1, ptr @sp.register_sites, ptr @sp.register_sites }]

declare void @use(i64)

define void @count(i64 %n) {
; CHECK-LABEL: define void @count(
; CHECK:       entry:
; CHECK-NEXT:    [[ENTRYPAGE:%sp.page[0-9]*]] = call align 4096 ptr @llvm.threadlocal.address.p0(ptr align 4096 @__sp_thread_poll_page)
; CHECK-NEXT:    call void asm sideeffect "8201:\0A\09testl %eax, $0\0A8202:{{.*}}.byte 3, 1, 8202b - 8201b, 0, 0, 0\0A\09.popsection", "*m,i,~{dirflag},~{fpsr},~{flags}"(ptr elementtype(i32) [[ENTRYPAGE]], ptr @__sp_str)
; CHECK-NEXT:    br label %loop
; CHECK:       loop:
; CHECK:         call void @use(i64 %i)
; CHECK:         [[PAGE:%sp.page[0-9]*]] = call align 4096 ptr @llvm.threadlocal.address.p0(ptr align 4096 @__sp_thread_poll_page)
; CHECK-NEXT:    call void asm sideeffect "8201:\0A\09testl %eax, $0\0A8202:\0A\09.pushsection sp_sites,\22a\22,@progbits\0A\09.balign 4\0A\09.long 8201b - .\0A\09.long ${1:c} - .\0A\09.long 0\0A\09.long 0\0A\09.short 0\0A\09.byte 1, 1, 8202b - 8201b, 0, 0, 0\0A\09.popsection", "*m,i,~{dirflag},~{fpsr},~{flags}"(ptr elementtype(i32) [[PAGE]], ptr @__sp_str)
; CHECK-NEXT:    br i1 %done, label %exit, label %loop
; CHECK:       exit:
; CHECK:         call void asm sideeffect "8201:{{.*}}.byte 2, 1, 8202b - 8201b
; CHECK-NEXT:    ret void
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  call void @use(i64 %i)
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
  ret void
}

; CHECK-LABEL: define linkonce_odr hidden void @sp.register_sites() {{.*}}comdat
; CHECK:         icmp ne ptr @__sp_register_sites, null
; CHECK:         call void @__sp_register_sites(ptr @__start_sp_sites, ptr @__stop_sp_sites)
; CHECK-LABEL: define linkonce_odr hidden void @sp.unregister_sites() {{.*}}comdat
; CHECK:         icmp ne ptr @__sp_unregister_sites, null
; CHECK:         call void @__sp_unregister_sites(ptr @__start_sp_sites, ptr @__stop_sp_sites)
; DECL-DAG: @__start_sp_sites = extern_weak hidden constant i8
; DECL-DAG: @__stop_sp_sites = extern_weak hidden constant i8
; DECL-DAG: declare extern_weak void @__sp_register_sites(ptr, ptr)
; DECL-DAG: declare extern_weak void @__sp_unregister_sites(ptr, ptr)
; DECL-DAG: @llvm.global_ctors = appending global {{.*}} [{ i32, ptr, ptr } { i32 1, ptr @sp.register_sites, ptr @sp.register_sites }]
; DECL-DAG: @llvm.global_dtors = appending global {{.*}} [{ i32, ptr, ptr } { i32 1, ptr @sp.unregister_sites, ptr @sp.unregister_sites }]
; DECL-DAG: !{i32 7, !"safepoint.instrumented", i32 1}
