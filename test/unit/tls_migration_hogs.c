/* tls_migration_hogs.c - loops that keep a thread-local address across their polls, compiled with
 * the pass once per poll mode and once more as position-independent code (where thread-local
 * variables use the general-dynamic model, __tls_get_addr). clang computes each address once, before
 * the loop; a green thread preempted at the back-edge may resume on another OS thread. */
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdint.h>
#include <unistd.h>

#define SP_CAT2(a, b) a##b
#define SP_CAT(a, b) SP_CAT2(a, b)
#define SP_NAME(name) SP_CAT(SP_HOG_PREFIX, name)

long SP_NAME(_errno_mistakes)(long n);
long SP_NAME(_tls_wrong_addresses)(long n);
long SP_NAME(_h_errno_mistakes)(long n, int mine);
long SP_NAME(_chunked_wrong_addresses)(long n);

/* errno as real code checks it: how often close(-1) did not leave EBADF in errno. */
long SP_NAME(_errno_mistakes)(long n) {
  long bad = 0;
  for (long i = 0; i < n; i++) {
    errno = 0;
    if (close(-1) != -1 || errno != EBADF)
      bad++;
  }
  return bad;
}

/* A per-OS-thread counter. Each iteration increments it and checks that the address it went through
 * is the running OS thread's, as a call that computes it afresh reports: through a stale address the
 * increment lands in another OS thread's counter, racing with the green thread running there. */
static _Thread_local long counter;

__attribute__((noinline)) static long *current_counter(void) {
  __asm__ volatile("");
  return &counter;
}

long SP_NAME(_tls_wrong_addresses)(long n) {
  long wrong = 0;
  for (long i = 0; i < n; i++) {
    long *mine = &counter;
    (*mine)++;
    if (mine != current_counter())
      wrong++;
  }
  return wrong;
}

/* A loop the pass polls (its trip count is unknown), so a green thread may switch inside it. */
__attribute__((noinline)) static unsigned burn(volatile unsigned *x, unsigned n) {
  for (unsigned i = 0; i < n; i++)
    *x = *x * 1664525u + 1013904223u;
  return *x;
}

/* h_errno set to this green thread's own value, then read back after code that may switch: the
 * runtime must carry its value with the green thread, and the pass must not read it through the
 * address of the OS thread it ran on before. */
long SP_NAME(_h_errno_mistakes)(long n, int mine) {
  volatile unsigned x = (unsigned)mine;
  long bad = 0;
  for (long i = 0; i < n; i++) {
    h_errno = mine;
    burn(&x, 200);
    if (h_errno != mine)
      bad++;
  }
  return bad;
}

/* The running OS thread's thread pointer (%fs:0 holds its own address on x86-64): an asm statement
 * that clang neither hoists out of a loop nor takes for a call that may switch. */
static inline uintptr_t thread_pointer(void) {
  uintptr_t tp;
  __asm__ volatile("mov %%fs:0, %0" : "=r"(tp));
  return tp;
}

/* A loop without calls, like string.lower in Lua: clang computes the thread-local addresses (errno's,
 * the ctype table pointer's, a variable's) once, before the loop, whose only switch point is its own
 * poll, once per chunk of iterations. Each of them lies at a fixed distance from its OS thread's
 * thread pointer; each iteration counts the addresses that are not at that distance from the
 * running thread's. */
long SP_NAME(_chunked_wrong_addresses)(long n) {
  uintptr_t tp = thread_pointer();
  uintptr_t errno_at = (uintptr_t)&errno - tp, ctype_at = (uintptr_t)__ctype_tolower_loc() - tp,
            counter_at = (uintptr_t)&counter - tp;
  /* Opaque to clang, which would otherwise cancel the addresses out of the comparisons below. */
  __asm__("" : "+r"(errno_at), "+r"(ctype_at), "+r"(counter_at));
  long wrong = 0;
  for (long i = 0; i < n; i++) {
    uintptr_t now = thread_pointer();
    wrong += ((uintptr_t)&errno - now != errno_at) + ((uintptr_t)__ctype_tolower_loc() - now != ctype_at) +
             ((uintptr_t)&counter - now != counter_at);
  }
  return wrong;
}
