// fpenv_test.cpp - each green thread keeps its own floating-point environment (rounding modes and
// exception flags, MXCSR and x87) across voluntary switches and preemptions in every poll mode, and
// a new green thread starts with its creator's environment, as a new thread does.
#include <fenv.h>

#include <atomic>

#include "runtime_test_util.h"

extern "C" {
#define SP_DECLARE_FPENV(mode, Name)                                                   \
  unsigned long sp_fpenv_##mode##_fpenv_rounds(int round, int excepts, unsigned long rounds, \
                                               unsigned long spin);
SP_FOR_EACH_POLL_MODE(SP_DECLARE_FPENV)
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
#define SP_MODE(mode, Name) {#Name, sp_fpenv_##mode##_fpenv_rounds},
const Mode kModes[] = {SP_FOR_EACH_POLL_MODE(SP_MODE)};

class FpEnvPreempted : public sp_test::VariantsAndProcsTest<kModes> {
 protected:
  const Mode &mode() const { return variant(); }
};

// Eight green threads, two of each kind, share the Ps and are preempted every 100 µs in the middle
// of their arithmetic: none may see another's flags or rounding mode, or lose its own.
TEST_P(FpEnvPreempted, EachGreenThreadKeepsItsOwnEnvironment) {
  unsigned long wrong = sp_test::MistakesWhilePreempted(procs(), 8, kPreemptions, 4, [&](int k) {
    const Env &e = kEnvs[k % 4];
    return mode().rounds(e.round, e.excepts, 100, 200000);
  });
  EXPECT_EQ(wrong, 0u) << "checks that saw another green thread's environment";
}

SP_INSTANTIATE_VARIANTS_AND_PROCS(FpEnvPreempted, kModes, 1, 2, 4);

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
