/* polls_x86_64.S - hand-written safepoint polls that follow safepoint_abi.h exactly, for testing
 * the runtime's fault handler and trampoline without the pass.
 *
 * Each page-mode poll is a labelled `testl %eax, (...)` (thread-page: `%fs:(...)`) with a 24-byte record in section sp_sites
 * (registered by a constructor in poll_sites.cpp). The "regs" functions load a known value into
 * every general-purpose register, the vector registers (xmm, ymm or zmm+k by argument) and MXCSR,
 * set the direction flag, poll once, and store everything back, so a test can check that a
 * preemption at that poll (possibly resuming on another OS thread) preserved all of it. */

/* SITE(label_start, label_end, kind, mode, name): one struct sp_site_record. */
.macro SITE start, end, kind, mode, name
        .pushsection sp_sites, "a", @progbits
        .balign 4
        .long   \start - .
        .long   \name - .
        .long   sp_test_file - .
        .long   42
        .short  7
        .byte   \kind, \mode, \end - \start, 0, 0, 0
        .popsection
.endm

        .section .rodata.str1.1, "aMS", @progbits, 1
sp_test_file:           .asciz "polls_x86_64.S"
name_thread_page:       .asciz "sp_test_regs_thread_page"
name_global_page:       .asciz "sp_test_regs_global_page"
name_tp_loop:           .asciz "sp_test_thread_page_poll"
name_gp_loop:           .asciz "sp_test_global_page_poll"

        .text

/* void sp_test_thread_page_poll(void): one registered thread-page poll. */
        .globl  sp_test_thread_page_poll
        .type   sp_test_thread_page_poll, @function
sp_test_thread_page_poll:
        movq    __sp_thread_poll_page@gottpoff(%rip), %rcx
.Ltp_start:
        testl   %eax, %fs:(%rcx)
.Ltp_end:
        SITE    .Ltp_start, .Ltp_end, 1, 1, name_tp_loop
        ret
        .size   sp_test_thread_page_poll, .-sp_test_thread_page_poll

/* void sp_test_global_page_poll(void): one registered global-page poll. */
        .globl  sp_test_global_page_poll
        .type   sp_test_global_page_poll, @function
sp_test_global_page_poll:
        movq    __sp_poll_page@GOTPCREL(%rip), %rcx
.Lgp_start:
        testl   %eax, (%rcx)
.Lgp_end:
        SITE    .Lgp_start, .Lgp_end, 1, 2, name_gp_loop
        ret
        .size   sp_test_global_page_poll, .-sp_test_global_page_poll

/* void sp_test_unregistered_poll(void): the same read, but not in any site table: a fault here is
 * a real crash. */
        .globl  sp_test_unregistered_poll
        .type   sp_test_unregistered_poll, @function
sp_test_unregistered_poll:
        movq    __sp_thread_poll_page@gottpoff(%rip), %rcx
        testl   %eax, %fs:(%rcx)
        ret
        .size   sp_test_unregistered_poll, .-sp_test_unregistered_poll

/* void sp_test_flag_poll(void): a flag-mode poll, cold call to __sp_poll_slow (preserve_most). */
        .globl  sp_test_flag_poll
        .type   sp_test_flag_poll, @function
sp_test_flag_poll:
        movq    __sp_poll_flag@gottpoff(%rip), %r11
        cmpb    $0, %fs:(%r11)
        jne     1f
        ret
1:      subq    $8, %rsp        /* realign: the slow path is a normal call */
        call    __sp_poll_slow
        addq    $8, %rsp
        ret
        .size   sp_test_flag_poll, .-sp_test_flag_poll

/* void sp_test_entry_check(void): a function-entry stack check. */
        .globl  sp_test_entry_check
        .type   sp_test_entry_check, @function
sp_test_entry_check:
        movq    __sp_stack_guard@gottpoff(%rip), %r11
        cmpq    %fs:(%r11), %rsp
        jae     1f
        subq    $8, %rsp
        call    __sp_morestack
        addq    $8, %rsp
1:      ret
        .size   sp_test_entry_check, .-sp_test_entry_check

/* Register image layout shared with poll_sites.cpp (struct RegImage):
 *   0    gpr[14]: rbx rcx rdx rsi rdi rbp r8 r9 r10 r12 r13 r14 r15 rax   (112 bytes)
 *   112  rflags
 *   120  mxcsr (4 bytes), pad
 *   128  vec[32][64]   (2048 bytes)
 *   2176 k[8]          (64 bytes)
 *   2240 redzone[14]   what was below the stack pointer at the poll, from -128 to -24
 * The poll's pointer register is r11, so r11 is not checked. The red zone slots stop at -24
 * because the code after the poll pushes twice before it has a free register. */
#define IMG_FLAGS 112
#define IMG_MXCSR 120
#define IMG_VEC 128
#define IMG_K 2176
#define IMG_RZ 2240

