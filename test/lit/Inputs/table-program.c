// A program with every kind of site and the shapes that make the backend move polls around: a
// counted loop, a loop with an early exit, a computed-goto interpreter (its dispatch is duplicated
// into each handler, poll included), a switch, a tail call, a call-free function and a leaf.
#include <stdio.h>

volatile long sink;

__attribute__((noinline)) long leaf(long x) { return x * 7 + 1; }

__attribute__((noinline)) void spin(volatile int *flag, long limit) {
  for (long i = 0; i < limit && !*flag; ++i)
    sink = i;
}

__attribute__((noinline)) long interp(const unsigned char *code) {
  static void *const ops[] = {&&op_inc, &&op_dbl, &&op_halt};
  long acc = 0;
  goto *ops[*code];
op_inc:
  acc += 1;
  goto *ops[*++code];
op_dbl:
  acc *= 2;
  goto *ops[*++code];
op_halt:
  return acc;
}

__attribute__((noinline)) long classify(long n) {
  long total = 0;
  for (long i = 0; i < n; ++i) {
    switch (i % 4) {
    case 0:
      total += leaf(i);
      break;
    case 1:
      total -= i;
      break;
    default:
      total ^= i;
    }
  }
  return total;
}

__attribute__((noinline)) long forward(long n) { return classify(n + 1); }

int main(int argc, char **argv) {
  (void)argv;
  static const unsigned char code[] = {0, 0, 1, 0, 1, 2};
  int flag = 0;
  spin(&flag, 1000 * argc);
  printf("%ld %ld\n", interp(code), forward(100 * argc));
  return 0;
}
