; Each poll mode emits its own instruction sequence at a loop back-edge and before the return, and
; records its mode (second .byte: 1 thread-page, 2 global-page, 3 flag, 4 call) and site kind (first
; .byte: 1 loop, 2 epilogue, 3 entry). Function entries use the stack guard compare (mode 5) in
; every mode but thread-page, whose entry poll is the page load like its other polls (the runtime's
; guard region below each stack is the margin), so it references neither the guard nor morestack.
; RUN: %opt-sp -passes='safepoint<poll=thread-page;epilogue-polls>' -S %s \
; RUN:   | FileCheck %s --check-prefixes=ALL,THREAD --implicit-check-not=__sp_stack_guard --implicit-check-not=__sp_morestack
; RUN: %opt-sp -passes='safepoint<poll=global-page;epilogue-polls>' -S %s | FileCheck %s --check-prefixes=ALL,CMP,GLOBAL
; RUN: %opt-sp -passes='safepoint<poll=flag;epilogue-polls>' -S %s | FileCheck %s --check-prefixes=ALL,CMP,FLAG
; RUN: %opt-sp -passes='safepoint<poll=call;epilogue-polls>' -S %s | FileCheck %s --check-prefixes=ALL,CMP,CALL
; The default mode is thread-page.
; RUN: %opt-sp -passes='safepoint<epilogue-polls>' -S %s \
; RUN:   | FileCheck %s --check-prefixes=ALL,THREAD --implicit-check-not=__sp_stack_guard --implicit-check-not=__sp_morestack

target triple = "x86_64-unknown-linux-gnu"

; Only the variables a mode reads are defined.
; THREAD-NOT: @__sp_poll_flag =
; THREAD-NOT: @__sp_poll_page =
; THREAD-DAG: @__sp_thread_poll_page = weak dso_local thread_local(initialexec) global [4096 x i8] zeroinitializer, comdat, align 4096
; GLOBAL-NOT: @__sp_thread_poll_page =
; GLOBAL-NOT: @__sp_poll_flag =
; GLOBAL-DAG: @__sp_poll_page = weak dso_local global [4096 x i8] zeroinitializer, comdat, align 4096
; FLAG-NOT: @__sp_poll_page
; FLAG-DAG: @__sp_poll_flag = weak dso_local thread_local(initialexec) global i8 0, comdat, align 1
; CALL-NOT: @__sp_poll_page
; CALL-NOT: @__sp_poll_flag =
; CMP-DAG: @__sp_stack_guard = weak dso_local thread_local(initialexec) global i64 0, comdat, align 8

declare void @use(i64)

