/* ticker.c: a hog loop that never yields, beside a ticker that wants to wake every millisecond.
 *
 * Run it on one P (SPMAXPROCS=1). The hog's loop contains no call that could yield: only the
 * compiler's safepoint poll on its back-edge lets the runtime take the P away from it when its
 * quantum (10 ms by default, SPDEBUG=quantum=<us>) runs out. With SPDEBUG=asyncpreemptoff=1 the
 * ticker starves until the hog is done, as it would with any cooperative green-thread library.
 *
 *   SPMAXPROCS=1 ./ticker [milliseconds]
 */
#include <safepoint.h>

#include <stdio.h>
#include <stdlib.h>

enum { MAX_TICKS = 100000 };

static int64_t hog_ns;
static volatile unsigned long hog_result;
static int64_t lateness_ns[MAX_TICKS];
static int ticks;
static volatile int hog_done;

static unsigned long mix(unsigned long x, unsigned long rounds) {
  for (unsigned long i = 0; i < rounds; i++)
    x = x * 6364136223846793005ul + (x >> 29) + 1442695040888963407ul;
  return x;
}

static void hog(void *arg) {
  (void)arg;
  int64_t start = sp_now_ns();
  unsigned long x = 1;
  /* Millions of iterations between clock reads: long stretches with no call at all. */
  while (sp_now_ns() - start < hog_ns)
    x = mix(x, 5000000);
  hog_result = x;
  hog_done = 1;
}

static void ticker(void *arg) {
  (void)arg;
  const int64_t period = 1000000;
  int64_t due = sp_now_ns() + period;
  while (!hog_done && ticks < MAX_TICKS) {
    sp_sleep_ns(period);
    int64_t now = sp_now_ns();
    lateness_ns[ticks++] = now > due ? now - due : 0;
    due = now + period;
  }
}

static int by_value(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

static int run(int argc, char **argv) {
  int ms = argc > 1 ? atoi(argv[1]) : 300;
  if (ms <= 0) {
    fprintf(stderr, "usage: ticker [milliseconds > 0]\n");
    return 2;
  }
  hog_ns = (int64_t)ms * 1000000;
  sp_go(hog, NULL);
  sp_go(ticker, NULL);
  while (!hog_done)
    sp_sleep_ns(1000000);
  int n = ticks;
  printf("hog spun %d ms on %d P; the 1 ms ticker woke %d times meanwhile", ms, sp_maxprocs(), n);
  if (n > 0) {
    qsort(lateness_ns, (size_t)n, sizeof lateness_ns[0], by_value);
    printf(" (late by: median %.2f ms, p99 %.2f ms, max %.2f ms)", lateness_ns[n / 2] / 1e6,
           lateness_ns[(n * 99) / 100] / 1e6, lateness_ns[n - 1] / 1e6);
  }
  sp_stats stats;
  sp_stats_get(&stats);
  printf("; %llu preemptions", (unsigned long long)stats.preemptions);
  if (stats.preempt_latency.count > 0)
    printf(" (request to stop: median %.1f us)",
           sp_histogram_percentile_ns(&stats.preempt_latency, 0.5) / 1e3);
  printf("\n");
  return 0;
}

int main(int argc, char **argv) { return sp_main(run, argc, argv); }
