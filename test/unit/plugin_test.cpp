// plugin_test.cpp - hog loops compiled with the Safepoint pass in each poll mode are preempted on
// one P while a ticker keeps ticking; with SPDEBUG=asyncpreemptoff=1 they are not; stop-the-world
// parks a hog on every P.
#include <atomic>

#include "hog_modes.h"

using sp_test::Go;
using sp_test::RunGreen;

namespace {

struct Mode {
  const char *name;
  unsigned long (*until)(volatile int *);
  unsigned long (*spin_for)(int64_t);
  void (*counting)(volatile int *, volatile unsigned long *);
  uint64_t sp_stats::*counter;  // the preemptions this mode's polls cause
};

#define SP_MODE(name, prefix, counter) \
  { name, prefix##_until, prefix##_for, prefix##_counting, &sp_stats::counter }
const Mode kModes[] = {
    SP_MODE("ThreadPage", sp_hog_thread_page, preemptions_signal),
    SP_MODE("GlobalPage", sp_hog_global_page, preemptions_signal),
    SP_MODE("Flag", sp_hog_flag, preemptions_flag),
    SP_MODE("Call", sp_hog_call, preemptions_call),
};

class PluginHog : public sp_test::VariantsAndProcsTest<kModes> {
 protected:
  const Mode &mode() const { return variant(); }
};

TEST_P(PluginHog, HogIsPreemptedAtItsPollsAndTheTickerKeepsTicking) {
  const Mode &m = mode();
  std::atomic<int> ticks{0};
  volatile int stop = 0;
  RunGreen(
      procs(),
      [&] {
        sp_waitgroup wg = SP_WAITGROUP_INIT;
        sp_wg_add(&wg, 2);
        Go([&] {
          m.until(&stop);
          sp_wg_done(&wg);
        });
        Go([&] {
          int64_t give_up = sp_now_ns() + 10000000000LL;
          auto preempted = [&] {
            sp_stats s;
            sp_stats_get(&s);
            return s.*m.counter > 0;
          };
          while ((ticks.load() < 10 || !preempted()) && sp_now_ns() < give_up) {
            sp_sleep_ns(200000);
            ticks++;
          }
          stop = 1;
          sp_wg_done(&wg);
        });
        sp_wg_wait(&wg);
      },
      "quantum=1000");
  sp_stats s;
  sp_stats_get(&s);
  EXPECT_GE(ticks.load(), 10);
  EXPECT_GE(s.*m.counter, 1u) << "the hog was never preempted through its " << m.name << " polls";
}

TEST_P(PluginHog, AsyncPreemptOffLeavesTheHogRunning) {
  if (procs() != 1)
    GTEST_SKIP() << "with more Ps the ticker runs on another one";
  const Mode &m = mode();
  std::atomic<int> ticks{0};
  int ticks_while_hogging = -1;
  RunGreen(
      1,
      [&] {
        std::atomic<bool> stop{false};
        sp_waitgroup wg = SP_WAITGROUP_INIT;
        sp_wg_add(&wg, 1);
        Go([&] {
          while (!stop.load()) {
            sp_sleep_ns(200000);
            ticks++;
          }
        });
        Go([&] {
          int before = ticks.load();
          m.spin_for(30000000);
          ticks_while_hogging = ticks.load() - before;
          stop = true;
          sp_wg_done(&wg);
        });
        sp_wg_wait(&wg);
      },
      "quantum=1000,asyncpreemptoff=1");
  sp_stats s;
  sp_stats_get(&s);
  EXPECT_EQ(ticks_while_hogging, 0);
  EXPECT_EQ(s.preemptions, 0u);
}

TEST_P(PluginHog, StopTheWorldParksAHogOnEveryProcessor) {
  const Mode &m = mode();
  int n = procs();
  volatile unsigned long counts[4] = {};
  volatile int stop = 0;
  bool frozen = false;
  RunGreen(
      n,
      [&] {
        sp_waitgroup wg = SP_WAITGROUP_INIT;
        sp_wg_add(&wg, n);
        for (int h = 0; h < n; h++)
          Go([&, h] {
            m.counting(&stop, &counts[h]);
            sp_wg_done(&wg);
          });
        sp_sleep_ns(5000000);  // the hogs' quantum expiries give this G a P back
        sp_stop_the_world();
        unsigned long before[4], after[4];
        for (int h = 0; h < n; h++)
          before[h] = counts[h];
        for (int64_t end = sp_now_ns() + 3000000; sp_now_ns() < end;) {
        }
        for (int h = 0; h < n; h++)
          after[h] = counts[h];
        sp_start_the_world();
        frozen = true;
        for (int h = 0; h < n; h++)
          frozen = frozen && before[h] == after[h];
        stop = 1;
        sp_wg_wait(&wg);
      },
      "quantum=1000");
  sp_stats s;
  sp_stats_get(&s);
  EXPECT_TRUE(frozen) << "a " << m.name << " hog kept running while the world was stopped";
  EXPECT_EQ(s.stop_the_worlds, 1u);
}

SP_INSTANTIATE_VARIANTS_AND_PROCS(PluginHog, kModes, 1, 2, 4);

}  // namespace
