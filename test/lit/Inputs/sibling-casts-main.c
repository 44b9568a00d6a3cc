/* The other half of sibling-casts.c's mutual recursion, and a driver of 10^8 steps. */
#include <stdint.h>
#include <stdio.h>

typedef struct {
  long a, b;
} pair;
void *back(long n);
void *base = (void *)42;

__attribute__((noinline)) void *as_pointer(long n) {
  if (n == 0)
    return base;
  return back(n - 1);
}

uintptr_t as_integer(long n) { return (uintptr_t)as_pointer(n); }
pair pext(long x) { return (pair){x, x}; }
long lext(long x) { return x; }

int main(int argc, char **argv) {
  printf("%lu\n", (unsigned long)as_pointer(100000000L + argc - 1));
  return 0;
}
