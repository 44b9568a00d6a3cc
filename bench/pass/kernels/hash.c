/* hash.c - a loop-carried dependency: FNV-1a over a buffer, one byte per iteration.
 *
 * Nothing to vectorize; the multiply chain sets the pace, so a poll off that chain should be nearly
 * free, while one that lengthens it is not. The buffer length comes from argv. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t fnv1a(const unsigned char *p, long n, uint64_t h) {
  for (long i = 0; i < n; i++)
    h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 65536;
  long reps = argc > 2 ? atol(argv[2]) : 4000;
  unsigned char *buf = malloc(n);
  uint64_t x = 88172645463325252ull;
  for (long i = 0; i < n; i++) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    buf[i] = (unsigned char)x;
  }
  uint64_t h = 0xcbf29ce484222325ull;
  for (long r = 0; r < reps; r++)
    h = fnv1a(buf, n, h);
  printf("hash: n=%ld reps=%ld h=%016llx\n", n, reps, (unsigned long long)h);
  free(buf);
  return 0;
}