define void @count(i64 %n) {
; ALL-LABEL: define void @count(
; ALL:       entry:
; THREAD-NEXT:   [[EP:%sp.page[0-9]*]] = call align 4096 ptr @llvm.threadlocal.address.p0(ptr align 4096 @__sp_thread_poll_page)
; THREAD-NEXT:   call void asm sideeffect "8201:\0A\09testl %eax, $0\0A8202:\0A\09{{.*}}.byte 3, 1, 8202b - 8201b, 0, 0, 0\0A\09.popsection", "*m,i,~{dirflag},~{fpsr},~{flags}"(ptr elementtype(i32) [[EP]], ptr @__sp_str)
; THREAD-NEXT:   br label %loop
; CMP-NEXT:    call void asm sideeffect "8201:\0A\09.pushsection sp_sites,\22a\22,@progbits\0A\09.balign 4\0A\09.long 8201b - .\0A\09.long ${0:c} - .\0A\09.long 0\0A\09.long 0\0A\09.short 0\0A\09.byte 3, 5, 0, 0, 0, 0\0A\09.popsection", "i"(ptr @__sp_str)
; CMP-NEXT:    %sp.rsp = call i64 @llvm.read_register.i64(metadata [[RSP:![0-9]+]])
; CMP-NEXT:    [[G:%.*]] = call align 8 ptr @llvm.threadlocal.address.p0(ptr align 8 @__sp_stack_guard)
; CMP-NEXT:    %sp.guard = load volatile i64, ptr [[G]], align 8
; CMP-NEXT:    %sp.below_guard = icmp ult i64 %sp.rsp, %sp.guard
; CMP-NEXT:    br i1 %sp.below_guard, label %entry.sp.slow, label %entry.sp.cont, !prof [[UNLIKELY:![0-9]+]]
; CMP:       entry.sp.slow:
; CMP-NEXT:    call preserve_mostcc void @__sp_morestack() [[NOMERGE:#[0-9]+]]
; CMP-NEXT:    br label %entry.sp.cont
;
; ALL:       loop:
; ALL:         %done = icmp eq i64 %i.next, %n
; THREAD-NEXT:   [[LP:%sp.page[0-9]*]] = call align 4096 ptr @llvm.threadlocal.address.p0(ptr align 4096 @__sp_thread_poll_page)
; THREAD-NEXT:   call void asm sideeffect "8201:\0A\09testl %eax, $0\0A8202:\0A\09{{.*}}.byte 1, 1, 8202b - 8201b, 0, 0, 0\0A\09.popsection", "*m,i,~{dirflag},~{fpsr},~{flags}"(ptr elementtype(i32) [[LP]], ptr @__sp_str)
; THREAD-NEXT:   br i1 %done, label %exit, label %loop
; GLOBAL-NEXT:   call void asm sideeffect "8201:\0A\09testl %eax, $0\0A8202:\0A\09{{.*}}.byte 1, 2, 8202b - 8201b, 0, 0, 0\0A\09.popsection", "*m,i,~{dirflag},~{fpsr},~{flags}"(ptr elementtype(i32) @__sp_poll_page, ptr @__sp_str)
; GLOBAL-NEXT:   br i1 %done, label %exit, label %loop
; FLAG-NEXT:     call void asm sideeffect "8201:\0A\09{{.*}}.byte 1, 3, 0, 0, 0, 0\0A\09.popsection", "i"(ptr @__sp_str)
; FLAG-NEXT:     [[F:%.*]] = call align 1 ptr @llvm.threadlocal.address.p0(ptr align 1 @__sp_poll_flag)
; FLAG-NEXT:     %sp.flag = load volatile i8, ptr [[F]], align 1
; FLAG-NEXT:     %sp.stop_requested = icmp ne i8 %sp.flag, 0
; FLAG-NEXT:     br i1 %sp.stop_requested, label %loop.sp.slow, label %loop.sp.cont, !prof [[UNLIKELY]]
; FLAG:        loop.sp.slow:
; FLAG-NEXT:     call preserve_mostcc void @__sp_poll_slow() [[NOMERGE]]
; FLAG-NEXT:     br label %loop.sp.cont
; FLAG:        loop.sp.cont:
; FLAG-NEXT:     br i1 %done, label %exit, label %loop
; CALL-NEXT:     call void asm sideeffect "8201:\0A\09{{.*}}.byte 1, 4, 0, 0, 0, 0\0A\09.popsection", "i"(ptr @__sp_str)
; CALL-NEXT:     call void @__sp_poll() [[NOMERGE]]
; CALL-NEXT:     br i1 %done, label %exit, label %loop
;
; ALL:       exit:
; THREAD-NEXT:   {{%sp.page[0-9]*}} = call align 4096 ptr @llvm.threadlocal.address.p0(ptr align 4096 @__sp_thread_poll_page)
; THREAD-NEXT:   call void asm sideeffect "8201:\0A\09testl %eax, $0\0A8202:\0A\09{{.*}}.byte 2, 1, 8202b - 8201b,
; GLOBAL-NEXT:   call void asm sideeffect "8201:\0A\09testl %eax, $0\0A8202:\0A\09{{.*}}.byte 2, 2, 8202b - 8201b,
; FLAG-NEXT:     call void asm sideeffect "8201:\0A\09{{.*}}.byte 2, 3, 0,
; FLAG-NEXT:     call align 1 ptr @llvm.threadlocal.address.p0(ptr align 1 @__sp_poll_flag)
; FLAG-NEXT:     load volatile i8
; FLAG-NEXT:     icmp ne i8
; FLAG-NEXT:     br i1 %sp.stop_requested{{[0-9]+}}, label %exit.sp.slow, label %exit.sp.cont, !prof [[UNLIKELY]]
; FLAG:        exit.sp.cont:
; CALL-NEXT:     call void asm sideeffect "8201:\0A\09{{.*}}.byte 2, 4, 0,
; CALL-NEXT:     call void @__sp_poll() [[NOMERGE]]
; ALL-NEXT:      ret void
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

; The slow paths are weak references with the preserve_most convention: they run only once a
; runtime armed something. Their calls are nomerge, so the backend cannot tail-merge two polls' cold
; blocks and then their checks. The call-mode poll is a plain, strong call, never merged with another
; poll's call (each site keeps its own).
; CMP-DAG:  declare extern_weak preserve_mostcc void @__sp_morestack() [[NOUNWIND:#[0-9]+]]
; FLAG-DAG: declare extern_weak preserve_mostcc void @__sp_poll_slow() [[NOUNWIND]]
; CALL-DAG: declare void @__sp_poll() [[NOUNWIND]]
; CMP-DAG:  attributes [[NOUNWIND]] = { nounwind }
; CMP-DAG:  attributes [[NOMERGE]] = { nomerge }
; CMP-DAG:  [[RSP]] = !{!"rsp"}
; CMP-DAG:  [[UNLIKELY]] = !{!"branch_weights", {{.*}}i32 1, i32 {{[0-9]+}}}
