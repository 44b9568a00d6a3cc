/* A recursive function that calls no uninstrumented code itself, but calls a helper with no entry
 * check of its own (rule E5: static, on no call-graph cycle), and the helper calls the C library's
 * kind of code: a function compiled without the pass (margin-through-unchecked-callee-plain.c), whose
 * frame is a few pages and which writes its lowest address first, as an uninstrumented frame may.
 *
 * The recursion stops 2 KiB above the guard page: far inside the 16 KiB margin, so the stack-guard
 * compare at down()'s entry reports the overflow before the uninstrumented frame is reached. Without
 * that compare the uninstrumented frame starts 2 KiB above the guard page and its first write lands
 * pages below it. Below a green thread's guard page lies whatever the kernel mapped next (green
 * thread stacks are mapped one after the other); the program maps a region there itself, so that
 * the test does not depend on the kernel's placement: a write there does not fault, and nothing
 * reports the overflow. */
#define _GNU_SOURCE
#include <safepoint.h>
#include <stdint.h>
#include <stdio.h>

#include "guard-neighbour.h"

void plain_big_frame(int i);

static uintptr_t stop_at;

/* On no call-graph cycle, and only this module calls it: no entry check (rule E5). */
__attribute__((noinline)) static void touch_plain(void) { plain_big_frame(0); }

__attribute__((noinline)) long down(long n) {
  volatile char frame[256];
  frame[0] = (char)n;
  if ((uintptr_t)frame < stop_at) {
    touch_plain();
    return frame[0];
  }
  return down(n + 1) + frame[0];
}

static int body(int argc, char **argv) {
  (void)argv;
  struct guard_neighbour guard = map_below_guard();
  stop_at = guard.guard_top + 2048;
  printf("recursion returned %ld\n", down(argc) > 0 ? 1L : 0L);
  report_writes_below(&guard);
  return 0;
}

int main(int argc, char **argv) { return sp_main(body, argc, argv); }
