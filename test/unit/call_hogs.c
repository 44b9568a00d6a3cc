/* call_hogs.c - hogs made of calls, compiled with the pass once per poll mode and optimization level
 * (CMakeLists.txt names the functions after both). Nothing here yields: only the polls the pass adds
 * let the runtime take the P away. Functions that call no uninstrumented code poll at entry with
 * the thread page's load in thread-page mode, the others with the stack-guard compare. The functions on call-graph cycles poll at their entry checks;
 * the chain is on none, so it has no entry checks, and the loop that calls it polls instead. */
#include "safepoint.h"

#define SP_CAT2(a, b) a##b
#define SP_CAT(a, b) SP_CAT2(a, b)
#define SP_NAME(name) SP_CAT(SP_HOG_PREFIX, name)

unsigned long SP_NAME(_mutual_fib)(unsigned n);
unsigned long SP_NAME(_chain_in_loop)(unsigned long n);
unsigned long SP_NAME(_mutual_tail_calls)(unsigned long n);
unsigned long SP_NAME(_self_fib)(unsigned n);
unsigned long SP_NAME(_callback)(unsigned long x);
unsigned long SP_NAME(_through_caller)(unsigned n, unsigned long (*again)(unsigned));
unsigned long SP_NAME(_polls_first)(unsigned long x);
unsigned long SP_NAME(_first_call_polls)(unsigned long x);

/* Naive Fibonacci split over two functions that call each other: millions of calls, no loop. */
__attribute__((noinline)) static unsigned long fib_odd(unsigned n);
__attribute__((noinline)) static unsigned long fib_even(unsigned n) {
  return n < 2 ? n : fib_odd(n - 1) + fib_odd(n - 2);
}
__attribute__((noinline)) static unsigned long fib_odd(unsigned n) {
  return n < 2 ? n : fib_even(n - 1) + fib_even(n - 2);
}
unsigned long SP_NAME(_mutual_fib)(unsigned n) { return fib_even(n); }

/* A chain of eight calls, none on a cycle, called from a loop. */
#define LINK(name, next)                                                                       \
  __attribute__((noinline)) static unsigned long name(unsigned long x) {                       \
    return next(x * 2654435761u + 1) ^ (x >> 7);                                               \
  }
__attribute__((noinline)) static unsigned long chain_end(unsigned long x) { return x ^ (x >> 13); }
LINK(chain_7, chain_end)
LINK(chain_6, chain_7)
LINK(chain_5, chain_6)
LINK(chain_4, chain_5)
LINK(chain_3, chain_4)
LINK(chain_2, chain_3)
LINK(chain_1, chain_2)
LINK(chain_0, chain_1)

unsigned long SP_NAME(_chain_in_loop)(unsigned long n) {
  unsigned long sum = 0;
  for (unsigned long i = 0; i < n; i++)
    sum += chain_0(i + sum);
  return sum;
}

/* Mutual recursion in tail position: at -O2 each call is a jump (sibling call), so no stack grows,
 * nothing returns and no loop exists; only the entry checks of the two functions poll. At -O0
 * the calls are real and n steps would overflow the stack, so the test runs it at -O2 only. */
__attribute__((noinline)) static unsigned long tail_pong(unsigned long n, unsigned long acc);
__attribute__((noinline)) static unsigned long tail_ping(unsigned long n, unsigned long acc) {
  return n == 0 ? acc : tail_pong(n - 1, acc * 31 + n);
}
__attribute__((noinline)) static unsigned long tail_pong(unsigned long n, unsigned long acc) {
  return n == 0 ? acc : tail_ping(n - 1, acc ^ (n << 3));
}
unsigned long SP_NAME(_mutual_tail_calls)(unsigned long n) { return tail_ping(n, 1); }

/* Plain recursion that calls nothing but itself: in thread-page mode its entry poll is the page
 * load, with no stack-guard compare (it calls no uninstrumented code). */
unsigned long SP_NAME(_self_fib)(unsigned n) {
  return n < 2 ? n : SP_NAME(_self_fib)(n - 1) + SP_NAME(_self_fib)(n - 2);
}

/* A callback for a loop the pass never sees (the test's own, uninstrumented): it calls only this
 * module's code, so in thread-page mode it polls at entry with the page load; the helper is on no
 * cycle and only this module calls it, so it has no entry poll. */
__attribute__((noinline)) static unsigned long scramble(unsigned long x) {
  return (x * 2654435761u + 1) ^ (x >> 11);
}
unsigned long SP_NAME(_callback)(unsigned long x) { return scramble(x) ^ scramble(x >> 3); }

/* Recursion through a caller we do not see: `again` (uninstrumented) calls this function back.
 * The indirect call keeps the stack-guard compare at this entry. */
unsigned long SP_NAME(_through_caller)(unsigned n, unsigned long (*again)(unsigned)) {
  return n < 2 ? n : again(n - 1) + again(n - 2);
}

/* Another callback for an uninstrumented loop, with no entry poll of its own (rule E6): the first
 * thing it does is call a function that polls at entry. */
__attribute__((noinline)) unsigned long SP_NAME(_polls_first)(unsigned long x) {
  return scramble(x) + 1;
}
unsigned long SP_NAME(_first_call_polls)(unsigned long x) {
  return SP_NAME(_polls_first)(x) ^ scramble(x >> 5);
}
