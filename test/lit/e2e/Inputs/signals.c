/* signals.c - signal handlers under preemption (test/lit/e2e/signals.test). Hog green threads keep
 * every P busy while the main green thread takes signals; the handlers spin through polls, so
 * preemption requests arrive while they run.
 *
 *   fpe N           N divisions by zero, each recovered by a SIGFPE handler with siglongjmp
 *   segv-before N   N null-pointer writes recovered by a SIGSEGV handler installed before sp_main
 *   segv-inside N   the same, with the handler installed inside sp_main
 *   segv-return N   N SIGSEGVs sent with raise() to a handler that returns
 *   pipe            a write to a pipe nobody reads: SIGPIPE's default action ends the process
 *   raise           raise(SIGTERM): its default action ends the process
 *   usr1 N          N pthread_kill(pthread_self(), SIGUSR1), then N raise(SIGUSR1), to a handler
 *                   that counts them */
#include <pthread.h>
#include <safepoint.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static sigjmp_buf recover;
static volatile int stop;
static volatile int zero;
static volatile int one = 1;
static volatile unsigned long sink;
static volatile int handled;

/* A loop with polls on its back-edge (the volatile counter hides the trip count). */
static void spin(unsigned long n) {
  volatile unsigned long k = 0;
  unsigned long x = 1;
  while (k < n) {
    k = k + 1;
    x = x * 6364136223846793005ul + (x >> 29) + 1442695040888963407ul;
  }
  sink = x;
}

static void recovering_handler(int sig) {
  spin(100000); /* longer than a quantum: preemption is asked for while the handler runs */
  siglongjmp(recover, sig);
}

static void returning_handler(int sig) {
  (void)sig;
  spin(20000);
  handled++;
}

static void hog(void *arg) {
  (void)arg;
  while (!stop)
    spin(1000);
}

static void install(int sig, void (*fn)(int)) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = fn;
  sigemptyset(&sa.sa_mask);
  if (sigaction(sig, &sa, NULL) != 0)
    abort();
  struct sigaction back;
  sigaction(sig, NULL, &back);
  if (back.sa_handler != fn)
    printf("sigaction reported another handler for signal %d\n", sig);
}

static int recover_from(int sig, int n) {
  int recovered = 0;
  for (int i = 0; i < n; i++) {
    if (sigsetjmp(recover, 1) == 0) {
      if (sig == SIGFPE)
        sink = (unsigned long)(one / zero);
      else
        *(volatile int *)(uintptr_t)(16 + zero) = 1;
    } else {
      recovered++;
    }
  }
  return recovered;
}

static int run(int argc, char **argv) {
  const char *what = argv[1];
  int n = argc > 2 ? atoi(argv[2]) : 0;
  for (int i = 0; i <= sp_maxprocs(); i++)
    sp_go(hog, NULL);
  if (!strcmp(what, "fpe")) {
    install(SIGFPE, recovering_handler);
    printf("fpe recovered %d of %d\n", recover_from(SIGFPE, n), n);
  } else if (!strcmp(what, "segv-before")) {
    printf("segv recovered %d of %d\n", recover_from(SIGSEGV, n), n);
  } else if (!strcmp(what, "segv-inside")) {
    install(SIGSEGV, recovering_handler);
    printf("segv recovered %d of %d\n", recover_from(SIGSEGV, n), n);
  } else if (!strcmp(what, "segv-return")) {
    install(SIGSEGV, returning_handler);
    for (int i = 0; i < n; i++)
      raise(SIGSEGV);
    printf("segv handled %d of %d\n", handled, n);
  } else if (!strcmp(what, "pipe")) {
    int fds[2];
    if (pipe(fds) != 0)
      abort();
    close(fds[0]);
    fflush(stdout);
    ssize_t w = write(fds[1], "x", 1);
    printf("write returned %zd\n", w);
  } else if (!strcmp(what, "raise")) {
    fflush(stdout);
    raise(SIGTERM);
    printf("raise returned\n");
  } else if (!strcmp(what, "usr1")) {
    /* pthread_self() names the OS thread, which changes when the green thread migrates (and the
     * compiler may keep its value across polls: it is declared const): pin, as docs/runtime.md
     * says for any thread identity. raise() needs no pin. */
    install(SIGUSR1, returning_handler);
    sp_lock_os_thread();
    for (int i = 0; i < n; i++) {
      pthread_kill(pthread_self(), SIGUSR1);
      spin(5000);
    }
    sp_unlock_os_thread();
    for (int i = 0; i < n; i++) {
      raise(SIGUSR1);
      spin(5000);
    }
    printf("usr1 handled %d of %d\n", handled, 2 * n);
  }
  stop = 1;
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  if (!strcmp(argv[1], "segv-before"))
    install(SIGSEGV, recovering_handler);
  return sp_main(run, argc, argv);
}
