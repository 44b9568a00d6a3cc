/* A recursion that calls uninstrumented code (margin-through-unchecked-callee-plain.c: a 12 KiB
 * frame with no probes, whose lowest byte is written first) after a variable-length array. down()
 * calls a declaration, so its entry poll is the stack-guard compare in every mode, and the compare
 * finds the margin: the recursion stops 17 KiB above the guard page. But the compare is made at
 * entry, before the array is allocated; the 14 KiB array (probed page by page: it stays above the
 * guard page) leaves the uninstrumented frame 3 KiB, and its first write lands pages below the
 * guard page. The program maps a region there itself, as the next green thread's stack would be, so
 * that the write does not fault and nothing reports the overflow. */
#define _GNU_SOURCE
#include <safepoint.h>
#include <stdint.h>
#include <stdio.h>

#include "guard-neighbour.h"

void plain_big_frame(int i);

static uintptr_t stop_at;

__attribute__((noinline)) long down(long n, long scratch_bytes) {
  volatile char frame[256];
  frame[0] = (char)n;
  if ((uintptr_t)frame < stop_at) {
    volatile char scratch[scratch_bytes];
    scratch[0] = 1;
    plain_big_frame(0);
    return frame[0] + scratch[0];
  }
  return down(n + 1, scratch_bytes) + frame[0];
}

static int body(int argc, char **argv) {
  (void)argv;
  struct guard_neighbour guard = map_below_guard();
  stop_at = guard.guard_top + 17 * 1024;
  printf("recursion returned %ld\n", down(argc, 14 * 1024) > 0 ? 1L : 0L);
  report_writes_below(&guard);
  return 0;
}

int main(int argc, char **argv) { return sp_main(body, argc, argv); }
