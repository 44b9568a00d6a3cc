/* context_x86_64.S - switching between green-thread contexts (System V x86-64).
 *
 * A switch is a function call, so only the callee-saved state must survive it: rbx, rbp, r12-r15,
 * the stack pointer, the MXCSR control bits and the x87 control word. They are pushed on the old
 * stack, whose pointer goes into the old context; the new context's stack pops its own. The frame
 * layout is in context_layout.h; sched.c builds the first frame of a new green thread with it, so
 * that the first switch "returns" into sp__ctx_entry. */
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
        movq    %rsp, SP_CTX_RSP(%rdi)

        movq    SP_CTX_RSP(%rsi), %rsp
        ldmxcsr SP_CTX_FRAME_CSR(%rsp)
        fldcw   SP_CTX_FRAME_FCW(%rsp)
        addq    $8, %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        popq    %rbp
        ret
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
