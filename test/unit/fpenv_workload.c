/* fpenv_workload.c - floating-point work compiled with the Safepoint pass, once per poll mode
 * (CMakeLists.txt builds this file four times, naming the functions after the mode). The spin loop
 * polls on its back-edge, so a green thread running this is preempted between raising its own
 * floating-point exceptions and looking at them again. */
#include <fenv.h>
#include <float.h>

#include "safepoint.h"

#pragma STDC FENV_ACCESS ON

#define SP_CAT2(a, b) a##b
#define SP_CAT(a, b) SP_CAT2(a, b)

unsigned long SP_CAT(SP_HOG_PREFIX, _fpenv_rounds)(int round, int excepts, unsigned long rounds,
                                                   unsigned long spin);

static volatile double sse_one = 1.0, sse_zero = 0.0, sse_three = 3.0, sse_sink;
static volatile long double x87_one = 1.0L, x87_two = 2.0L, x87_three = 3.0L,
                            x87_max = LDBL_MAX, x87_sink;
static volatile unsigned long spin_sink;

/* Raises excepts the way real code does, by arithmetic: FE_DIVBYZERO and FE_INVALID in the SSE unit
 * (MXCSR), FE_INEXACT and FE_OVERFLOW (which is inexact too) in the x87 unit (its status word), so
 * that both halves of the environment are exercised. */
static void raise_by_arithmetic(int excepts) {
  if (excepts & FE_DIVBYZERO)
    sse_sink = sse_one / sse_zero;
  if (excepts & FE_INVALID)
    sse_sink = sse_zero / sse_zero;
  if (excepts & FE_OVERFLOW)
    x87_sink = x87_max * x87_two;
  if (excepts & FE_INEXACT)
    x87_sink = x87_one / x87_three;
}

/* Sets rounding mode round, clears every flag and raises excepts; then, rounds times: spins
 * (polling), checks that the flags are exactly excepts and the rounding mode round, and raises
 * excepts again. Returns how many checks saw an environment that was not this green thread's own.
 * Green threads that expect FE_INEXACT also check that a division rounds as it did at the start, in
 * both units: a rounding mode lost in either would change the quotient. */
unsigned long SP_CAT(SP_HOG_PREFIX, _fpenv_rounds)(int round, int excepts, unsigned long rounds,
                                                   unsigned long spin) {
  fesetround(round);
  feclearexcept(FE_ALL_EXCEPT);
  int expected = excepts & FE_OVERFLOW ? excepts | FE_INEXACT : excepts;
  double sse_third = sse_one / sse_three;
  long double x87_third = x87_one / x87_three;
  if (!(expected & FE_INEXACT))
    feclearexcept(FE_INEXACT);
  raise_by_arithmetic(excepts);
  unsigned long wrong = 0, x = 1;
  for (unsigned long r = 0; r < rounds; r++) {
    for (unsigned long i = 0; i < spin; i++)
      x = x * 6364136223846793005ul + 1442695040888963407ul;
    int seen = fetestexcept(FE_ALL_EXCEPT);
    if (seen != expected || fegetround() != round)
      wrong++;
    else if ((expected & FE_INEXACT) &&
             (sse_one / sse_three != sse_third || x87_one / x87_three != x87_third))
      wrong++;
    raise_by_arithmetic(excepts);
  }
  spin_sink = x;
  return wrong;
}
