// call_hog_test.cpp - hogs made only of calls are preempted on one P beside a ticker, in every poll
// mode at -O0 and -O2, now that entry checks go only on call-graph cycles and on functions code we
// do not see may call: mutual recursion (its entry checks poll), a chain of calls on no cycle
// called from a loop (the loop polls, the chain has no entry checks), and, at -O2, mutual recursion
// by sibling calls, which never returns nor grows the stack. On one P the ticker can only tick while
// the hog runs if the hog is preempted. Each result is compared with the plain computation.
#include "runtime_test_util.h"

extern "C" {
#define SP_DECLARE_CALL_HOGS(prefix)                                          \
  unsigned long prefix##_mutual_fib(unsigned n);                              \
  unsigned long prefix##_chain_in_loop(unsigned long n);                      \
  unsigned long prefix##_mutual_tail_calls(unsigned long n);
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
};

#define SP_VARIANT(name, prefix, tail) \
  { name, prefix##_mutual_fib, prefix##_chain_in_loop, tail }
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

std::string Name(const ::testing::TestParamInfo<int> &info) { return kVariants[info.param].name; }

INSTANTIATE_TEST_SUITE_P(ModesAndLevels, CallHog, ::testing::Range(0, 8), Name);

}  // namespace
