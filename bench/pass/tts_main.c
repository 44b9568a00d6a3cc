/* tts_main.c - runs a benchmark's main() (compiled with -Dmain=sp_bench_main) as the first green
 * thread of sp_main, with a ticker green thread beside it, and reports on stderr how long the
 * benchmark took to stop after each preemption request (the runtime's preempt_latency histogram:
 * from sysmon's request to the green thread stopping at a poll).
 *
 * The ticker sleeps 1 ms at a time, so that a preempted benchmark has someone to yield to; sysmon
 * asks the benchmark to stop every quantum (SPDEBUG=quantum=<us>) whether or not anyone waits.
 * bench/pass/run.py links this with every variant and parses the line it prints. */
#include <safepoint.h>

#include <stdatomic.h>
#include <stdio.h>

int sp_bench_main(int argc, char **argv);

static atomic_int finished;

static void ticker(void *unused) {
  (void)unused;
  while (!atomic_load(&finished))
    sp_sleep_ns(1000 * 1000);
}

static int run(int argc, char **argv) {
  sp_go(ticker, NULL);
  sp_stats_reset();
  int status = sp_bench_main(argc, argv);
  atomic_store(&finished, 1);
  sp_stats stats;
  sp_stats_get(&stats);
  const sp_histogram *h = &stats.preempt_latency;
  fprintf(stderr, "sp-tts: preemptions=%llu requests_timed=%llu p50_ns=%lld p99_ns=%lld max_ns=%llu\n",
          (unsigned long long)stats.preemptions, (unsigned long long)h->count,
          (long long)sp_histogram_percentile_ns(h, 0.5), (long long)sp_histogram_percentile_ns(h, 0.99),
          (unsigned long long)h->max_ns);
  return status;
}

int main(int argc, char **argv) { return sp_main(run, argc, argv); }
