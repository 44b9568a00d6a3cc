/* preempt_trampoline_x86_64.S - where a green thread stopped by a poll-page fault continues.
 *
 * The fault handler cannot switch green threads itself (it runs on the M's signal stack, and the
 * G must be resumable on another M), so it rewrites the interrupted context to "call" this
 * trampoline on the G's own stack:
 *
 *     [rsp]                 address after the poll instruction (where the G resumes)
 *     [rsp+8 .. rsp+136)    the interrupted code's red zone, left untouched
 *     rsp+136               the interrupted code's stack pointer
 *
 * The poll can be anywhere in compiled code, so every register is live: the trampoline saves the
 * flags and all general-purpose registers, then the whole extended state (x87, SSE, AVX, AVX-512,
 * whatever XCR0 enables) with xsave into a 64-byte aligned area of the size cpuid leaf 0xD
 * reports, whose header it zeroes first as xrstor requires. sp__preempt_from_signal switches to
 * the scheduler and returns when the G is resumed, possibly on another OS thread. `ret $128` pops
 * the resume address and skips the red zone in one step. */

        .text
        .globl  sp__preempt_trampoline
        .hidden sp__preempt_trampoline
        .type   sp__preempt_trampoline, @function
        .p2align 4
sp__preempt_trampoline:
        .cfi_startproc
        .cfi_signal_frame
        pushfq
        .cfi_adjust_cfa_offset 8
        pushq   %rax
        .cfi_adjust_cfa_offset 8
        pushq   %rbx
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset rbx, 0
        pushq   %rcx
        .cfi_adjust_cfa_offset 8
        pushq   %rdx
        .cfi_adjust_cfa_offset 8
        pushq   %rsi
        .cfi_adjust_cfa_offset 8
        pushq   %rdi
        .cfi_adjust_cfa_offset 8
        pushq   %rbp
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset rbp, 0
        pushq   %r8
        .cfi_adjust_cfa_offset 8
        pushq   %r9
        .cfi_adjust_cfa_offset 8
        pushq   %r10
        .cfi_adjust_cfa_offset 8
        pushq   %r11
        .cfi_adjust_cfa_offset 8
        pushq   %r12
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset r12, 0
        pushq   %r13
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset r13, 0
        pushq   %r14
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset r14, 0
        pushq   %r15
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset r15, 0
        movq    %rsp, %rbp
        .cfi_def_cfa_register rbp

        subq    sp__xsave_area_size(%rip), %rsp
        andq    $-64, %rsp
        xorl    %eax, %eax
        movq    %rax, 512(%rsp)
        movq    %rax, 520(%rsp)
        movq    %rax, 528(%rsp)
        movq    %rax, 536(%rsp)
        movq    %rax, 544(%rsp)
        movq    %rax, 552(%rsp)
        movq    %rax, 560(%rsp)
        movq    %rax, 568(%rsp)
        movl    $-1, %eax
        movl    $-1, %edx
        xsave64 (%rsp)
        cld
        call    sp__preempt_from_signal
        movl    $-1, %eax
        movl    $-1, %edx
        xrstor64 (%rsp)

        movq    %rbp, %rsp
        .cfi_def_cfa_register rsp
        popq    %r15
        .cfi_adjust_cfa_offset -8
        popq    %r14
        .cfi_adjust_cfa_offset -8
        popq    %r13
        .cfi_adjust_cfa_offset -8
        popq    %r12
        .cfi_adjust_cfa_offset -8
        popq    %r11
        .cfi_adjust_cfa_offset -8
        popq    %r10
        .cfi_adjust_cfa_offset -8
        popq    %r9
        .cfi_adjust_cfa_offset -8
        popq    %r8
        .cfi_adjust_cfa_offset -8
        popq    %rbp
        .cfi_adjust_cfa_offset -8
        popq    %rdi
        .cfi_adjust_cfa_offset -8
        popq    %rsi
        .cfi_adjust_cfa_offset -8
        popq    %rdx
        .cfi_adjust_cfa_offset -8
        popq    %rcx
        .cfi_adjust_cfa_offset -8
        popq    %rbx
        .cfi_adjust_cfa_offset -8
        popq    %rax
        .cfi_adjust_cfa_offset -8
        popfq
        .cfi_adjust_cfa_offset -8
        ret     $128
        .cfi_endproc
        .size   sp__preempt_trampoline, .-sp__preempt_trampoline

        .section .note.GNU-stack,"",@progbits
