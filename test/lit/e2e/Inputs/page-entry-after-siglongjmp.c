/* A green thread leaves a signal handler with siglongjmp, as a program recovering from SIGFPE or
 * SIGSEGV does, after a preemption request arrived while the handler ran, then spins in a
 * recursion beside a ticker that sleeps 1 ms at a time on the same P. It must be preempted while
 * it spins (the ticker ticks).
 *
 * A request that arrives in a handler stays pending, and page-mode polls are disarmed for the rest
 * of the handler; after the jump, the request is taken at the next flag, call or entry-check poll
 * (docs/runtime.md, "Signals"). fib() calls only itself, so its only poll is at entry: the
 * stack-guard compare, or in thread-page mode now the thread page's load. */
#include <safepoint.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static volatile int ticks;
static volatile int done;
static sigjmp_buf recover;

static void ticker(void *arg) {
  (void)arg;
  while (!done) {
    sp_sleep_ns(1000000);
    ticks++;
  }
}

static long long now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Runs long enough that the ticker's wake-up asks this green thread to stop meanwhile (many time
 * slices of 100 us), then jumps out. */
static void on_signal(int sig) {
  (void)sig;
  long long end = now_ns() + 20 * 1000000LL;
  while (now_ns() < end) {
  }
  siglongjmp(recover, 1);
}

long fib(long n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static int body(int argc, char **argv) {
  (void)argv;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR1, &sa, NULL);
  sp_go(ticker, NULL);
  sp_sleep_ns(3000000);
  if (sigsetjmp(recover, 1) == 0)
    raise(SIGUSR1);
  int before = ticks;
  long r = fib(31 + argc);
  int during = ticks - before;
  done = 1;
  printf("fib: result %ld, ticked while spinning: %s\n", r, during > 2 ? "yes" : "no");
  return 0;
}

int main(int argc, char **argv) { return sp_main(body, argc, argv); }
