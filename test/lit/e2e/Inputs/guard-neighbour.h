/* guard-neighbour.h - for the stack-margin tests: where the guard page below the running green
 * thread's stack lies, and a mapping right below that guard page, as the next green thread's stack
 * would be (green-thread stacks are mapped one after the other). Mapping it here keeps the tests
 * from depending on the kernel's placement: a frame that writes past the guard page lands in it
 * without a fault, and only the check below notices. */
#ifndef GUARD_NEIGHBOUR_H
#define GUARD_NEIGHBOUR_H

#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>

#define GUARD_NEIGHBOUR_BYTES (64 * 1024)

/* The low end of the mapping that holds the current stack: the top of the guard page, which is
 * mapped on its own, PROT_NONE, just below it. */
static inline uintptr_t stack_low_end(void) {
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

struct guard_neighbour {
  uintptr_t guard_top;    /* the guard page's top: the stack's low end */
  uintptr_t guard_bottom; /* its bottom */
  char *below;            /* GUARD_NEIGHBOUR_BYTES mapped under it, or MAP_FAILED if taken */
};

static inline struct guard_neighbour map_below_guard(void) {
  struct guard_neighbour n;
  n.guard_top = stack_low_end();
  n.guard_bottom = n.guard_top - 4096;
  n.below = mmap((void *)(n.guard_bottom - GUARD_NEIGHBOUR_BYTES), GUARD_NEIGHBOUR_BYTES,
                 PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  return n;
}

/* Prints where the highest write under the guard page landed, if any did. */
static inline void report_writes_below(const struct guard_neighbour *n) {
  if (n->below == MAP_FAILED)
    return;
  for (size_t i = 0; i < GUARD_NEIGHBOUR_BYTES; i++)
    if (n->below[i] != 0) {
      printf("written below the guard page, %zu bytes under it\n",
             (size_t)(n->guard_bottom - (uintptr_t)(n->below + i)));
      return;
    }
}

#endif
