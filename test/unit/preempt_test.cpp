// preempt_test.cpp - preemption at hand-written polls in every mechanism, register preservation
// across a preemption (GPRs, direction flag, MXCSR, xmm/ymm/zmm and k registers, the red zone), and
// stop-the-world, including a thread outside the runtime that polls while the world is stopped.
#include <cpuid.h>
#include <pthread.h>

#include <atomic>
#include <cstring>
#include <random>
#include <thread>

#include "runtime_test_util.h"
#include "test_polls.h"

extern "C" void __sp_poll(void);

using sp_test::Go;
using sp_test::RunGreen;

namespace {

class Preempt : public sp_test::ProcsTest {};

sp_stats Stats() {
  sp_stats s;
  sp_stats_get(&s);
  return s;
}

// Spins calling poll() until the counter that `field` reads reaches 5 and a ticker beside it has
// ticked 3 times (or 10 s pass, so a broken runtime fails instead of hanging).
template <typename Poll>
void HogBesideTicker(int procs, Poll poll, uint64_t sp_stats::*field, const char *spdebug,
                     int *ticks_out, uint64_t *count_out) {
  std::atomic<int> ticks{0};
  std::atomic<bool> hog_done{false};
  uint64_t count = 0;
  RunGreen(
      procs,
      [&] {
        sp_waitgroup wg = SP_WAITGROUP_INIT;
        sp_wg_add(&wg, 2);
        Go([&] {
          while (!hog_done.load()) {
            sp_sleep_ns(100000);
            ticks++;
          }
          sp_wg_done(&wg);
        });
        Go([&] {
          int64_t give_up = sp_now_ns() + 10000000000LL;
          while ((Stats().*field < 5 || ticks.load() < 3) && sp_now_ns() < give_up)
            for (int i = 0; i < 1000; i++)
              poll();
          count = Stats().*field;
          hog_done = true;
          sp_wg_done(&wg);
        });
        sp_wg_wait(&wg);
      },
      spdebug);
  *ticks_out = ticks.load();
  *count_out = count;
}

TEST_P(Preempt, ThreadPagePollPreemptsHogAndTickerKeepsTicking) {
  int ticks;
  uint64_t n;
  HogBesideTicker(procs(), sp_test_thread_page_poll, &sp_stats::preemptions_signal,
                  "quantum=500", &ticks, &n);
  EXPECT_GE(n, 5u);
  EXPECT_GE(ticks, 3);
  EXPECT_GT(Stats().preempt_latency.count, 0u);
}

TEST_P(Preempt, FlagPollPreemptsThroughPollSlow) {
  int ticks;
  uint64_t n;
  HogBesideTicker(procs(), sp_test_flag_poll, &sp_stats::preemptions_flag, "quantum=500", &ticks,
                  &n);
  EXPECT_GE(n, 5u);
  EXPECT_GE(ticks, 3);
}

TEST_P(Preempt, CallPollPreemptsThroughSpPoll) {
  int ticks;
  uint64_t n;
  HogBesideTicker(procs(), __sp_poll, &sp_stats::preemptions_call, "quantum=500", &ticks, &n);
  EXPECT_GE(n, 5u);
  EXPECT_GE(ticks, 3);
}

TEST_P(Preempt, PoisonedStackGuardPreemptsAtFunctionEntry) {
  int ticks;
  uint64_t n;
  HogBesideTicker(procs(), sp_test_entry_check, &sp_stats::preemptions_entry, "quantum=500",
                  &ticks, &n);
  EXPECT_GE(n, 5u);
  EXPECT_GE(ticks, 3);
}

TEST_P(Preempt, AsyncPreemptOffLetsTheHogStarveTheTicker) {
  if (procs() != 1)
    GTEST_SKIP() << "with more Ps the ticker runs on another one";
  std::atomic<int> ticks{0};
  int ticks_while_hogging = -1;
  RunGreen(
      1,
      [&] {
        sp_waitgroup wg = SP_WAITGROUP_INIT;
        sp_wg_add(&wg, 1);
        std::atomic<bool> stop{false};
        Go([&] {
          while (!stop.load()) {
            sp_sleep_ns(100000);
            ticks++;
          }
        });
        Go([&] {
          int before = ticks.load();
          int64_t end = sp_now_ns() + 30000000;
          while (sp_now_ns() < end)
            sp_test_thread_page_poll();
          ticks_while_hogging = ticks.load() - before;
          stop = true;
          sp_wg_done(&wg);
        });
        sp_wg_wait(&wg);
      },
      "quantum=500,asyncpreemptoff=1");
  EXPECT_EQ(ticks_while_hogging, 0);
  EXPECT_EQ(Stats().preemptions, 0u);
}

// 0: xmm0-15, 1: ymm0-15, 2: zmm0-31 and k0-7 - whatever this CPU and OS enable.
int VectorKindSupported(int kind) {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE))
    return kind == 0;
  uint32_t lo, hi;
  __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  if (kind == 1)
    return (c & bit_AVX) && (lo & 0x6) == 0x6;
  if (kind == 2) {
    __cpuid_count(7, 0, a, b, c, d);
    return (b & bit_AVX512F) && (lo & 0xe6) == 0xe6;
  }
  return 1;
}

