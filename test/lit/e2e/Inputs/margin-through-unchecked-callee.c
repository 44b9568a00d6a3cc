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
#include <string.h>
#include <sys/mman.h>

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

/* The low end of the mapping that holds the current stack (the guard page is mapped on its own,
 * PROT_NONE, just below it). */
static uintptr_t stack_low_end(void) {
  uintptr_t here = (uintptr_t)__builtin_frame_address(0);
  FILE *maps = fopen("/proc/self/maps", "r");
  char line[512];
  uintptr_t low = 0;
  while (maps && fgets(line, sizeof line, maps)) {
    unsigned long lo, hi;
    if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && here >= lo && here < hi)
      low = lo;
  }
  if (maps)
    fclose(maps);
  return low;
}

static int body(int argc, char **argv) {
  (void)argv;
  uintptr_t guard_top = stack_low_end();
  uintptr_t guard_bottom = guard_top - 4096;
  /* What the next green thread's stack would be: memory mapped right below the guard page. */
  char *below = mmap((void *)(guard_bottom - 64 * 1024), 64 * 1024, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  stop_at = guard_top + 2048;
  printf("recursion returned %ld\n", down(argc) > 0 ? 1L : 0L);
  if (below != MAP_FAILED)
    for (size_t i = 0; i < 64 * 1024; i++)
      if (below[i] != 0) {
        printf("written below the guard page, %zu bytes under it\n", (size_t)(guard_bottom - (uintptr_t)(below + i)));
        break;
      }
  return 0;
}

int main(int argc, char **argv) { return sp_main(body, argc, argv); }
