// dispatch_loop_test.cpp - interpreter dispatch loops (dispatch_loop_workload.c, compiled in every
// poll mode; plugin/DispatchLoops.h) compute what plain code computes while green threads running
// them are preempted every 100 us and migrate between Ps, and a long run of each is preempted on
// one P beside a ticker.
#include "runtime_test_util.h"

#include <atomic>
#include <cstdint>

extern "C" {
#define SP_DECLARE_DISPATCH_LOOPS(prefix)           \
  uint64_t prefix##_switch_break(int64_t n);        \
  uint64_t prefix##_switch_continue(int64_t n);     \
  uint64_t prefix##_break_and_continue(int64_t n);  \
  uint64_t prefix##_computed_goto(int64_t n);
SP_DECLARE_DISPATCH_LOOPS(sp_dispatch_thread_page)
SP_DECLARE_DISPATCH_LOOPS(sp_dispatch_global_page)
SP_DECLARE_DISPATCH_LOOPS(sp_dispatch_flag)
SP_DECLARE_DISPATCH_LOOPS(sp_dispatch_call)

// The workload's call out of its `while (1) switch` loop.
std::atomic<int64_t> g_notes{0};
void sp_dispatch_note(int64_t value) { g_notes += value > 0; }
}

namespace {

struct Variant {
  const char *name;
  uint64_t (*interp[4])(int64_t);
};

#define SP_DISPATCH_VARIANT(name, prefix) \
  {name,                                                                                     \
   {prefix##_switch_break, prefix##_switch_continue, prefix##_break_and_continue,              \
    prefix##_computed_goto}}
const Variant kVariants[] = {
    SP_DISPATCH_VARIANT("ThreadPage", sp_dispatch_thread_page),
    SP_DISPATCH_VARIANT("GlobalPage", sp_dispatch_global_page),
    SP_DISPATCH_VARIANT("Flag", sp_dispatch_flag),
    SP_DISPATCH_VARIANT("Call", sp_dispatch_call),
};

// What the workload's bytecode computes, in this file, which the pass does not instrument.
uint64_t PlainCollatzSteps(int64_t n) {
  uint64_t total = 0;
  for (int64_t i = 1; i < n; i++)
    for (int64_t x = i; x != 1; total++)
      x = x & 1 ? 3 * x + 1 : x / 2;
  return total;
}

using DispatchLoops = sp_test::VariantsAndProcsTest<kVariants>;

// Four green threads run every interpreter on inputs of 1..40 (a few hundred to a few thousand
// dispatches: around the counter's 1024 in the flag and call modes) until the runtime has counted
// 50 preemptions.
TEST_P(DispatchLoops, ResultsMatchPlainCodeWhilePreempted) {
  const Variant &v = variant();
  unsigned long mistakes = sp_test::MistakesWhilePreempted(procs(), 4, 50, 1, [&](int worker) {
    unsigned long wrong = 0;
    for (int64_t n = 1 + worker; n <= 40; n += 4)
      for (auto *interp : v.interp)
        wrong += interp(n) != PlainCollatzSteps(n);
    return wrong;
  });
  EXPECT_EQ(mistakes, 0u);
}

SP_INSTANTIATE_VARIANTS_AND_PROCS(DispatchLoops, kVariants, 1, 2, 4);

// On one P beside a ticker: each interpreter running a long program still lets the ticker tick.
class DispatchLoopHogs : public ::testing::TestWithParam<int> {};

constexpr int64_t kHogLimit = 60000;

TEST_P(DispatchLoopHogs, EachInterpreterIsPreempted) {
  const Variant &v = kVariants[GetParam()];
  uint64_t want = PlainCollatzSteps(kHogLimit);
  for (auto *interp : v.interp) {
    uint64_t got = 0;
    EXPECT_GE(sp_test::TicksBesideHog([&] { got = interp(kHogLimit); }), 1);
    EXPECT_EQ(got, want);
  }
}

INSTANTIATE_TEST_SUITE_P(Modes, DispatchLoopHogs, ::testing::Range(0, 4),
                         [](const ::testing::TestParamInfo<int> &info) {
                           return std::string(kVariants[info.param].name);
                         });

}  // namespace