void FillImage(RegImage *img, std::mt19937_64 &rng) {
  memset(img, 0, sizeof(*img));
  for (auto &r : img->gpr)
    r = rng();
  img->mxcsr = 0x1f80 | (1u << 13);  // all exceptions masked, round down
  for (auto &v : img->vec)
    for (size_t i = 0; i < sizeof(v); i += 8) {
      uint64_t x = rng();
      memcpy(&v[i], &x, 8);
    }
  for (auto &k : img->k)
    k = rng();
  for (auto &r : img->redzone)
    r = rng();
}

// Compares what `kind` covers; returns an empty string or what differed.
std::string CompareImages(const RegImage &in, const RegImage &out, int kind) {
  static const char *names[14] = {"rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "r8",
                                  "r9",  "r10", "r12", "r13", "r14", "r15", "rax"};
  for (int i = 0; i < 14; i++)
    if (in.gpr[i] != out.gpr[i])
      return std::string(names[i]) + " changed";
  if (!(out.rflags & 0x400))
    return "direction flag lost";
  for (int i = 0; i < 14; i++)
    if (in.redzone[i] != out.redzone[i])
      return "red zone slot " + std::to_string(i) + " overwritten";
  if (out.mxcsr != in.mxcsr)
    return "MXCSR changed";
  int nvec = kind == 2 ? 32 : 16, width = kind == 2 ? 64 : kind == 1 ? 32 : 16;
  for (int i = 0; i < nvec; i++)
    if (memcmp(in.vec[i], out.vec[i], width) != 0)
      return "vector register " + std::to_string(i) + " changed";
  if (kind == 2)
    for (int i = 0; i < 8; i++)
      if (in.k[i] != out.k[i])
        return "k" + std::to_string(i) + " changed";
  return "";
}

class PreemptRegs : public ::testing::TestWithParam<std::tuple<int, int>> {};

