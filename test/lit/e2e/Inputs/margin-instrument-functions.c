/* -finstrument-functions-after-inlining: the code generator adds a call to __cyg_profile_func_enter
 * at the entry of every function (and __cyg_profile_func_exit before every return) after the
 * optimizer, so after the Safepoint pass has decided which entry polls need the stack margin. The
 * hook is uninstrumented code (margin-instrument-functions-plain.c) with a 12 KiB frame, called
 * from at_bottom(), whose IR calls nothing; only its attributes announce the hook. down() calls
 * only itself and at_bottom(), which has no entry poll of its own (rule E5), so down() must keep
 * the stack-guard compare: without it (thread-page mode, when the pass looked at the IR's calls
 * only) the recursion runs down to 2 KiB above the guard page, and the hook's frame writes pages
 * below it. The program maps a region below the guard page itself, as the next green thread's
 * stack would be, so that the write does not fault and nothing would report the overflow. */
#define _GNU_SOURCE
#include <safepoint.h>
#include <stdint.h>
#include <stdio.h>

#include "guard-neighbour.h"

static uintptr_t stop_at;

/* Calls nothing in the IR the pass sees; the backend adds the call to the entry hook. */
__attribute__((noinline)) static void at_bottom(void) { __asm__ volatile("" ::: "memory"); }

/* Not hooked itself: only at_bottom() calls the hook, once, at the bottom. */
__attribute__((noinline, no_instrument_function)) long down(long n) {
  volatile char frame[256];
  frame[0] = (char)n;
  if ((uintptr_t)frame < stop_at) {
    at_bottom();
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
