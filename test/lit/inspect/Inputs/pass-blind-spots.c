/* One of each blind spot the pass records: a bounded loop (E1), a loop whose every iteration calls
 * a polling function (E2), a bounded leaf (E3), a function that makes calls on no call-graph cycle
 * (no entry check), a function left alone (naked), and nosplit functions with an unbounded and a
 * bounded loop. */
#include "safepoint.h"

volatile int sink;
void use(int);

void bounded_loop(void) {
#pragma clang loop unroll(disable)
  for (int i = 0; i < 64; i++)
    sink = i;
  use(0);
}

__attribute__((noinline)) void polls(int i) { use(i); }
void calls_polling(int n) {
  for (int i = 0; i < n; i++)
    polls(i);
}

__attribute__((noinline)) static int leaf(int x) { return x * 3; }
int calls_leaf(int x) { return leaf(x) + 1; }

__attribute__((noinline)) static void hop(int i) { use(i); use(-i); }
void calls_hop(int i) { hop(i); }

__attribute__((naked)) void bare(void) { __asm__("ret"); }

#ifdef UNBOUNDED
SP_NOSPLIT void nosplit_spin(volatile int *stop) {
  while (!*stop)
    sink++;
}
#endif

SP_NOSPLIT int nosplit_bounded(const int *a) {
  int s = 0;
  for (int i = 0; i < 16; i++)
    s += a[i];
  return s;
}
