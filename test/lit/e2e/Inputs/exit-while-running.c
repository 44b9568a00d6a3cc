/* A green thread calls exit() while hogs run on every P: exit's destructors run while the hogs are
 * still preempted through their polls, so the executable's site table must stay registered until
 * the process is gone. */
#include <safepoint.h>
#include <stdlib.h>

int exit_slow_dtor_linked(void);

static void hog(void *arg) {
  (void)arg;
  volatile unsigned long k = 0;
  for (;;)
    k = k + 1;
}

static int run(int argc, char **argv) {
  (void)argc;
  (void)argv;
  for (int i = 0; i <= sp_maxprocs(); i++)
    sp_go(hog, NULL);
  sp_sleep_ns(2000000);
  exit(exit_slow_dtor_linked() ? 0 : 1);
}

int main(int argc, char **argv) { return sp_main(run, argc, argv); }
