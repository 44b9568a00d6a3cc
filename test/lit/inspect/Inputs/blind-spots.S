// Hand-written safepoint tables, in the layout of runtime/include/safepoint_abi.h, for testing
// sp-inspect before (and independently of) the pass writing them:
//  - sp_blind_spots: a bounded loop (bound 1000) in bounded_sum, and a nosplit function spin whose
//    record says unbounded=UNBOUNDED (define it 0 or 1 when assembling);
//  - sp_sites: one loop site in spin with no file and line 0, so that sp-inspect falls back to the
//    DWARF line table (assemble with -g) for its source location.
#ifndef UNBOUNDED
#error define UNBOUNDED to 0 or 1
#endif

        .text
        .globl  bounded_sum
        .type   bounded_sum,@function
bounded_sum:
        xorl    %eax, %eax
        ret
        .size   bounded_sum, .-bounded_sum

        .globl  spin
        .type   spin,@function
spin:
        movq    %fs:0, %rax
        nop
.Lspin_poll:
        testl   %eax, (%rax)
        jmp     .Lspin_poll
        .size   spin, .-spin

        .globl  main
        .type   main,@function
main:
        xorl    %eax, %eax
        ret
        .size   main, .-main

        .section .rodata.str1.1,"aMS",@progbits,1
.Lname_bounded_sum:
        .asciz  "bounded_sum"
.Lname_spin:
        .asciz  "spin"
.Lsource:
        .asciz  "blind.c"

        .section sp_blind_spots,"a",@progbits
        .balign 4
        .long   .Lname_bounded_sum - .  // function
        .long   .Lsource - .            // file
        .long   12                      // line
        .short  3                       // column
        .byte   1, 0                    // reason SP_BLIND_BOUNDED_LOOP, bounded
        .long   1000, 0                 // bound, reserved
        .long   .Lname_spin - .
        .long   .Lsource - .
        .long   20
        .short  0
        .byte   5, UNBOUNDED            // reason SP_BLIND_NOSPLIT
        .long   0, 0

        .section sp_sites,"a",@progbits
        .balign 4
        .long   .Lspin_poll - .         // pc
        .long   .Lname_spin - .         // function
        .long   0, 0                    // no file, line 0
        .short  0
        .byte   1, 1, 2, 0, 0, 0        // loop, thread-page, 2-byte read
