// nosplit_reserve_test.cpp - a loop at the bottom of a nosplit chain that uses what the link-time
// check allows below the stack guard is preempted, and computes what it computes without the
// runtime: the runtime's reserve below the chain holds the preemption trampoline, in every poll mode.
#include "runtime_test_util.h"

extern "C" {
unsigned long sp_reserve_thread_page_spin_below_nosplit_chain(unsigned long iterations);
unsigned long sp_reserve_global_page_spin_below_nosplit_chain(unsigned long iterations);
unsigned long sp_reserve_flag_spin_below_nosplit_chain(unsigned long iterations);
unsigned long sp_reserve_call_spin_below_nosplit_chain(unsigned long iterations);
}

namespace {

struct Variant {
  const char *name;
  unsigned long (*spin)(unsigned long);
};

const Variant kVariants[] = {
    {"ThreadPage", sp_reserve_thread_page_spin_below_nosplit_chain},
    {"GlobalPage", sp_reserve_global_page_spin_below_nosplit_chain},
    {"Flag", sp_reserve_flag_spin_below_nosplit_chain},
    {"Call", sp_reserve_call_spin_below_nosplit_chain},
};

constexpr unsigned long kIterations = 50000000;

unsigned long Expected(unsigned long iterations) {
  unsigned long x = 1;
  for (unsigned long i = 0; i < iterations; i++)
    x = x * 6364136223846793005ul + 1442695040888963407ul;
  return x;
}

class NoSplitReserve : public ::testing::TestWithParam<int> {};

TEST_P(NoSplitReserve, LoopBelowAFullChainIsPreemptedAndRight) {
  unsigned long result = 0;
  int ticks = sp_test::TicksBesideHog([&] { result = kVariants[GetParam()].spin(kIterations); });
  EXPECT_GE(ticks, 1);
  EXPECT_EQ(result, Expected(kIterations));
}

std::string Name(const ::testing::TestParamInfo<int> &info) { return kVariants[info.param].name; }

INSTANTIATE_TEST_SUITE_P(Modes, NoSplitReserve, ::testing::Range(0, 4), Name);

}  // namespace
