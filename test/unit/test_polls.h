// test_polls.h - the hand-written polls of polls_x86_64.S and their site table.
#ifndef SP_TEST_POLLS_H
#define SP_TEST_POLLS_H

#include <cstdint>

extern "C" {
void sp_test_thread_page_poll(void);
void sp_test_global_page_poll(void);
void sp_test_unregistered_poll(void);
void sp_test_flag_poll(void);
void sp_test_entry_check(void);

struct RegImage {
  uint64_t gpr[14];  // rbx rcx rdx rsi rdi rbp r8 r9 r10 r12 r13 r14 r15 rax
  uint64_t rflags;
  uint32_t mxcsr;
  uint32_t pad;
  alignas(64) uint8_t vec[32][64];
  uint64_t k[8];
  uint64_t redzone[14];  // below the stack pointer at the poll: [-128, -24)
};
static_assert(__builtin_offsetof(RegImage, rflags) == 112, "image layout (polls_x86_64.S)");
static_assert(__builtin_offsetof(RegImage, mxcsr) == 120, "image layout (polls_x86_64.S)");
static_assert(__builtin_offsetof(RegImage, vec) == 128, "image layout (polls_x86_64.S)");
static_assert(__builtin_offsetof(RegImage, k) == 2176, "image layout (polls_x86_64.S)");
static_assert(__builtin_offsetof(RegImage, redzone) == 2240, "image layout (polls_x86_64.S)");

void sp_test_regs_thread_page(const RegImage *in, RegImage *out, int vector_kind);
void sp_test_regs_global_page(const RegImage *in, RegImage *out, int vector_kind);
}

#endif  // SP_TEST_POLLS_H
