// Site tables that are wrong in one way each (define one of the macros when assembling), so that
// sp-inspect's errors can be tested: it must name the problem, not crash or print garbage.
        .text
        .globl  f
        .type   f,@function
f:
.Lpoll:
        testl   %eax, (%rax)
        ret
        .size   f, .-f

        .section .rodata.str1.1,"aMS",@progbits,1
.Lname:
        .asciz  "f"

        .section sp_sites,"a",@progbits
        .balign 4
#if defined(TRUNCATED)
        .long   .Lpoll - .
        .long   .Lname - .              // a record cut short: 20 bytes, not 24
        .long   0, 0
        .short  0
        .byte   1, 1
#elif defined(ABSOLUTE)
        .long   .Lpoll                  // an absolute address where a relative one belongs
        .long   .Lname - .
        .long   0, 0
        .short  0
        .byte   1, 1, 2, 0, 0, 0
#elif defined(UNDEFINED)
        .long   .Lpoll - .
        .long   not_defined_here - .    // a function name in another file
        .long   0, 0
        .short  0
        .byte   1, 1, 2, 0, 0, 0
#elif defined(NO_STRING)
        .long   .Lpoll - .
        .long   .Lend - .               // a name past the end of its section
        .long   0, 0
        .short  0
        .byte   1, 1, 2, 0, 0, 0
#endif

        .section .rodata.unterminated,"a",@progbits
        .ascii  "no terminating NUL"
.Lend:
