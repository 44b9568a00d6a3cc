// runtime_test_util.h - running a test body as the main green thread of a fresh runtime.
#ifndef SP_RUNTIME_TEST_UTIL_H
#define SP_RUNTIME_TEST_UTIL_H

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <atomic>
#include <cstdlib>
#include <functional>
#include <iterator>
#include <string>
#include <tuple>

#include "safepoint.h"

namespace sp_test {

inline std::function<int()> &MainBody() {
  static std::function<int()> body;
  return body;
}

inline int MainTrampoline(int, char **) { return MainBody()(); }

// RunGreen() starts the runtime with SPMAXPROCS=procs (and SPDEBUG=spdebug) and runs body as its
// main green thread; returns what body returns once sp_main has shut the runtime down.
inline int RunGreen(int procs, std::function<int()> body, const char *spdebug = "") {
  setenv("SPMAXPROCS", std::to_string(procs).c_str(), 1);
  setenv("SPDEBUG", spdebug, 1);
  MainBody() = std::move(body);
  char arg0[] = "test";
  char *argv[] = {arg0, nullptr};
  int r = sp_main(MainTrampoline, 1, argv);
  MainBody() = nullptr;
  return r;
}

inline int RunGreen(int procs, std::function<void()> body, const char *spdebug = "") {
  return RunGreen(
      procs, std::function<int()>([&body] { body(); return 0; }), spdebug);
}

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SP_TEST_SANITIZED 1
#endif
#endif

// How a genuine SIGSEGV ends a test process: killed by the default action or, under a sanitizer
// (whose SIGSEGV handler was installed first, so ours chains to it), by the sanitizer's report.
inline std::function<bool(int)> DiesOfSegv() {
#ifdef SP_TEST_SANITIZED
  return [](int status) {
    return (WIFEXITED(status) && WEXITSTATUS(status) != 0) ||
           (WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
  };
#else
  return ::testing::KilledBySignal(SIGSEGV);
#endif
}

// Tests run once per processor count.
class ProcsTest : public ::testing::TestWithParam<int> {
 protected:
  int procs() const { return GetParam(); }
};

// Death tests: re-executed children ("threadsafe": the parent has threads). A sanitized crash
// report is slow to produce, so under a sanitizer they run with SPMAXPROCS=1 only (what they
// check, how a crash or misuse ends the process, does not depend on the processor count).
class ProcsDeathTest : public ProcsTest {
 protected:
  void SetUp() override {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
#ifdef SP_TEST_SANITIZED
    if (procs() != 1)
      GTEST_SKIP() << "death tests run with SPMAXPROCS=1 only under a sanitizer";
#endif
  }
};

inline std::string ProcsName(const ::testing::TestParamInfo<int> &info) {
  return "Procs" + std::to_string(info.param);
}

#define SP_INSTANTIATE_PROCS(suite) \
  INSTANTIATE_TEST_SUITE_P(Procs, suite, ::testing::Values(1, 2, 4), ::sp_test::ProcsName)

// Spawns a lambda as a green thread (sp::go, under the name the tests use).
template <typename F>
void Go(F f) {
  sp::go(std::move(f));
}

// Runs body(i) in n green threads, i = 0 .. n-1, and returns when all have returned.
template <typename F>
void GoEach(int n, F body) {
  sp_waitgroup wg = SP_WAITGROUP_INIT;
  sp_wg_add(&wg, n);
  for (int i = 0; i < n; i++)
    Go([&wg, &body, i] {
      body(i);
      sp_wg_done(&wg);
    });
  sp_wg_wait(&wg);
}

// The poll modes as sp_add_instrumented_objects names them: X(symbol_part, TestName) for each, to
// declare a workload's per-mode functions and build a table of them without writing out the four.
#define SP_FOR_EACH_POLL_MODE(X) \
  X(thread_page, ThreadPage)     \
  X(global_page, GlobalPage)     \
  X(flag, Flag)                  \
  X(call, Call)

// Tests run once per entry of a table (poll modes, or other variants; each entry has a `name`) and
// processor count; instantiate them with SP_INSTANTIATE_VARIANTS_AND_PROCS.
template <const auto &Table>
class VariantsAndProcsTest : public ::testing::TestWithParam<std::tuple<int, int>> {
 protected:
  int procs() const { return std::get<0>(GetParam()); }
  const auto &variant() const { return Table[std::get<1>(GetParam())]; }
};

// Instantiates suite over every entry of table and each processor count given, as
// <entry name>Procs<n>.
#define SP_INSTANTIATE_VARIANTS_AND_PROCS(suite, table, ...)                                      \
  INSTANTIATE_TEST_SUITE_P(                                                                      \
      ModesAndProcs, suite,                                                                      \
      ::testing::Combine(::testing::Values(__VA_ARGS__),                                         \
                         ::testing::Range(0, static_cast<int>(std::size(table)))),               \
      [](const ::testing::TestParamInfo<std::tuple<int, int>> &info) {                           \
        return std::string(table[std::get<1>(info.param)].name) + "Procs" +                      \
               std::to_string(std::get<0>(info.param));                                          \
      })

// RepeatUntilPreempted() runs batch() at least min_batches times, and then again until the runtime
// has counted at least `preemptions` preemptions (sp_stats, all green threads) or 20 s have passed:
// a workload that must be preempted many times to mean anything runs as long as that takes, which
// on a loaded machine or in a slowly preempted mode may be longer than usual.
template <typename F>
void RepeatUntilPreempted(uint64_t preemptions, int min_batches, F batch) {
  int64_t give_up = sp_now_ns() + 20000000000LL;
  for (int n = 0;; n++) {
    if (n >= min_batches) {
      sp_stats s;
      sp_stats_get(&s);
      if (s.preemptions >= preemptions || sp_now_ns() > give_up)
        return;
    }
    batch();
  }
}

// MistakesWhilePreempted() starts a fresh runtime on `procs` Ps, preempting every 100 us, and runs
// n green threads, each calling round(i) (which returns how many mistakes it saw) at least
// min_rounds times and then until the runtime has preempted `preemptions` times; returns the sum of
// the mistakes. Fewer preemptions than asked for (20 s passed first) fail the test: without them
// zero mistakes would mean nothing.
template <typename F>
unsigned long MistakesWhilePreempted(int procs, int n, uint64_t preemptions, int min_rounds,
                                     F round) {
  std::atomic<unsigned long> mistakes{0};
  RunGreen(
      procs,
      [&] {
        GoEach(n, [&](int i) {
          RepeatUntilPreempted(preemptions, min_rounds, [&] { mistakes += round(i); });
        });
      },
      "quantum=100");
  sp_stats s;
  sp_stats_get(&s);
  EXPECT_GE(s.preemptions, preemptions) << "too few preemptions for the test to mean anything";
  return mistakes.load();
}

// TicksBesideHog() starts a fresh runtime on one P (quantum 200 us) and runs hog once beside a
// ticker that sleeps 200 us at a time; returns how often the ticker ticked while hog ran. On one P
// the ticker cannot tick at all while an unpreempted hog runs, so one tick shows preemption (how
// many more depends on the machine's load: tests count, they do not time).
inline int TicksBesideHog(const std::function<void()> &hog) {
  std::atomic<int> ticks{0};
  std::atomic<bool> hogging{false}, done{false};
  int during = -1;
  RunGreen(
      1,
      [&] {
        sp_waitgroup wg = SP_WAITGROUP_INIT;
        sp_wg_add(&wg, 2);
        Go([&] {
          while (!done.load()) {
            sp_sleep_ns(200000);
            if (hogging.load())
              ticks++;
          }
          sp_wg_done(&wg);
        });
        Go([&] {
          sp_sleep_ns(1000000);  // let the ticker start sleeping
          hogging = true;
          hog();
          hogging = false;
          during = ticks.load();
          done = true;
          sp_wg_done(&wg);
        });
        sp_wg_wait(&wg);
      },
      "quantum=200");
  return during;
}

}  // namespace sp_test

#endif  // SP_RUNTIME_TEST_UTIL_H