/* LOAD_ALL / STORE_ALL: every checked register from/to the image at %r11 / at the saved pointer. */
.macro LOAD_VECTORS kind
        cmpl    $2, \kind
        je      .Lload_zmm\@
        cmpl    $1, \kind
        je      .Lload_ymm\@
        .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        movdqu  IMG_VEC+\i*64(%rdi), %xmm\i
        .endr
        jmp     .Lload_done\@
.Lload_ymm\@:
        .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        vmovdqu IMG_VEC+\i*64(%rdi), %ymm\i
        .endr
        jmp     .Lload_done\@
.Lload_zmm\@:
        .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        vmovdqu64 IMG_VEC+\i*64(%rdi), %zmm\i
        .endr
        .irp i, 0,1,2,3,4,5,6,7
        kmovq   IMG_K+\i*8(%rdi), %k\i
        .endr
.Lload_done\@:
.endm

.macro STORE_VECTORS kind
        cmpl    $2, \kind
        je      .Lstore_zmm\@
        cmpl    $1, \kind
        je      .Lstore_ymm\@
        .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        movdqu  %xmm\i, IMG_VEC+\i*64(%rdi)
        .endr
        jmp     .Lstore_done\@
.Lstore_ymm\@:
        .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        vmovdqu %ymm\i, IMG_VEC+\i*64(%rdi)
        .endr
        jmp     .Lstore_done\@
.Lstore_zmm\@:
        .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        vmovdqu64 %zmm\i, IMG_VEC+\i*64(%rdi)
        .endr
        .irp i, 0,1,2,3,4,5,6,7
        kmovq   %k\i, IMG_K+\i*8(%rdi)
        .endr
        vzeroupper
.Lstore_done\@:
.endm

/* REGS_FUNC name, pollsetup, pollinsn, mode, sitename:
 * void name(const RegImage *in, RegImage *out, int vector_kind)   (kind: 0 xmm, 1 ymm, 2 zmm) */
.macro REGS_FUNC name, mode, sitename
        .globl  \name
        .type   \name, @function
\name:
        pushq   %rbp
        pushq   %rbx
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        pushq   %rsi            /* out */
        pushq   %rdx            /* vector kind */
        subq    $8, %rsp
        stmxcsr (%rsp)          /* the caller's MXCSR, restored at the end */
        LOAD_VECTORS %edx
        ldmxcsr IMG_MXCSR(%rdi)
        .if \mode == 1
        movq    __sp_thread_poll_page@gottpoff(%rip), %r11
        .else
        leaq    __sp_poll_page(%rip), %r11
        .endif
        /* Fill the red zone as leaf code may: data below the stack pointer, live across the poll. */
        .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13
        movq    IMG_RZ+\i*8(%rdi), %rax
        movq    %rax, -128+\i*8(%rsp)
        .endr
        movq    0(%rdi), %rbx
        movq    8(%rdi), %rcx
        movq    16(%rdi), %rdx
        movq    24(%rdi), %rsi
        movq    40(%rdi), %rbp
        movq    48(%rdi), %r8
        movq    56(%rdi), %r9
        movq    64(%rdi), %r10
        movq    72(%rdi), %r12
        movq    80(%rdi), %r13
        movq    88(%rdi), %r14
        movq    96(%rdi), %r15
        movq    104(%rdi), %rax
        movq    32(%rdi), %rdi
        std
.Lpoll_start\@:
        .if \mode == 1
        testl   %eax, %fs:(%r11)
        .else
        testl   %eax, (%r11)
        .endif
.Lpoll_end\@:
        SITE    .Lpoll_start\@, .Lpoll_end\@, 1, \mode, \sitename
        pushfq
        cld
        pushq   %rdi
        movq    32(%rsp), %rdi  /* out (above the tested rdi, flags, MXCSR slot, kind) */
        movq    %rbx, 0(%rdi)
        movq    %rcx, 8(%rdi)
        movq    %rdx, 16(%rdi)
        movq    %rsi, 24(%rdi)
        popq    %rbx            /* the tested rdi */
        movq    %rbx, 32(%rdi)
        movq    %rbp, 40(%rdi)
        movq    %r8, 48(%rdi)
        movq    %r9, 56(%rdi)
        movq    %r10, 64(%rdi)
        movq    %r12, 72(%rdi)
        movq    %r13, 80(%rdi)
        movq    %r14, 88(%rdi)
        movq    %r15, 96(%rdi)
        movq    %rax, 104(%rdi)
        popq    %rbx            /* flags */
        movq    %rbx, IMG_FLAGS(%rdi)
        stmxcsr IMG_MXCSR(%rdi)
        .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13
        movq    -128+\i*8(%rsp), %rax
        movq    %rax, IMG_RZ+\i*8(%rdi)
        .endr
        movl    8(%rsp), %edx   /* vector kind */
        STORE_VECTORS %edx
        ldmxcsr (%rsp)
        addq    $24, %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        popq    %rbp
        ret
        .size   \name, .-\name
.endm

        REGS_FUNC sp_test_regs_thread_page, 1, name_thread_page
        REGS_FUNC sp_test_regs_global_page, 2, name_global_page

        .section .note.GNU-stack,"",@progbits
