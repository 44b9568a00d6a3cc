/* A hog whose loop lives in a shared library, beside a ticker, on one P: the library's polls must be
 * registered with the executable's runtime for the hog to be preempted. */
#include <safepoint.h>

#include <stdio.h>

unsigned long lib_mix(unsigned long x, unsigned long rounds);

static volatile int done;
static int ticks;

static void hog(void *arg) {
  (void)arg;
  int64_t start = sp_now_ns();
  unsigned long x = 1;
  while (sp_now_ns() - start < 200000000)
    x = lib_mix(x, 5000000);
  done = 1;
}

static void tick(void *arg) {
  (void)arg;
  while (!done) {
    sp_sleep_ns(1000000);
    ticks++;
  }
}

static int run(int argc, char **argv) {
  (void)argc;
  (void)argv;
  sp_go(hog, NULL);
  sp_go(tick, NULL);
  while (!done)
    sp_sleep_ns(1000000);
  sp_stats stats;
  sp_stats_get(&stats);
  printf("ticked: %s\npreempted: %s\n", ticks > 0 ? "yes" : "no", stats.preemptions > 0 ? "yes" : "no");
  return 0;
}

int main(int argc, char **argv) { return sp_main(run, argc, argv); }