TEST_P(PreemptRegs, EveryRegisterSurvivesPreemptionAtAPagePoll) {
  int procs = std::get<0>(GetParam()), kind = std::get<1>(GetParam());
  if (!VectorKindSupported(kind))
    GTEST_SKIP() << "vector kind " << kind << " not enabled on this machine";
  std::atomic<int> failures{0};
  std::string first_failure;
  std::atomic<int> migrations{0};
  RunGreen(
      procs,
      [&] {
        int nhogs = procs == 1 ? 1 : procs + 1;
        sp_waitgroup wg = SP_WAITGROUP_INIT;
        sp_wg_add(&wg, nhogs);
        for (int h = 0; h < nhogs; h++) {
          Go([&, h] {
            std::mt19937_64 rng(h + 1);
            auto *in = new RegImage, *out = new RegImage;
            int64_t give_up = sp_now_ns() + 10000000000LL;
            while (Stats().preemptions_signal < 20 && sp_now_ns() < give_up) {
              FillImage(in, rng);
              pthread_t before = pthread_self();
              sp_test_regs_thread_page(in, out, kind);
              if (!pthread_equal(before, pthread_self()))
                migrations++;
              std::string diff = CompareImages(*in, *out, kind);
              if (!diff.empty() && failures++ == 0)
                first_failure = diff;
            }
            delete in;
            delete out;
            sp_wg_done(&wg);
          });
        }
        sp_wg_wait(&wg);
      },
      "quantum=200");
  EXPECT_EQ(failures.load(), 0) << first_failure;
  EXPECT_GE(Stats().preemptions_signal, 20u);
  if (procs > 1)
    RecordProperty("migrations", migrations.load());
}

std::string ProcsAndVectorName(const ::testing::TestParamInfo<std::tuple<int, int>> &info) {
  static const char *kinds[] = {"Xmm", "Ymm", "ZmmAndK"};
  return "Procs" + std::to_string(std::get<0>(info.param)) + kinds[std::get<1>(info.param)];
}

INSTANTIATE_TEST_SUITE_P(ProcsAndVectors, PreemptRegs,
                         ::testing::Combine(::testing::Values(1, 2, 4), ::testing::Values(0, 1, 2)),
                         ProcsAndVectorName);

TEST_P(Preempt, StopTheWorldParksHogsOnEveryProcessor) {
  int n = procs();
  std::atomic<uint64_t> iterations[4] = {};
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  bool frozen = false;
  RunGreen(
      n,
      [&] {
        sp_waitgroup wg = SP_WAITGROUP_INIT;
        sp_wg_add(&wg, n);
        for (int h = 0; h < n; h++) {
          Go([&, h] {
            std::mt19937_64 rng(h + 7);
            auto *in = new RegImage, *out = new RegImage;
            while (!stop.load()) {
              FillImage(in, rng);
              sp_test_regs_global_page(in, out, 0);
              if (!CompareImages(*in, *out, 0).empty())
                failures++;
              sp_test_thread_page_poll();  // lets sysmon's quantum give the main G a turn
              iterations[h]++;
            }
            delete in;
            delete out;
            sp_wg_done(&wg);
          });
        }
        sp_sleep_ns(20000000);
        sp_stop_the_world();
        uint64_t before[4], after[4];
        for (int h = 0; h < n; h++)
          before[h] = iterations[h].load();
        for (int64_t end = sp_now_ns() + 5000000; sp_now_ns() < end;) {
        }
        for (int h = 0; h < n; h++)
          after[h] = iterations[h].load();
        sp_start_the_world();
        frozen = memcmp(before, after, sizeof(uint64_t) * n) == 0;
        stop = true;
        sp_wg_wait(&wg);
      },
      "quantum=1000");
  EXPECT_TRUE(frozen) << "a hog kept running while the world was stopped";
  EXPECT_EQ(failures.load(), 0);
  sp_stats s = Stats();
  EXPECT_EQ(s.stop_the_worlds, 1u);
  EXPECT_EQ(s.time_to_safepoint.count, 1u);
}

