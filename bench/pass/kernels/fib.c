/* fib.c - call-heavy recursion: naive Fibonacci.
 *
 * Almost all time is function entry and return, so this is where entry stack checks and epilogue
 * polls cost the most and where loop polls cost nothing. */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static unsigned long fib(unsigned n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int main(int argc, char **argv) {
  unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 34;
  printf("fib: n=%u fib=%lu\n", n, fib(n));
  return 0;
}
