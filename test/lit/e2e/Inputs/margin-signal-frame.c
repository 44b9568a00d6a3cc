/* A signal delivered to a green thread deep in a recursion of functions that call no
 * uninstrumented code. The program's handler is installed without SA_ONSTACK, as most are, so the
 * kernel writes the signal frame (the interrupted registers and the whole extended state, 1-3 KiB
 * with AVX or AVX-512) on the green thread's stack, below the interrupted frame, and the runtime's
 * wrapper and the handler run below it: code the pass did not instrument, on the stack the margin is
 * for (docs/pass.md, "Why a thread-page entry poll may skip the stack check").
 *
 * The recursion stops 1 KiB above the guard page and spins there until the handler has run; another
 * OS thread sends the signal once it is there. With a stack-guard compare at down()'s entry the
 * overflow is reported 16 KiB above the guard page, before the bottom is reached. Without it, the
 * kernel cannot push the frame, turns the signal into a SIGSEGV with no address in the guard page,
 * and the process dies of it with no report. */
#define _GNU_SOURCE
#include <pthread.h>
#include <safepoint.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "guard-neighbour.h"

static uintptr_t stop_at;
static atomic_int at_bottom, handled;
static pthread_t target;

static void on_signal(int sig) {
  (void)sig;
  atomic_store(&handled, 1);
}

/* Calls only itself: in thread-page mode its entry poll is the thread page's load. */
__attribute__((noinline)) long down(long n) {
  volatile char frame[256];
  frame[0] = (char)n;
  if ((uintptr_t)frame < stop_at) {
    atomic_store(&at_bottom, 1);
    /* Bounded, so that a lost signal ends the test instead of hanging it. */
    for (long spins = 0; !atomic_load(&handled) && spins < 4000000000L; spins++) {
    }
    return frame[0];
  }
  return down(n + 1) + frame[0];
}

static void *send_when_at_bottom(void *arg) {
  (void)arg;
  while (!atomic_load(&at_bottom))
    sched_yield();
  pthread_kill(target, SIGUSR1);
  return NULL;
}

static int body(int argc, char **argv) {
  (void)argv;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR1, &sa, NULL);
  target = pthread_self();
  pthread_t sender;
  pthread_create(&sender, NULL, send_when_at_bottom, NULL);
  stop_at = stack_low_end() + 1024;
  long r = down(argc);
  printf("recursion returned %ld, handler ran %d\n", r > 0 ? 1L : 0L, atomic_load(&handled));
  pthread_join(sender, NULL);
  return 0;
}

int main(int argc, char **argv) { return sp_main(body, argc, argv); }
