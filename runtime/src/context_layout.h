/* context_layout.h - offsets shared by the assembly files and the C structures they touch.
 * C code static_asserts each of them (internal.h), so the two cannot drift apart. */
#ifndef SP_CONTEXT_LAYOUT_H
#define SP_CONTEXT_LAYOUT_H

/* struct sp__context: the saved stack pointer; the rest of a context is on its stack. */
#define SP_CTX_RSP 0

/* A suspended context's stack, from its saved rsp upwards (context_x86_64.S):
 * MXCSR (4 bytes), x87 control word (2 bytes), x87 status word (2 bytes), r15, r14, r13, r12, rbx,
 * rbp, return. */
#define SP_CTX_FRAME_CSR 0
#define SP_CTX_FRAME_FCW 4
#define SP_CTX_FRAME_FSW 6
#define SP_CTX_FRAME_R15 8
#define SP_CTX_FRAME_R14 16
#define SP_CTX_FRAME_R13 24
#define SP_CTX_FRAME_R12 32
#define SP_CTX_FRAME_RBX 40
#define SP_CTX_FRAME_RBP 48
#define SP_CTX_FRAME_RET 56
#define SP_CTX_FRAME_SIZE 64

#endif /* SP_CONTEXT_LAYOUT_H */
