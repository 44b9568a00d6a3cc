/* nosplit_reserve_workload.c - the runtime's reserve below a nosplit chain that fits. An ordinary
 * recursion descends until its stack pointer is just above the stack guard; from there a chain of
 * nosplit frames uses nearly SP_NOSPLIT_STACK_LIMIT, and at its bottom a loop without calls (so
 * without an entry check) is preempted at its poll: the preemption trampoline and the switch run in
 * SP_STACK_RUNTIME_RESERVE, below everything the link-time check allows. Too small a reserve
 * faults in the guard page. Compiled with the pass once per poll mode. */
#include <stdint.h>

#include "safepoint.h"

#define SP_CAT2(a, b) a##b
#define SP_CAT(a, b) SP_CAT2(a, b)
#define SP_NAME(name) SP_CAT(SP_HOG_PREFIX, name)

extern __thread uintptr_t __sp_stack_guard __attribute__((tls_model("initial-exec")));

/* Three frames of this size, their return addresses and the descent's last stop (at most 512
 * bytes above the guard) put the loop's frame about SP_NOSPLIT_STACK_LIMIT below the guard. */
#define CHAIN_FRAME 2600

unsigned long SP_NAME(_spin_below_nosplit_chain)(unsigned long iterations);

/* The chain's bottom: a loop with a poll, and no call, so no entry check (it is below the guard). */
__attribute__((noinline)) static unsigned long spin(unsigned long iterations) {
  unsigned long x = 1;
  for (volatile unsigned long i = 0; i < iterations; i++)
    x = x * 6364136223846793005ul + 1442695040888963407ul;
  return x;
}

/* The asm makes each frame's array real: its address escapes. */
#define SP_CHAIN_LINK(name, next)                                              \
  SP_NOSPLIT __attribute__((noinline)) static unsigned long name(unsigned long n) { \
    volatile char frame[CHAIN_FRAME];                                          \
    __asm__ volatile("" : : "r"(frame) : "memory");                            \
    frame[0] = 0;                                                              \
    unsigned long r = next(n);                                                 \
    return r + (unsigned long)frame[0];                                        \
  }
SP_CHAIN_LINK(chain3, spin)
SP_CHAIN_LINK(chain2, chain3)
SP_CHAIN_LINK(chain1, chain2)

/* Each level passes its entry check; it stops once its frame is within 512 bytes of the guard. The
 * guard reads all ones while a preemption is pending: the next level's entry check takes it. */
__attribute__((noinline)) static unsigned long descend(unsigned long iterations) {
  volatile char pad[200];
  __asm__ volatile("" : : "r"(pad) : "memory");
  pad[0] = 0;
  uintptr_t frame = (uintptr_t)__builtin_frame_address(0);
  uintptr_t guard = __atomic_load_n(&__sp_stack_guard, __ATOMIC_RELAXED);
  if (guard != UINTPTR_MAX && guard != 0 && frame < guard + 512)
    return chain1(iterations);
  return descend(iterations) + (unsigned long)pad[0];
}

unsigned long SP_NAME(_spin_below_nosplit_chain)(unsigned long iterations) {
  return descend(iterations);
}
