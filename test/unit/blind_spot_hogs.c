/* blind_spot_hogs.c - hogs the pass once left without a poll, compiled with the pass once per poll
 * mode and optimization level (CMakeLists.txt names the functions after both). Nothing here yields:
 * only the polls the pass adds let the runtime take the P away. */
#include <stdlib.h>
#include <string.h>

#include "safepoint.h"

#define SP_CAT2(a, b) a##b
#define SP_CAT(a, b) SP_CAT2(a, b)
#define SP_NAME(name) SP_CAT(SP_HOG_PREFIX, name)

enum { COPY_BYTES = 16 << 20, COPIES = 40 };

void SP_NAME(_setjmp_until)(volatile int *stop, volatile unsigned long *count);
void SP_NAME(_copies)(char *dst, const char *src);
void SP_NAME(_sort)(int *values, size_t n);
long SP_NAME(_unrolled_sets)(char *buf, size_t n);

static void *jump_buffer[5];

__attribute__((noinline)) static void jump_back(void) { __builtin_longjmp(jump_buffer, 1); }

/* A cycle closed by __builtin_longjmp: no back-edge in the CFG, no returns_twice call. */
void SP_NAME(_setjmp_until)(volatile int *stop, volatile unsigned long *count) {
  __builtin_setjmp(jump_buffer);
  *count = *count + 1;
  if (!*stop)
    jump_back();
}

/* A loop of 40 iterations, each a 16 MiB copy. */
void SP_NAME(_copies)(char *dst, const char *src) {
  for (int i = 0; i < COPIES; i++)
    memcpy(dst, src, COPY_BYTES);
}

/* No loop, no call: only the C library's qsort, which is not instrumented, calls it. */
static int compare(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

void SP_NAME(_sort)(int *values, size_t n) { qsort(values, n, sizeof *values, compare); }

/* 30 memsets of a length known only at run time: -O2 unrolls the loop completely, leaving straight-line
 * calls with no back-edge to poll. (Each is read back, so none is a dead store.) */
long SP_NAME(_unrolled_sets)(char *buf, size_t n) {
  long sum = 0;
  for (int i = 0; i < 30; i++) {
    memset(buf, i, n);
    sum += buf[n - 1];
  }
  return sum;
}