// Only global-page polls: the runtime knows the thread pages of its own Ms only, so an outsider's
// thread-page polls never stop (docs/runtime.md, Stop the world).
TEST_P(Preempt, ThreadOutsideTheRuntimeWaitsAtItsGlobalPagePollWhileTheWorldIsStopped) {
  std::atomic<uint64_t> polls{0};
  std::atomic<bool> stop{false};
  bool frozen = false, resumed = false;
  std::thread outsider([&] {
    while (!stop.load()) {
      sp_test_global_page_poll();
      polls++;
    }
  });
  RunGreen(procs(), [&] {
    while (polls.load() < 1000) {
    }
    sp_stop_the_world();
    for (int64_t end = sp_now_ns() + 3000000; sp_now_ns() < end;) {
    }
    uint64_t a = polls.load();
    for (int64_t end = sp_now_ns() + 3000000; sp_now_ns() < end;) {
    }
    // At most one more: the outsider may have passed its poll just before the page was
    // protected and been descheduled before counting it.
    frozen = polls.load() <= a + 1;
    sp_start_the_world();
    int64_t give_up = sp_now_ns() + 5000000000LL;
    while (polls.load() == a && sp_now_ns() < give_up) {
    }
    resumed = polls.load() > a;
  });
  stop = true;
  outsider.join();
  EXPECT_TRUE(frozen);
  EXPECT_TRUE(resumed);
}

// Two green threads handing a value back and forth through runnext (each polls once per round)
// inherit one time slice: after a quantum they are preempted and a third green thread, queued
// behind them on the same P, gets to run.
TEST_P(Preempt, ChannelPingPongPairDoesNotStarveTheRestOfTheQueue) {
  std::atomic<bool> third_ran{false};
  bool ran_while_pair_busy = false;
  RunGreen(
      procs(),
      [&] {
        sp_chan *ping = sp_chan_make(sizeof(int), 0), *pong = sp_chan_make(sizeof(int), 0);
        sp_waitgroup wg = SP_WAITGROUP_INIT;
        sp_wg_add(&wg, 3);
        Go([&] {
          int v = 0;
          while (sp_chan_recv(ping, &v)) {
            sp_test_thread_page_poll();
            sp_chan_send(pong, &v);
          }
          sp_wg_done(&wg);
        });
        Go([&] {
          int64_t give_up = sp_now_ns() + 10000000000LL;
          for (int v = 0; !third_ran.load() && sp_now_ns() < give_up; v++) {
            if (v == 100) {
              // The third green thread runs once, then yields: that puts it in the ring, behind
              // a pair that from then on always has one of them in runnext.
              Go([&] {
                sp_yield();
                third_ran = true;
                sp_wg_done(&wg);
              });
            }
            sp_test_thread_page_poll();
            sp_chan_send(ping, &v);
            sp_chan_recv(pong, &v);
          }
          ran_while_pair_busy = third_ran.load();
          sp_chan_close(ping);
          sp_wg_done(&wg);
        });
        sp_wg_wait(&wg);
        sp_chan_free(ping);
        sp_chan_free(pong);
      },
      "quantum=1000");
  EXPECT_TRUE(ran_while_pair_busy);
}

TEST_P(Preempt, LockedGreenThreadResumesOnItsThreadAfterEveryPreemption) {
  int moved = 0;
  uint64_t preempted = 0;
  RunGreen(
      procs(),
      [&] {
        sp_waitgroup wg = SP_WAITGROUP_INIT;
        sp_wg_add(&wg, 2);
        std::atomic<bool> stop{false};
        Go([&] {  // competition for the Ps, so the locked G really has to give its P away
          while (!stop.load())
            sp_test_thread_page_poll();
          sp_wg_done(&wg);
        });
        Go([&] {
          sp_lock_os_thread();
          pthread_t self = pthread_self();
          int64_t give_up = sp_now_ns() + 10000000000LL;
          while (Stats().preemptions_signal < 10 && sp_now_ns() < give_up) {
            sp_test_thread_page_poll();
            if (!pthread_equal(self, pthread_self()))
              moved++;
          }
          preempted = Stats().preemptions_signal;
          sp_unlock_os_thread();
          stop = true;
          sp_wg_done(&wg);
        });
        sp_wg_wait(&wg);
      },
      "quantum=500");
  EXPECT_GE(preempted, 10u);
  EXPECT_EQ(moved, 0);
}

SP_INSTANTIATE_PROCS(Preempt);

}  // namespace
