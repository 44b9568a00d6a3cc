// Green threads that spin only where rule E6 removed entry polls, in C++ shapes, beside a ticker
// that sleeps 1 ms at a time on the same P: each must be preempted while it spins (the ticker
// ticks), and compute the right Fibonacci number.
//   "throw": a recursion whose first call throws at the leaves (the callee polls, then throws; the
//            caller catches and returns), so half the calls leave the first call by an exception;
//   "static": a cycle of two internal functions, one of which first calls the other;
//   "chain": a recursion whose first call is to a function whose own first call polls (E6 applies
//            to the middle one only: the outer keeps its poll).
#include <safepoint.h>
#include <stdio.h>
#include <string.h>

static volatile int ticks;
static volatile int done;
// Each recursion stores its result before it returns, so that -O2 does not turn the last recursive
// call into a loop (which polls on its back-edge) and entry polls stay the only polls.
static volatile long sink;

static void ticker(void *) {
  while (!done) {
    sp_sleep_ns(1000000);
    ticks++;
  }
}

// Polls at entry (it calls __cxa_throw, and code the pass does not see may call it).
__attribute__((noinline)) long thrower(long n) {
  if (n < 2)
    throw n;
  return n;
}
long throwing_fib(long n) {
  try {
    thrower(n);
  } catch (long leaf) {
    return leaf;
  }
  long r = throwing_fib(n - 1) + throwing_fib(n - 2);
  sink = r;
  return r;
}

static __attribute__((noinline)) long static_mix(long x);
static long static_fib(long n) {
  long m = static_mix(n);
  long r = n < 2 ? n + (m & 0) : static_fib(n - 1) + static_fib(n - 2);
  sink = r;
  return r;
}
// On the cycle with static_fib (it may call it back), so it polls at entry.
static __attribute__((noinline)) long static_mix(long x) { return x == -7 ? static_fib(3) : x * 7; }

__attribute__((noinline)) long inner(long x) { return x < 0 ? inner(x + 1) : x * 3 + 1; }
__attribute__((noinline)) long middle(long x) {
  long y = inner(x);
  return y ^ (y >> 2);
}
long chain_fib(long n) {
  long y = middle(n);
  long r = n < 2 ? n + (y & 0) : chain_fib(n - 1) + chain_fib(n - 2);
  sink = r;
  return r;
}

static long spin(const char *what) {
  if (!strcmp(what, "throw"))
    return throwing_fib(23);
  if (!strcmp(what, "static"))
    return static_fib(33);
  if (!strcmp(what, "chain"))
    return chain_fib(33);
  return -1;
}

static int body(int, char **argv) {
  sp_go(ticker, nullptr);
  sp_sleep_ns(3000000);
  int before = ticks;
  long r = spin(argv[1]);
  int during = ticks - before;
  done = 1;
  printf("%s: result %ld, ticked while spinning: %s\n", argv[1], r, during > 2 ? "yes" : "no");
  return 0;
}

int main(int argc, char **argv) { return sp_main(body, argc, argv); }
