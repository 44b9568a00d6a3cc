/* sysmon-quantum.c - one hog green thread, nothing else runnable, on however many Ps SPMAXPROCS
 * gives (the others idle): how much CPU time does it compute between two preemptions? sysmon must
 * look at a P again a quantum after asking its green thread to stop (argv[1] "again": the hog is
 * asked, stops, and runs on unseen) and must watch a green thread that starts on an idle P ("idle":
 * the hog sleeps 1 ms, then computes 5 ms). A sysmon that waited for its 10 ms default wake-up
 * instead asked about once per 10 ms of the hog's computing on a quiet machine.
 *
 * The bound is counted in CPU time, not wall-clock time: a loaded machine runs the hog less, which
 * leaves fewer preemptions per wall-clock second but not per CPU millisecond. Built once per poll
 * mode, so that each binary has that mode's polls only (test/unit/sysmon_test.cpp links all four
 * into one program, where the global-page sites' escalation timer woke the old sysmon anyway). */
#include <safepoint.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

enum { kPreemptions = 100 };
/* A quarter of the 10 ms a blind sysmon leaves between two requests. */
static const int64_t kCpuPerPreemptionBoundNs = 2500000;

static int idle_shape;
static unsigned long result;

static int64_t process_cpu_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static uint64_t preemptions(void) {
  sp_stats s;
  sp_stats_get(&s);
  return s.preemptions;
}

/* Spins for ns nanoseconds of wall-clock time; its loops poll at their back-edges. */
static unsigned long spin_for(int64_t ns) {
  unsigned long x = 1;
  int64_t end = sp_now_ns() + ns;
  while (sp_now_ns() < end)
    for (unsigned long i = 0; i < 100000; i++)
      x = x * 6364136223846793005ul + (x >> 29) + 1442695040888963407ul;
  return x;
}

static uint64_t before;
static int64_t started;

static void hog(void *done) {
  while (preemptions() - before < kPreemptions && sp_now_ns() - started < 5000000000LL) {
    if (idle_shape) {
      sp_sleep_ns(1000000);
      result += spin_for(5000000);
    } else {
      result += spin_for(50000);
    }
  }
  sp_wg_done(done);
}

static int run(int argc, char **argv) {
  if (argc != 2 || (strcmp(argv[1], "again") && strcmp(argv[1], "idle"))) {
    fprintf(stderr, "usage: %s again|idle\n", argv[0]);
    return 2;
  }
  idle_shape = !strcmp(argv[1], "idle");
  sp_waitgroup wg = SP_WAITGROUP_INIT;
  sp_wg_add(&wg, 1);
  before = preemptions();
  started = sp_now_ns();
  int64_t cpu0 = process_cpu_ns();
  sp_go(hog, &wg);
  sp_wg_wait(&wg);
  int64_t cpu = process_cpu_ns() - cpu0;
  uint64_t preempted = preemptions() - before;
  int ok = preempted > (uint64_t)(cpu / kCpuPerPreemptionBoundNs);
  printf("%s: %s on %d P: %llu preemptions in %lld ms of CPU time\n", ok ? "ok" : "too few", argv[1],
         sp_maxprocs(), (unsigned long long)preempted, (long long)(cpu / 1000000));
  return ok ? 0 : 1;
}

int main(int argc, char **argv) { return sp_main(run, argc, argv); }
