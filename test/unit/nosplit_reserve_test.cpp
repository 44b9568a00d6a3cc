// nosplit_reserve_test.cpp - loops at the bottom of nosplit chains that use what the link-time
// check allows below the stack guard are preempted, on 1, 2 and 4 Ps in every poll mode, and
// compute what they compute without the runtime: the runtime's reserve below a chain holds the
// preemption trampoline (nosplit_reserve_workload.c).
#include "runtime_test_util.h"

extern "C" {
#define SP_DECLARE_RESERVE(mode, Name) \
  unsigned long sp_reserve_##mode##_spin_below_nosplit_chain(unsigned long iterations);
SP_FOR_EACH_POLL_MODE(SP_DECLARE_RESERVE)
}

namespace {

// The runtime must preempt the loops this often (MistakesWhilePreempted), so most preemptions
// land at the loop's poll, below the chain.
constexpr uint64_t kPreemptions = 16;
constexpr unsigned long kIterations = 2000000;

unsigned long Expected(unsigned long iterations) {
  unsigned long x = 1;
  for (unsigned long i = 0; i < iterations; i++)
    x = x * 6364136223846793005ul + 1442695040888963407ul;
  return x;
}

struct Mode {
  const char *name;
  unsigned long (*spin)(unsigned long);
};
#define SP_MODE(mode, Name) {#Name, sp_reserve_##mode##_spin_below_nosplit_chain},
const Mode kModes[] = {SP_FOR_EACH_POLL_MODE(SP_MODE)};

class NoSplitReserve : public sp_test::VariantsAndProcsTest<kModes> {};

TEST_P(NoSplitReserve, LoopsBelowFullChainsArePreemptedAndRight) {
  const unsigned long expected = Expected(kIterations);
  unsigned long wrong = sp_test::MistakesWhilePreempted(procs(), 4, kPreemptions, 2, [&](int) {
    return variant().spin(kIterations) == expected ? 0ul : 1ul;
  });
  EXPECT_EQ(wrong, 0u) << "loops that computed a wrong value";
}

SP_INSTANTIATE_VARIANTS_AND_PROCS(NoSplitReserve, kModes, 1, 2, 4);

}  // namespace
