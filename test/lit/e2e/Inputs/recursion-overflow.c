/* Unbounded recursion on a green thread: down() calls only itself, so in thread-page mode its
 * entry poll is the thread page's load, with no stack-guard compare; the overflow must still be
 * reported by name (by the guard page and the fault handler). */
#include <safepoint.h>
#include <stdio.h>

__attribute__((noinline)) long down(long n, volatile char *prev) {
  volatile char frame[512];
  frame[0] = (char)n;
  frame[511] = prev ? prev[0] : 0;
  return n == 0 ? frame[0] : down(n - 1, frame) + frame[511];
}

static int body(int argc, char **argv) {
  (void)argv;
  printf("recursion returned %ld\n", down(1L << 40, 0) + argc);
  return 0;
}

int main(int argc, char **argv) { return sp_main(body, argc, argv); }
