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
#include <string.h>
#include <sys/mman.h>

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
  char *below = mmap((void *)(guard_bottom - 64 * 1024), 64 * 1024, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  stop_at = guard_top + 17 * 1024;
  printf("recursion returned %ld\n", down(argc, 14 * 1024) > 0 ? 1L : 0L);
  if (below != MAP_FAILED)
    for (size_t i = 0; i < 64 * 1024; i++)
      if (below[i] != 0) {
        printf("written below the guard page, %zu bytes under it\n",
               (size_t)(guard_bottom - (uintptr_t)(below + i)));
        break;
      }
  return 0;
}

int main(int argc, char **argv) { return sp_main(body, argc, argv); }
