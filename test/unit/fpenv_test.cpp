// fpenv_test.cpp - each green thread keeps its own floating-point environment (rounding modes and
// exception flags, MXCSR and x87) across voluntary switches and preemptions in every poll mode, and
// a new green thread starts with its creator's environment, as a new thread does.
#include <fenv.h>

#include <atomic>

#include "runtime_test_util.h"

extern "C" {
#define SP_DECLARE_FPENV(prefix)                                                       \
  unsigned long prefix##_fpenv_rounds(int round, int excepts, unsigned long rounds, \
                                      unsigned long spin);
SP_DECLARE_FPENV(sp_fpenv_thread_page)
SP_DECLARE_FPENV(sp_fpenv_global_page)
SP_DECLARE_FPENV(sp_fpenv_flag)
SP_DECLARE_FPENV(sp_fpenv_call)
}

using sp_test::Go;
using sp_test::ProcsTest;
using sp_test::RunGreen;

namespace {

// Each green thread works until the runtime has preempted this many times (RepeatUntilPreempted).
constexpr uint64_t kPreemptions = 32;

// What each kind of green thread sets and raises. FE_DIVBYZERO and FE_INVALID are raised in the
// SSE unit, FE_INEXACT and FE_OVERFLOW in the x87 unit (fpenv_workload.c).
struct Env {
  int round;
  int excepts;
};
const Env kEnvs[] = {
    {FE_TONEAREST, 0},
    {FE_UPWARD, FE_DIVBYZERO},
    {FE_DOWNWARD, FE_INEXACT},
    {FE_TOWARDZERO, FE_INVALID | FE_OVERFLOW},
};

struct Mode {
  const char *name;
  unsigned long (*rounds)(int, int, unsigned long, unsigned long);
};
const Mode kModes[] = {
    {"ThreadPage", sp_fpenv_thread_page_fpenv_rounds},
    {"GlobalPage", sp_fpenv_global_page_fpenv_rounds},
    {"Flag", sp_fpenv_flag_fpenv_rounds},
    {"Call", sp_fpenv_call_fpenv_rounds},
};

class FpEnvPreempted : public ::testing::TestWithParam<std::tuple<int, int>> {
 protected:
  int procs() const { return std::get<0>(GetParam()); }
  const Mode &mode() const { return kModes[std::get<1>(GetParam())]; }
};

// Eight green threads, two of each kind, share the Ps and are preempted every 100 µs in the middle
// of their arithmetic: none may see another's flags or rounding mode, or lose its own.
TEST_P(FpEnvPreempted, EachGreenThreadKeepsItsOwnEnvironment) {
  const Mode &m = mode();
  std::atomic<unsigned long> wrong{0};
  RunGreen(
      procs(),
      [&] {
        sp_waitgroup wg = SP_WAITGROUP_INIT;
        sp_wg_add(&wg, 8);
        for (int k = 0; k < 8; k++) {
          Go([&, k] {
            const Env &e = kEnvs[k % 4];
            sp_test::RepeatUntilPreempted(kPreemptions, 4, [&] {
              wrong += m.rounds(e.round, e.excepts, 100, 200000);
            });
            sp_wg_done(&wg);
          });
        }
        sp_wg_wait(&wg);
      },
      "quantum=100");
  sp_stats s;
  sp_stats_get(&s);
  EXPECT_EQ(wrong.load(), 0u) << "checks that saw another green thread's environment";
  EXPECT_GE(s.preemptions, kPreemptions) << "too few preemptions for the test to mean anything";
}

std::string Name(const ::testing::TestParamInfo<std::tuple<int, int>> &info) {
  return std::string(kModes[std::get<1>(info.param)].name) + "Procs" +
         std::to_string(std::get<0>(info.param));
}

INSTANTIATE_TEST_SUITE_P(ModesAndProcs, FpEnvPreempted,
                         ::testing::Combine(::testing::Values(1, 2, 4),
                                            ::testing::Values(0, 1, 2, 3)),
                         Name);

class FpEnv : public ProcsTest {};

// Voluntary switches (sp_yield, here through g0 or directly to the next green thread) keep the
// environment too. feraiseexcept raises FE_INEXACT in the x87 unit and FE_DIVBYZERO in SSE (glibc).
TEST_P(FpEnv, YieldKeepsEachGreenThreadsEnvironment) {
  std::atomic<int> wrong{0};
  RunGreen(procs(), [&] {
    sp_waitgroup wg = SP_WAITGROUP_INIT;
    sp_wg_add(&wg, 8);
    for (int k = 0; k < 8; k++) {
      Go([&, k] {
        const Env &e = kEnvs[k % 4];
        fesetround(e.round);
        feclearexcept(FE_ALL_EXCEPT);
        for (int i = 0; i < 200; i++) {
          if (e.excepts)
            feraiseexcept(e.excepts);
          sp_yield();
          if (fetestexcept(FE_ALL_EXCEPT) != e.excepts || fegetround() != e.round)
            wrong++;
        }
        sp_wg_done(&wg);
      });
    }
    sp_wg_wait(&wg);
  });
  EXPECT_EQ(wrong.load(), 0);
}

// C11 (7.6) and POSIX: a new thread's floating-point environment is its creator's at the time of
// creation, flags included. A green thread is created the same way, and sp_main's first green
// thread gets the environment of the thread that called sp_main.
TEST_P(FpEnv, NewGreenThreadStartsWithItsCreatorsEnvironment) {
  fenv_t outside;
  fegetenv(&outside);
  fesetround(FE_DOWNWARD);
  feclearexcept(FE_ALL_EXCEPT);
  feraiseexcept(FE_INEXACT);
  int main_round = -1, main_excepts = -1, child_round = -1, child_excepts = -1;
  int grandchild_round = -1, grandchild_excepts = -1;
  RunGreen(procs(), [&] {
    main_round = fegetround();
    main_excepts = fetestexcept(FE_ALL_EXCEPT);
    sp_waitgroup wg = SP_WAITGROUP_INIT;
    sp_wg_add(&wg, 1);
    fesetround(FE_UPWARD);
    feclearexcept(FE_ALL_EXCEPT);
    feraiseexcept(FE_DIVBYZERO);
    Go([&] {
      child_round = fegetround();
      child_excepts = fetestexcept(FE_ALL_EXCEPT);
      fesetround(FE_TOWARDZERO);
      feclearexcept(FE_ALL_EXCEPT);
      Go([&] {
        grandchild_round = fegetround();
        grandchild_excepts = fetestexcept(FE_ALL_EXCEPT);
        sp_wg_done(&wg);
      });
    });
    // The creator changes its environment while the child has not run yet: the child keeps the
    // one it was created with.
    fesetround(FE_TONEAREST);
    feraiseexcept(FE_OVERFLOW);
    sp_wg_wait(&wg);
  });
  fesetenv(&outside);
  EXPECT_EQ(main_round, FE_DOWNWARD);
  EXPECT_EQ(main_excepts, FE_INEXACT);
  EXPECT_EQ(child_round, FE_UPWARD);
  EXPECT_EQ(child_excepts, FE_DIVBYZERO);
  EXPECT_EQ(grandchild_round, FE_TOWARDZERO);
  EXPECT_EQ(grandchild_excepts, 0);
}

SP_INSTANTIATE_PROCS(FpEnv);

}  // namespace
