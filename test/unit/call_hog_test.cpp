// call_hog_test.cpp - hogs made only of calls are preempted on one P beside a ticker, in every poll
// mode at -O0 and -O2, now that entry checks go only on call-graph cycles and on functions code we
// do not see may call: mutual recursion (its entry checks poll), a chain of calls on no cycle
// called from a loop (the loop polls, the chain has no entry checks), and, at -O2, mutual recursion
// by sibling calls, which never returns nor grows the stack; self-recursion and a callback called
// from an uninstrumented loop, whose entry polls are the thread page's load in thread-page mode;
// and recursion through uninstrumented code, whose indirect call keeps the stack-guard compare.
// On one P the ticker can only tick while the hog runs if the hog is preempted. Each result is compared with the plain computation.
#include <string>

#include "runtime_test_util.h"

extern "C" {
#define SP_DECLARE_CALL_HOGS(prefix)                                          \
  unsigned long prefix##_mutual_fib(unsigned n);                              \
  unsigned long prefix##_chain_in_loop(unsigned long n);                      \
  unsigned long prefix##_mutual_tail_calls(unsigned long n);                  \
  unsigned long prefix##_self_fib(unsigned n);                                \
  unsigned long prefix##_callback(unsigned long x);                           \
  unsigned long prefix##_through_caller(unsigned n, unsigned long (*again)(unsigned)); \
  unsigned long prefix##_first_call_polls(unsigned long x);
#define SP_DECLARE_LEVELS(level)                      \
  SP_DECLARE_CALL_HOGS(sp_calls_##level##_thread_page) \
  SP_DECLARE_CALL_HOGS(sp_calls_##level##_global_page) \
  SP_DECLARE_CALL_HOGS(sp_calls_##level##_flag)        \
  SP_DECLARE_CALL_HOGS(sp_calls_##level##_call)
SP_DECLARE_LEVELS(O0)
SP_DECLARE_LEVELS(O2)
}

namespace {

struct Variant {
  const char *name;
  unsigned long (*mutual_fib)(unsigned);
  unsigned long (*chain_in_loop)(unsigned long);
  unsigned long (*mutual_tail_calls)(unsigned long);  // null where calls are not jumps (-O0)
  unsigned long (*self_fib)(unsigned);
  unsigned long (*callback)(unsigned long);
  unsigned long (*through_caller)(unsigned, unsigned long (*)(unsigned));
  unsigned long (*first_call_polls)(unsigned long);
};

#define SP_VARIANT(name, prefix, tail)                                                         \
  {                                                                                            \
    name, prefix##_mutual_fib, prefix##_chain_in_loop, tail, prefix##_self_fib,                \
        prefix##_callback, prefix##_through_caller, prefix##_first_call_polls                  \
  }

// Entry polls stop the G through the thread page's fault in thread-page mode (the runtime's guard
// region, not a compare, keeps uninstrumented callees off the stack's bottom), through the stack
// guard elsewhere.
uint64_t PreemptionsThrough(uint64_t sp_stats::*counter) {
  sp_stats s;
  sp_stats_get(&s);
  return s.*counter;
}
bool IsThreadPage(const char *name) { return std::string(name).rfind("ThreadPage", 0) == 0; }
const Variant kVariants[] = {
    SP_VARIANT("ThreadPageO0", sp_calls_O0_thread_page, nullptr),
    SP_VARIANT("GlobalPageO0", sp_calls_O0_global_page, nullptr),
    SP_VARIANT("FlagO0", sp_calls_O0_flag, nullptr),
    SP_VARIANT("CallO0", sp_calls_O0_call, nullptr),
    SP_VARIANT("ThreadPageO2", sp_calls_O2_thread_page, sp_calls_O2_thread_page_mutual_tail_calls),
    SP_VARIANT("GlobalPageO2", sp_calls_O2_global_page, sp_calls_O2_global_page_mutual_tail_calls),
    SP_VARIANT("FlagO2", sp_calls_O2_flag, sp_calls_O2_flag_mutual_tail_calls),
    SP_VARIANT("CallO2", sp_calls_O2_call, sp_calls_O2_call_mutual_tail_calls),
};

unsigned long PlainFib(unsigned n) {
  unsigned long a = 0, b = 1;
  for (unsigned i = 0; i < n; i++) {
    unsigned long next = a + b;
    a = b;
    b = next;
  }
  return a;
}

unsigned long PlainChain(unsigned long x, int link) {
  if (link == 8)
    return x ^ (x >> 13);
  return PlainChain(x * 2654435761u + 1, link + 1) ^ (x >> 7);
}

unsigned long PlainChainInLoop(unsigned long n) {
  unsigned long sum = 0;
  for (unsigned long i = 0; i < n; i++)
    sum += PlainChain(i + sum, 0);
  return sum;
}

unsigned long PlainMutualTailCalls(unsigned long n) {
  unsigned long acc = 1;
  for (bool ping = true; n != 0; n--, ping = !ping)
    acc = ping ? acc * 31 + n : acc ^ (n << 3);
  return acc;
}

unsigned long PlainScramble(unsigned long x) { return (x * 2654435761u + 1) ^ (x >> 11); }

// The uninstrumented half of a recursion through code the pass does not see (this file is not
// instrumented): it calls the instrumented half of the current variant back.
const Variant *g_through_variant;
unsigned long CallBackThrough(unsigned n) {
  return g_through_variant->through_caller(n, CallBackThrough);
}

class CallHog : public ::testing::TestWithParam<int> {
 protected:
  const Variant &variant() const { return kVariants[GetParam()]; }
};

TEST_P(CallHog, MutualRecursionIsPreempted) {
  unsigned long result = 0;
  int ticks = sp_test::TicksBesideHog([&] { result = variant().mutual_fib(32); });
  EXPECT_GE(ticks, 1) << "the ticker starved while mutual recursion ran";
  EXPECT_EQ(result, PlainFib(32));
}

TEST_P(CallHog, ChainOfCallsInALoopIsPreempted) {
  const unsigned long n = 2000000;
  unsigned long result = 0;
  int ticks = sp_test::TicksBesideHog([&] { result = variant().chain_in_loop(n); });
  EXPECT_GE(ticks, 1) << "the ticker starved while a loop called a chain of calls";
  EXPECT_EQ(result, PlainChainInLoop(n));
}

TEST_P(CallHog, MutualSiblingCallsArePreempted) {
  if (!variant().mutual_tail_calls)
    GTEST_SKIP() << "at -O0 the calls are not sibling calls";
  const unsigned long n = 100000000;
  unsigned long result = 0;
  int ticks = sp_test::TicksBesideHog([&] { result = variant().mutual_tail_calls(n); });
  EXPECT_GE(ticks, 1) << "the ticker starved while two functions jumped into each other";
  EXPECT_EQ(result, PlainMutualTailCalls(n));
}

TEST_P(CallHog, SelfRecursionIsPreempted) {
  // fib(35), not 32: fib(32) ran for about 10 ms at -O2, a span in which a busy machine once left
  // sysmon unscheduled (0 ticks and 0 preemptions in call mode, CI at load 8).
  unsigned long result = 0;
  int ticks = sp_test::TicksBesideHog([&] { result = variant().self_fib(35); });
  EXPECT_GE(ticks, 1) << "the ticker starved while a function recurred into itself";
  EXPECT_GE(PreemptionsThrough(IsThreadPage(variant().name) ? &sp_stats::preemptions_signal
                                                            : &sp_stats::preemptions_entry),
            1u);
  EXPECT_EQ(result, PlainFib(35));
}

// Like a qsort comparator that makes calls: only the callback's entry poll can stop the loop.
TEST_P(CallHog, CallbackOfAnUninstrumentedLoopIsPreempted) {
  const unsigned long n = 20000000;
  unsigned long result = 0, expected = 0;
  for (unsigned long i = 0; i < n; i++)
    expected += PlainScramble(i) ^ PlainScramble(i >> 3);
  int ticks = sp_test::TicksBesideHog([&] {
    for (unsigned long i = 0; i < n; i++)
      result += variant().callback(i);
  });
  EXPECT_GE(ticks, 1) << "the ticker starved while an uninstrumented loop called an instrumented callback";
  EXPECT_GE(PreemptionsThrough(IsThreadPage(variant().name) ? &sp_stats::preemptions_signal
                                                            : &sp_stats::preemptions_entry),
            1u);
  EXPECT_EQ(result, expected);
}

// The callback has no entry poll (its first call polls, rule E6): the callee's entry poll stops it.
TEST_P(CallHog, CallbackWhoseFirstCallPollsIsPreempted) {
  const unsigned long n = 20000000;
  unsigned long result = 0, expected = 0;
  for (unsigned long i = 0; i < n; i++)
    expected += (PlainScramble(i) + 1) ^ PlainScramble(i >> 5);
  int ticks = sp_test::TicksBesideHog([&] {
    for (unsigned long i = 0; i < n; i++)
      result += variant().first_call_polls(i);
  });
  EXPECT_GE(ticks, 1) << "the ticker starved while an uninstrumented loop called a callback whose first call polls";
  EXPECT_GE(PreemptionsThrough(IsThreadPage(variant().name) ? &sp_stats::preemptions_signal
                                                            : &sp_stats::preemptions_entry),
            1u);
  EXPECT_EQ(result, expected);
}

TEST_P(CallHog, RecursionThroughUninstrumentedCodeIsPreempted) {
  g_through_variant = &variant();
  unsigned long result = 0;
  int ticks = sp_test::TicksBesideHog([&] { result = CallBackThrough(32); });
  EXPECT_GE(ticks, 1) << "the ticker starved while recursion went through uninstrumented code";
  EXPECT_GE(PreemptionsThrough(IsThreadPage(variant().name) ? &sp_stats::preemptions_signal
                                                            : &sp_stats::preemptions_entry),
            1u);
  EXPECT_EQ(result, PlainFib(32));
}

std::string Name(const ::testing::TestParamInfo<int> &info) { return kVariants[info.param].name; }

INSTANTIATE_TEST_SUITE_P(ModesAndLevels, CallHog, ::testing::Range(0, 8), Name);

}  // namespace
