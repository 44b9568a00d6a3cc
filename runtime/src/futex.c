/* futex.c - parking OS threads: futex waits with optional timeouts, one-shot notes and the runtime's
 * own lock on top. */
#include <errno.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

/* sp__futex_wait() sleeps while *addr == val, at most timeout_ns (< 0: no limit). Spurious
 * wake-ups are allowed; callers re-check their condition. */
void sp__futex_wait(_Atomic uint32_t *addr, uint32_t val, int64_t timeout_ns) {
  struct timespec ts, *tsp = NULL;
  if (timeout_ns >= 0) {
    ts.tv_sec = timeout_ns / 1000000000;
    ts.tv_nsec = timeout_ns % 1000000000;
    tsp = &ts;
  }
  int saved = errno;
  syscall(SYS_futex, (uint32_t *)addr, FUTEX_WAIT_PRIVATE, val, tsp, NULL, 0);
  errno = saved;
}

void sp__futex_wake(_Atomic uint32_t *addr, int n) {
  int saved = errno;
  syscall(SYS_futex, (uint32_t *)addr, FUTEX_WAKE_PRIVATE, n, NULL, NULL, 0);
  errno = saved;
}

/* A note is a one-shot event: sp__note_sleep() returns once sp__note_wake() has been called, and
 * consumes the wake-up. The sleeper spins briefly first: a wake-up often follows within
 * microseconds, and a futex round trip costs more than that. */
void sp__note_sleep(_Atomic uint32_t *note) {
  for (int i = 0; i < 200; i++) {
    if (atomic_exchange_explicit(note, 0, memory_order_acquire) == 1)
      return;
    __builtin_ia32_pause();
  }
  for (;;) {
    if (atomic_exchange_explicit(note, 0, memory_order_acquire) == 1)
      return;
    sp__futex_wait(note, 0, -1);
  }
}

void sp__note_wake(_Atomic uint32_t *note) {
  atomic_store_explicit(note, 1, memory_order_release);
  sp__futex_wake(note, 1);
}

/* The runtime's own lock (Go's lock_futex.go), for its short critical sections: 0 free, 1 locked, 2
 * locked with waiters. Not a pthread mutex, because the runtime interposes those to count the locks
 * green threads hold (locks.c): its own locks are not the program's, and must work in executables
 * where the interposers cannot find the C library's functions. */
void sp__lock(sp__lock_t *l) {
  uint32_t c = 0;
  if (atomic_compare_exchange_strong_explicit(l, &c, 1, memory_order_acquire, memory_order_relaxed))
    return;
  for (int spins = 0; spins < 100 && c == 1; spins++) {
    __builtin_ia32_pause();
    c = atomic_load_explicit(l, memory_order_relaxed);
    if (c == 0 && atomic_compare_exchange_strong_explicit(l, &c, 1, memory_order_acquire,
                                                          memory_order_relaxed))
      return;
  }
  while (atomic_exchange_explicit(l, 2, memory_order_acquire) != 0)
    sp__futex_wait(l, 2, -1);
}

bool sp__trylock(sp__lock_t *l) {
  uint32_t c = 0;
  return atomic_compare_exchange_strong_explicit(l, &c, 1, memory_order_acquire,
                                                 memory_order_relaxed);
}

void sp__unlock(sp__lock_t *l) {
  if (atomic_exchange_explicit(l, 0, memory_order_release) == 2)
    sp__futex_wake(l, 1);
}
