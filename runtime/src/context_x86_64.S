/* context_x86_64.S - switching between green-thread contexts (System V x86-64).
 *
 * A switch is a function call, so only the callee-saved registers must survive it: rbx, rbp,
 * r12-r15 and the stack pointer. They are pushed on the old stack, whose pointer goes into the old
 * context; the new context's stack pops its own. The frame layout is in context_layout.h; sched.c
 * builds the first frame of a new green thread with it, so that the first switch "returns" into
 * sp__ctx_entry.
 *
 * The floating-point environment is more than the ABI's callee-saved part. <fenv.h> gives each
 * thread its own environment, rounding modes and exception flags alike (C11 7.6), and the program
 * cannot tell a preemption at a poll, or a blocking call that resumed it on another OS thread, from
 * no switch at all: so the flags, which the ABI lets a callee clobber, must follow the green thread
 * as well. MXCSR holds the SSE rounding mode, masks and flags in one register: stmxcsr/ldmxcsr carry
 * all of it. The x87 control word is loaded with fldcw. The x87 status word, where x87 arithmetic
 * (long double, and glibc's feraiseexcept for FE_INEXACT, FE_OVERFLOW and FE_UNDERFLOW) records its
 * flags, has no load instruction: fnclex clears it, fldenv loads it with the rest of the x87
 * environment, at about 14 and 29 ns here. So the switch compares the incoming context's flags
 * with the thread's current ones (one fnstsw, which also saves them) and pays for fnclex or fldenv
 * only when they differ, which in code that never uses x87 arithmetic is never. */
#include "context_layout.h"

        .text

/* void sp__ctx_switch(struct sp__context *from, const struct sp__context *to) */
        .globl  sp__ctx_switch
        .hidden sp__ctx_switch
        .type   sp__ctx_switch, @function
        .p2align 4
sp__ctx_switch:
        .cfi_startproc
        pushq   %rbp
        pushq   %rbx
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        subq    $8, %rsp
        stmxcsr SP_CTX_FRAME_CSR(%rsp)
        fnstcw  SP_CTX_FRAME_FCW(%rsp)
        fnstsw  %ax
        movw    %ax, SP_CTX_FRAME_FSW(%rsp)
        movq    %rsp, SP_CTX_RSP(%rdi)

        movq    SP_CTX_RSP(%rsi), %rsp
        ldmxcsr SP_CTX_FRAME_CSR(%rsp)
        fldcw   SP_CTX_FRAME_FCW(%rsp)
        /* The status word's low byte: the six exception flags, stack fault and error summary. */
        xorb    SP_CTX_FRAME_FSW(%rsp), %al
        jnz     .Lx87_flags_differ
.Lpop_callee_saved:
        addq    $8, %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        popq    %rbp
        ret

.Lx87_flags_differ:
        movzbl  SP_CTX_FRAME_FSW(%rsp), %eax
        testl   %eax, %eax
        jnz     .Lx87_load_flags
        fnclex
        jmp     .Lpop_callee_saved
.Lx87_load_flags:
        /* Load an x87 environment (28 bytes) built in the red zone, which signal delivery leaves
         * alone: the incoming control word and flags. The ABI has the x87 register stack empty at
         * a call, so the top of stack is 0, the tag word says every register is empty, and there
         * is no last instruction or operand to point to. */
        movzwl  SP_CTX_FRAME_FCW(%rsp), %ecx
        movl    %ecx, -32(%rsp)
        movl    %eax, -28(%rsp)
        movl    $0xffff, -24(%rsp)
        xorl    %ecx, %ecx
        movq    %rcx, -20(%rsp)
        movq    %rcx, -12(%rsp)
        fldenv  -32(%rsp)
        jmp     .Lpop_callee_saved
        .cfi_endproc
        .size   sp__ctx_switch, .-sp__ctx_switch

/* The first code a new green thread runs, with the stack 16-byte aligned. sp__gstart never
 * returns (a finished G switches away for good); the ud2 makes a bug loud. The undefined return
 * address tells debuggers and unwinders that the stack ends here. */
        .globl  sp__ctx_entry
        .hidden sp__ctx_entry
        .type   sp__ctx_entry, @function
        .p2align 4
sp__ctx_entry:
        .cfi_startproc
        .cfi_undefined rip
        xorl    %ebp, %ebp
        call    sp__gstart
        ud2
        .cfi_endproc
        .size   sp__ctx_entry, .-sp__ctx_entry

        .section .note.GNU-stack,"",@progbits
