// At -O0 clang marks every function optnone; the pass is required, so they are instrumented all the
// same: entry poll, loop poll and epilogue poll, in the unoptimized code's own style (TLS address
// computed through %fs:0). The fixed stack frame is set up before the entry poll: the thread page's
// load by default, the stack-guard compare in flag mode.
// RUN: %clang-sp -mllvm -sp-epilogue-polls=1 -O0 -S %s -o - | FileCheck %s
// RUN: %clang-sp -mllvm -sp-epilogue-polls=1 -O0 -S %s -o - -mllvm -sp-poll=flag | FileCheck %s --check-prefix=FLAG
// RUN: %clang-sp -mllvm -sp-epilogue-polls=1 -O0 -S -emit-llvm %s -o - | FileCheck %s --check-prefix=IR

void use(long *);

void count(long n) {
  long slot = 0;
  for (long i = 0; i < n; ++i)
    use(&slot);
}

// IR: define dso_local void @count(i64 noundef %0) #[[ATTRS:[0-9]+]]
// IR: attributes #[[ATTRS]] = { noinline nounwind optnone

// CHECK-LABEL: count:
// CHECK:         pushq %rbp
// CHECK-NEXT:    .cfi_def_cfa_offset 16
// CHECK-NEXT:    .cfi_offset %rbp, -16
// CHECK-NEXT:    movq %rsp, %rbp
// CHECK-NEXT:    .cfi_def_cfa_register %rbp
// CHECK-NEXT:    subq ${{[0-9]+}}, %rsp
// CHECK:         movq %fs:0, [[TP:%r[a-z0-9]+]]
// CHECK-NEXT:    leaq __sp_thread_poll_page@TPOFF([[TP]]), [[P:%r[a-z0-9]+]]
// CHECK-NEXT:    #APP
// CHECK-NEXT:  .Ltmp{{[0-9]+}}:
// CHECK-NEXT:    testl %eax, ([[P]])
// CHECK:         .byte 3
// CHECK-NEXT:    .byte 1
// CHECK:         #NO_APP
// CHECK-NOT:     __sp_stack_guard
// CHECK:         callq use@PLT
// CHECK:         movq %fs:0, [[TP:%r[a-z0-9]+]]
// CHECK-NEXT:    leaq __sp_thread_poll_page@TPOFF([[TP]]), [[P:%r[a-z0-9]+]]
// CHECK-NEXT:    #APP
// CHECK-NEXT:  .Ltmp{{[0-9]+}}:
// CHECK-NEXT:    testl %eax, ([[P]])
// CHECK:         .byte 1
// CHECK-NEXT:    .byte 1
// CHECK:         #NO_APP
// CHECK-NEXT:    jmp .LBB0_
// CHECK:         testl %eax, (%r{{[a-z0-9]+}})
// CHECK:         .byte 2
// CHECK-NEXT:    .byte 1
// CHECK:         #NO_APP
// CHECK-NEXT:    addq ${{[0-9]+}}, %rsp
// CHECK-NEXT:    popq %rbp
// CHECK-NEXT:    .cfi_def_cfa %rsp, 8
// CHECK-NEXT:    retq
// CHECK-NEXT:  .Lfunc_end0:

// FLAG-LABEL: count:
// FLAG:         subq ${{[0-9]+}}, %rsp
// FLAG:         #APP
// FLAG:         .byte 3
// FLAG-NEXT:    .byte 5
// FLAG:         #NO_APP
// FLAG-NEXT:    movq %rsp, %rax
// FLAG-NEXT:    movq %fs:0, [[TP:%r[a-z0-9]+]]
// FLAG-NEXT:    leaq __sp_stack_guard@TPOFF([[TP]]), [[GUARD:%r[a-z0-9]+]]
// FLAG-NEXT:    movq ([[GUARD]]), [[GUARD]]
// FLAG-NEXT:    cmpq [[GUARD]], %rax
// FLAG-NEXT:    jae .LBB0_
// FLAG:         callq __sp_morestack@PLT
// FLAG:         callq use@PLT
// FLAG:         leaq __sp_poll_flag@TPOFF(%r{{[a-z0-9]+}}), [[F:%r[a-z0-9]+]]
// FLAG-NEXT:    movb ([[F]]), [[B:%[a-z0-9]+]]
// FLAG-NEXT:    cmpb $0, [[B]]
// FLAG-NEXT:    je .LBB0_
// FLAG:         callq __sp_poll_slow@PLT
