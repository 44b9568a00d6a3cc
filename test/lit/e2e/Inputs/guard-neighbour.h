/* guard-neighbour.h - for the stack-margin tests: where the guard region below the running green
 * thread's stack lies, and a mapping right below that region, as the next green thread's stack
 * would be (green-thread stacks are mapped one after the other). Mapping it here keeps the tests
 * from depending on the kernel's placement: a frame that writes past the guard region lands in it
 * without a fault, and only the check below notices. The region's size is read from
 * /proc/self/maps, not assumed: the runtime's SP_STACK_GUARD_BYTES may change. */
#ifndef GUARD_NEIGHBOUR_H
#define GUARD_NEIGHBOUR_H

#include <alloca.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define GUARD_NEIGHBOUR_BYTES (64 * 1024)

/* The mapping of /proc/self/maps that holds addr, or the one that ends at addr when below is set:
 * its low end, or 0. */
static inline uintptr_t mapping_low_end(uintptr_t addr, int below) {
  FILE *maps = fopen("/proc/self/maps", "r");
  char line[512];
  uintptr_t low = 0;
  while (maps && fgets(line, sizeof line, maps)) {
    unsigned long lo, hi;
    if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 &&
        (below ? hi == addr : (addr >= lo && addr < hi)))
      low = lo;
  }
  if (maps)
    fclose(maps);
  return low;
}

/* The low end of the mapping that holds the current stack: the top of the guard region, which is
 * mapped on its own, PROT_NONE, just below it. */
static inline uintptr_t stack_low_end(void) {
  return mapping_low_end((uintptr_t)__builtin_frame_address(0), 0);
}

struct guard_neighbour {
  uintptr_t guard_top;    /* the guard region's top: the stack's low end */
  uintptr_t guard_bottom; /* its bottom */
  char *below;            /* GUARD_NEIGHBOUR_BYTES mapped under it, or MAP_FAILED if taken */
};

/* Runs the program again from the start, with the same arguments, at most GUARD_NEIGHBOUR_TRIES
 * times in all (counted in the environment); returns when that many runs have been made or the
 * exec fails. */
#define GUARD_NEIGHBOUR_TRIES 10
static inline void run_again(void) {
  const char *made = getenv("GUARD_NEIGHBOUR_RUN");
  int run = made ? atoi(made) : 1;
  if (run >= GUARD_NEIGHBOUR_TRIES)
    return;
  static char cmdline[4096];
  char *argv[64];
  int argc = 0;
  FILE *f = fopen("/proc/self/cmdline", "r");
  size_t len = f ? fread(cmdline, 1, sizeof cmdline - 1, f) : 0;
  if (f)
    fclose(f);
  for (size_t i = 0; i < len && argc < 63; i += strlen(cmdline + i) + 1)
    argv[argc++] = cmdline + i;
  argv[argc] = NULL;
  char next[16];
  snprintf(next, sizeof next, "%d", run + 1);
  setenv("GUARD_NEIGHBOUR_RUN", next, 1);
  fflush(stdout);
  execv("/proc/self/exe", argv);
}

static inline struct guard_neighbour map_below_guard(void) {
  struct guard_neighbour n;
  n.guard_top = stack_low_end();
  n.guard_bottom = mapping_low_end(n.guard_top, 1);
  n.below = mmap((void *)(n.guard_bottom - GUARD_NEIGHBOUR_BYTES), GUARD_NEIGHBOUR_BYTES,
                 PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (n.guard_bottom != 0 && n.below == MAP_FAILED)
    /* Something holds the addresses below the region already: an M's pthread stack, created just
     * before the green thread's, lands there in some runs. Its top is in use, so nothing could be
     * checked there; a new run of the program places its mappings afresh. */
    run_again();
  /* The tests look for this line (CHECK-NOT): without the neighbour they would check nothing. */
  if (n.guard_bottom == 0 || n.below == MAP_FAILED)
    printf("guard-neighbour: no mapping below the guard region\n");
  return n;
}

/* Prints where the highest write under the guard region landed, if any did. */
static inline void report_writes_below(const struct guard_neighbour *n) {
  if (n->below == MAP_FAILED)
    return;
  for (size_t i = 0; i < GUARD_NEIGHBOUR_BYTES; i++)
    if (n->below[i] != 0) {
      printf("written below the guard region, %zu bytes under it\n",
             (size_t)(n->guard_bottom - (uintptr_t)(n->below + i)));
      return;
    }
}

/* For a program that the overflow kills: the runtime names the overflow, then calls the program's
 * SIGSEGV handler, which this installs: it reports the writes below n's region and exits (3). */
static const struct guard_neighbour *reported_neighbour;

static inline void report_writes_below_and_exit(int sig, siginfo_t *si, void *uc) {
  (void)sig, (void)si, (void)uc;
  fflush(stdout);
  report_writes_below(reported_neighbour);
  printf("SIGSEGV handler ran\n");
  fflush(stdout);
  _exit(3);
}

static inline void report_writes_below_on_segv(const struct guard_neighbour *n) {
  reported_neighbour = n;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = report_writes_below_and_exit;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigaction(SIGSEGV, &sa, NULL);
}

/* Recurses (an entry poll of the page's load in thread-page mode: it calls no nosplit function)
 * until its frame is within 1 KiB of stop_at, then goes the rest of the way with an alloca and calls
 * at_bottom with its return address at stop_at, to 16 bytes. */
static uintptr_t descent_stop_at;
static long (*descent_at_bottom)(void);

__attribute__((noinline)) static inline long descend(long n) {
  volatile char frame[256];
  frame[0] = (char)n;
  if ((uintptr_t)frame < descent_stop_at + 1024) {
    size_t pad = ((uintptr_t)__builtin_frame_address(0) - descent_stop_at) & ~(size_t)15;
    volatile char *p = alloca(pad > 1024 ? pad - 1024 : 16);
    p[0] = 0;
    return descent_at_bottom() + frame[0] + p[0];
  }
  return descend(n + 1) + frame[0];
}

static inline long call_at_height(uintptr_t stop_at, long (*at_bottom)(void)) {
  descent_stop_at = stop_at;
  descent_at_bottom = at_bottom;
  return descend(0);
}

#endif
