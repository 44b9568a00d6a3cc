/* valgrind-hog.c - a hog that only preemption can stop on one P, a ticker beside it, and a heap
 * block: valgrind's memcheck must run it to the end and find nothing to report. */
#include <safepoint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile int stop;
static unsigned long result;

static void hog(void *done) {
  unsigned long x = 1;
  while (!stop)
    x = x * 6364136223846793005ul + 1442695040888963407ul;
  result = x;
  sp_wg_done(done);
}

static int run(int argc, char **argv) {
  sp_waitgroup wg = SP_WAITGROUP_INIT;
  sp_wg_add(&wg, 1);
  sp_go(hog, &wg);
  int ticks = 0;
  for (int i = 0; i < 5; i++, ticks++)
    sp_sleep_ns(1000000);
  stop = 1;
  sp_wg_wait(&wg);
  char *copy = strdup("heap");
  printf("ticks: %d, %s\n", ticks, copy);
  free(copy);
  return 0;
}

int main(int argc, char **argv) { return sp_main(run, argc, argv); }
