/* hog.c: loops of every kind the pass meets, to see where it puts safepoints and why.
 *
 *   build/bin/sp-cc -O2 -g -Rpass=safepoint -Rpass-missed=safepoint -c examples/hog.c
 */
#include <stdio.h>

/* A loop with a trip count known only at run time: it polls on every back-edge, one load. */
unsigned long spin(unsigned long n) {
  unsigned long x = 1;
  for (unsigned long i = 0; i < n; i++)
    x = x * 6364136223846793005ul + 1442695040888963407ul;
  return x;
}

/* At most 64 iterations: bounded, so no poll (a missed remark says why). */
int sum64(const int *a) {
  int s = 0;
  for (int i = 0; i < 64; i++)
    s += a[i] * a[i];
  return s;
}

/* No loop and no call: a leaf. Static and called directly, it would get no poll at all; visible to
 * other modules, which may call it from a loop of theirs, it polls at its entry. */
int leaf(int x) { return x * 3 + 1; }

/* Every iteration calls report(), which other modules may call too, so it polls at its entry: no
 * loop poll needed. (Were it static, it would be on no call-graph cycle and get no entry check, and
 * the loop would poll instead.) */
__attribute__((noinline)) void report(unsigned long i) {
  if (i % 1000000 == 0)
    printf("%lu\n", i);
}
void calls(unsigned long n) {
  for (unsigned long i = 0; i < n; i++)
    report(i);
}

/* A cycle with two entries (irreducible): LoopInfo does not see it, CycleInfo does. */
int irreducible(int n, int k) {
  int i = 0;
  if (k)
    goto b;
a:
  i += 2;
b:
  if (i < n)
    goto a;
  return i;
}

int main(int argc, char **argv) {
  int a[64] = {argc};
  calls(3);
  printf("%lu %d %d %d\n", spin(1000u * argc), sum64(a), leaf(argc), irreducible(10, argc));
  return 0;
}
