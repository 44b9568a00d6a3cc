// blind_spot_test.cpp - code shapes the pass once left without a poll, on one P beside a ticker,
// in every poll mode at -O0 and -O2: a __builtin_setjmp/__builtin_longjmp cycle, a short loop of
// long memcpys, a comparator called by the C library's qsort, and long memsets that unrolling left
// in straight-line code. On one P the ticker can only tick
// while the hog runs if the hog is preempted, so before the fix it ticked 0 times.
#include <atomic>
#include <string>
#include <vector>

#include "runtime_test_util.h"

extern "C" {
#define SP_DECLARE_BLIND_SPOTS(prefix)                                                     \
  void prefix##_setjmp_until(volatile int *stop, volatile unsigned long *count);         \
  void prefix##_copies(char *dst, const char *src);                                      \
  void prefix##_sort(int *values, size_t n);                                             \
  long prefix##_unrolled_sets(char *buf, size_t n);
#define SP_DECLARE_LEVELS(level)                       \
  SP_DECLARE_BLIND_SPOTS(sp_blind_##level##_thread_page) \
  SP_DECLARE_BLIND_SPOTS(sp_blind_##level##_global_page) \
  SP_DECLARE_BLIND_SPOTS(sp_blind_##level##_flag)        \
  SP_DECLARE_BLIND_SPOTS(sp_blind_##level##_call)
SP_DECLARE_LEVELS(O0)
SP_DECLARE_LEVELS(O2)
}

using sp_test::Go;
using sp_test::RunGreen;

namespace {

struct Variant {
  const char *name;
  void (*setjmp_until)(volatile int *, volatile unsigned long *);
  void (*copies)(char *, const char *);
  void (*sort)(int *, size_t);
  long (*unrolled_sets)(char *, size_t);
  uint64_t sp_stats::*counter;  // the preemptions this mode's polls cause
};

#define SP_VARIANT(name, prefix, counter) \
  { name, prefix##_setjmp_until, prefix##_copies, prefix##_sort, prefix##_unrolled_sets, \
    &sp_stats::counter }
const Variant kVariants[] = {
    SP_VARIANT("ThreadPageO0", sp_blind_O0_thread_page, preemptions_signal),
    SP_VARIANT("GlobalPageO0", sp_blind_O0_global_page, preemptions_signal),
    SP_VARIANT("FlagO0", sp_blind_O0_flag, preemptions_flag),
    SP_VARIANT("CallO0", sp_blind_O0_call, preemptions_call),
    SP_VARIANT("ThreadPageO2", sp_blind_O2_thread_page, preemptions_signal),
    SP_VARIANT("GlobalPageO2", sp_blind_O2_global_page, preemptions_signal),
    SP_VARIANT("FlagO2", sp_blind_O2_flag, preemptions_flag),
    SP_VARIANT("CallO2", sp_blind_O2_call, preemptions_call),
};

class BlindSpot : public ::testing::TestWithParam<int> {
 protected:
  const Variant &variant() const { return kVariants[GetParam()]; }

  // sp_test::TicksBesideHog, which also checks the hog was preempted through this mode's polls, or
  // through the counter given (entry checks are the same in every mode).
  int TicksWhileHogging(const std::function<void()> &hog, uint64_t sp_stats::*counter = nullptr) {
    int ticks = sp_test::TicksBesideHog(hog);
    sp_stats s;
    sp_stats_get(&s);
    EXPECT_GE(s.*(counter ? counter : variant().counter), 1u)
        << "never preempted through " << (counter ? "entry checks" : variant().name) << " in "
        << variant().name;
    return ticks;
  }
};

TEST_P(BlindSpot, BuiltinSetjmpCycleIsPreempted) {
  volatile int stop = 0;
  volatile unsigned long count = 0;
  std::atomic<int> ticks{0};
  RunGreen(
      1,
      [&] {
        sp_waitgroup wg = SP_WAITGROUP_INIT;
        sp_wg_add(&wg, 2);
        Go([&] {
          variant().setjmp_until(&stop, &count);
          sp_wg_done(&wg);
        });
        Go([&] {
          int64_t give_up = sp_now_ns() + 10000000000LL;
          while (ticks.load() < 10 && sp_now_ns() < give_up) {
            sp_sleep_ns(200000);
            ticks++;
          }
          stop = 1;
          sp_wg_done(&wg);
        });
        sp_wg_wait(&wg);
      },
      "quantum=200");
  sp_stats s;
  sp_stats_get(&s);
  EXPECT_EQ(ticks.load(), 10);
  EXPECT_GE(s.*variant().counter, 1u);
  EXPECT_GT(count, 0u);
}

TEST_P(BlindSpot, ShortLoopOfLongCopiesIsPreempted) {
  std::vector<char> src(16 << 20, 'x'), dst(16 << 20);
  int ticks = TicksWhileHogging([&] { variant().copies(dst.data(), src.data()); });
  EXPECT_GE(ticks, 1) << "the ticker starved while 40 copies of 16 MiB ran";
  EXPECT_EQ(dst[12345], 'x');
}

TEST_P(BlindSpot, ComparatorCalledByQsortIsPreempted) {
  std::vector<int> values(1 << 20);
  uint32_t x = 12345;
  for (int &v : values) {
    x = x * 1664525u + 1013904223u;
    v = static_cast<int>(x >> 1);
  }
  // The comparator makes no calls and the C library may call it from anywhere: it polls at its
  // entry (with -sp-epilogue-polls=1 it would poll before it returns instead). In thread-page mode
  // that poll is the page load (it calls no uninstrumented code), elsewhere the stack-guard compare.
  bool page_entry_poll = std::string(variant().name).rfind("ThreadPage", 0) == 0;
  int ticks = TicksWhileHogging([&] { variant().sort(values.data(), values.size()); },
                                page_entry_poll ? nullptr : &sp_stats::preemptions_entry);
  EXPECT_GE(ticks, 1) << "the ticker starved while qsort called an instrumented comparator";
  for (size_t i = 1; i < values.size(); i++)
    ASSERT_LE(values[i - 1], values[i]);
}

TEST_P(BlindSpot, UnrolledLongSetsArePreempted) {
  std::vector<char> buf(16 << 20);
  long sum = -1;
  int ticks = TicksWhileHogging([&] { sum = variant().unrolled_sets(buf.data(), buf.size()); });
  EXPECT_GE(ticks, 1) << "the ticker starved while 30 straight-line memsets of 16 MiB ran";
  EXPECT_EQ(sum, 29 * 30 / 2);
}

std::string Name(const ::testing::TestParamInfo<int> &info) { return kVariants[info.param].name; }

INSTANTIATE_TEST_SUITE_P(ModesAndLevels, BlindSpot, ::testing::Range(0, 8), Name);

}  // namespace
