// Through clang at -O2, with the mode chosen by -mllvm -sp-poll=: the loop back-edge and the return
// poll with the mode's instructions, right after the loop body's call. The entry polls with the
// thread page's load in thread-page mode, and in the other modes (GUARD) compares with the stack
// guard, with a cold call to __sp_morestack. The page modes' recorded read is the asm's own
// instruction (label .LtmpN, record .long .LtmpN-., length .byte .LtmpM-.LtmpN).
// RUN: %clang-sp -mllvm -sp-epilogue-polls=1 -O2 -S %s -o - | FileCheck %s --check-prefixes=ALL,THREAD
// RUN: %clang-sp -mllvm -sp-epilogue-polls=1 -O2 -S %s -o - -mllvm -sp-poll=thread-page | FileCheck %s --check-prefixes=ALL,THREAD
// RUN: %clang-sp -mllvm -sp-epilogue-polls=1 -O2 -S %s -o - -mllvm -sp-poll=global-page | FileCheck %s --check-prefixes=ALL,GUARD,GLOBAL
// RUN: %clang-sp -mllvm -sp-epilogue-polls=1 -O2 -S %s -o - -mllvm -sp-poll=flag | FileCheck %s --check-prefixes=ALL,GUARD,FLAG
// RUN: %clang-sp -mllvm -sp-epilogue-polls=1 -O2 -S %s -o - -mllvm -sp-poll=call | FileCheck %s --check-prefixes=ALL,GUARD,CALL

void use(long);

void count(long n) {
  for (long i = 0; i < n; ++i)
    use(i);
}

// ALL-LABEL: count:
// ALL:         #APP
// ALL-NEXT:  [[ENTRY:.Ltmp[0-9]+]]:
// THREAD-NEXT: testl %eax, %fs:__sp_thread_poll_page@TPOFF
// THREAD-NEXT: [[ENTRYEND:.Ltmp[0-9]+]]:
// ALL-NEXT:    .section sp_sites,"a",@progbits
// ALL:         .long [[ENTRY]]-.Ltmp{{[0-9]+}}
// ALL:         .byte 3
// THREAD-NEXT: .byte 1
// THREAD-NEXT: .byte [[ENTRYEND]]-[[ENTRY]]
// GUARD-NEXT:  .byte 5
// ALL:         #NO_APP
// GUARD-NEXT:  cmpq %fs:__sp_stack_guard@TPOFF, %rsp
// GUARD-NEXT:  jb .LBB0_
//
// ALL:       # =>This Inner Loop Header: Depth=1
// ALL:         callq use@PLT
// THREAD:      #APP
// THREAD-NEXT: [[LOOP:.Ltmp[0-9]+]]:
// THREAD-NEXT: testl %eax, %fs:__sp_thread_poll_page@TPOFF
// THREAD-NEXT: [[LOOPEND:.Ltmp[0-9]+]]:
// THREAD-NEXT: .section sp_sites,"a",@progbits
// THREAD:      .long [[LOOP]]-.Ltmp{{[0-9]+}}
// THREAD:      .byte 1
// THREAD-NEXT: .byte 1
// THREAD-NEXT: .byte [[LOOPEND]]-[[LOOP]]
// GLOBAL:      #APP
// GLOBAL-NEXT: [[LOOP:.Ltmp[0-9]+]]:
// GLOBAL-NEXT: testl %eax, __sp_poll_page(%rip)
// GLOBAL-NEXT: [[LOOPEND:.Ltmp[0-9]+]]:
// GLOBAL:      .byte 1
// GLOBAL-NEXT: .byte 2
// GLOBAL-NEXT: .byte [[LOOPEND]]-[[LOOP]]
// FLAG:        #APP
// FLAG:        .byte 1
// FLAG-NEXT:   .byte 3
// FLAG:        #NO_APP
// FLAG-NEXT:   cmpb $0, %fs:__sp_poll_flag@TPOFF
// FLAG-NEXT:   jne .LBB0_
// CALL:        #APP
// CALL:        .byte 1
// CALL-NEXT:   .byte 4
// CALL:        #NO_APP
// CALL-NEXT:   callq __sp_poll@PLT
// ALL:         jne .LBB0_
// The cold paths come after the loop.
// GUARD-DAG:   callq __sp_morestack@PLT
// FLAG-DAG:    callq __sp_poll_slow@PLT
// THREAD-NOT:  __sp_morestack
// ALL:       .Lfunc_end0:

// A return after calls (not tail calls): entry poll, calls, the epilogue poll (kind 2) right before
// the return.
int twice(void) {
  use(1);
  use(2);
  return 3;
}

// ALL-LABEL: twice:
// THREAD:      testl %eax, %fs:__sp_thread_poll_page@TPOFF
// THREAD:      .byte 3
// THREAD-NEXT: .byte 1
// GUARD:       cmpq %fs:__sp_stack_guard@TPOFF, %rsp
// ALL:         callq use@PLT
// ALL:         callq use@PLT
// THREAD-NEXT: #APP
// THREAD-NEXT: .Ltmp{{[0-9]+}}:
// THREAD-NEXT: testl %eax, %fs:__sp_thread_poll_page@TPOFF
// GLOBAL-NEXT: #APP
// GLOBAL-NEXT: .Ltmp{{[0-9]+}}:
// GLOBAL-NEXT: testl %eax, __sp_poll_page(%rip)
// FLAG-NEXT:   #APP
// CALL-NEXT:   #APP
// ALL:         .byte 2
// THREAD-NEXT: .byte 1
// GLOBAL-NEXT: .byte 2
// FLAG-NEXT:   .byte 3
// CALL-NEXT:   .byte 4
// ALL:         #NO_APP
// FLAG-NEXT:   cmpb $0, %fs:__sp_poll_flag@TPOFF
// FLAG-NEXT:   jne .LBB1_
// CALL-NEXT:   callq __sp_poll@PLT
// ALL:         retq
