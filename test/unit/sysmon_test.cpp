// sysmon_test.cpp - sysmon's wake-up rule, with hogs compiled in each poll mode: sysmon looks at a
// P again for the quantum of whatever green thread runs there next, not at its 10 ms default
// wake-up, also when that green thread starts on a P that was idle. Tests count preemptions against
// the CPU time the hog used; they never assert a timing.
#include <time.h>

#include "hog_modes.h"

using sp_test::Go;
using sp_test::RunGreen;

namespace {

using Mode = sp_test::HogMode;
constexpr const auto &kModes = sp_test::kHogModes;

class SysmonTest : public sp_test::VariantsAndProcsTest<kModes> {
 protected:
  const Mode &mode() const { return variant(); }
};

uint64_t Preemptions() {
  sp_stats s;
  sp_stats_get(&s);
  return s.preemptions;
}

// CPU time of the whole process: the hog's, plus sysmon's and the scheduler's, which only make the
// bound below stricter.
int64_t ProcessCpuNs() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// A sysmon blind after its requests asks the one running green thread at most once per 10 ms
// wake-up, so on a quiet machine, where the hog has a CPU to itself, the hog computes about 10 ms
// between two preemptions. With the fix it computes about a quantum (100 us) plus the stop latency
// (0.13-0.6 ms of CPU per preemption at a load of 12-14). The bound is a quarter of the blind
// sysmon's 10 ms, counted in CPU time, not wall-clock time: on a loaded machine the OS runs the hog
// less, which leaves fewer preemptions in the same wall-clock time but not fewer per CPU
// millisecond (a wall-clock bound failed at a load of 25). This binary holds hogs of all four modes,
// and its global-page sites gave the old sysmon an escalation wake-up after every request, which
// hid the blind spot from some modes here; test/lit/e2e/sysmon-quantum.test builds one binary per
// mode, and failed before the fix in every mode at 1 and 2 Ps.
constexpr int64_t kCpuPerPreemptionBoundNs = 2500000;

struct HogRun {
  uint64_t preempted = 0;
  int64_t cpu_ns = 0;
  int64_t wall_ns = 0;
};

// Runs one hog green thread (on whichever of procs() Ps the scheduler puts it, migrating freely;
// the other Ps stay idle) until it has been preempted 100 times or 5 s have passed. step() is one
// round of its work.
template <typename Step>
HogRun RunOneHog(int procs, Step step) {
  constexpr uint64_t kPreemptions = 100;
  HogRun run;
  RunGreen(
      procs,
      [&] {
        sp_waitgroup wg = SP_WAITGROUP_INIT;
        sp_wg_add(&wg, 1);
        uint64_t before = Preemptions();
        int64_t t0 = sp_now_ns();
        int64_t cpu0 = ProcessCpuNs();
        Go([&] {
          while (Preemptions() - before < kPreemptions && sp_now_ns() - t0 < 5000000000LL)
            step();
          sp_wg_done(&wg);
        });
        sp_wg_wait(&wg);
        run.cpu_ns = ProcessCpuNs() - cpu0;
        run.wall_ns = sp_now_ns() - t0;
        run.preempted = Preemptions() - before;
      },
      "quantum=100");
  return run;
}

void ExpectPreemptedEveryFewQuanta(const HogRun &run, int procs) {
  EXPECT_GT(run.preempted, uint64_t(run.cpu_ns / kCpuPerPreemptionBoundNs))
      << run.preempted << " preemptions in " << run.cpu_ns / 1000000 << " ms of CPU time ("
      << run.wall_ns / 1000000 << " ms wall-clock) on " << procs << " P";
}

// One hog, nothing else runnable, quantum 100 us: every time slice ends in a preemption request,
// and the next slice starts unseen by sysmon, right after it.
TEST_P(SysmonTest, LooksAgainAtTheQuantumOfTheNextGreenThread) {
  const Mode &m = mode();
  ExpectPreemptedEveryFewQuanta(RunOneHog(procs(), [&] { m.spin_for(50000); }), procs());
}

// A green thread that sleeps 1 ms (its P goes idle), then computes 5 ms: each time, an M takes an
// idle P back and runs a G whose quantum (100 us) sysmon had no reason to watch.
TEST_P(SysmonTest, WatchesAGreenThreadThatStartsOnAnIdleP) {
  const Mode &m = mode();
  ExpectPreemptedEveryFewQuanta(RunOneHog(procs(),
                                          [&] {
                                            sp_sleep_ns(1000000);
                                            m.spin_for(5000000);
                                          }),
                                procs());
}

// 1 and 2 Ps: at 2 the hog moves between Ps and the other P is idle, so nothing else wakes sysmon.
SP_INSTANTIATE_VARIANTS_AND_PROCS(SysmonTest, kModes, 1, 2);

}  // namespace
