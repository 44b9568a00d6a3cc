/* The C library's own frames near the bottom of a green thread's stack. glibc sizes its alloca
 * buffers by the M's pthread stack, not the green thread's: __libc_use_alloca allows up to
 * __MAX_ALLOCA_CUTOFF (64 KiB) on a thread whose stack is 256 KiB or more (the runtime's Ms), and
 * glibc is built without stack probes. printf("%.Nf") converts the number into an alloca'd
 * wide-character buffer of about 4*N bytes (__printf_fp) and writes it from its low end up: with
 * N = PRECISION that buffer is just under 64 KiB, as large as glibc allows, and lies below the
 * frames of snprintf, vfprintf and __printf_fp, parts of which are never written. The program
 * stands argv[1] bytes above the guard region (an alloca in the last level of a recursion puts the
 * stack pointer there to the byte), calls snprintf, and maps a region below the guard region, as
 * the next green thread's stack would be (guard-neighbour.h). Its SIGSEGV handler, which the
 * runtime calls after it has named the overflow, says whether anything was written below the
 * region before the fault. */
#define _GNU_SOURCE
#include <safepoint.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guard-neighbour.h"

#ifndef PRECISION
#define PRECISION 16370
#endif

static char out[PRECISION + 64];
static struct guard_neighbour guard;

__attribute__((noinline)) static long convert(void) {
  return snprintf(out, sizeof out, "%.*f", PRECISION, 1.0 / 3);
}

static int body(int argc, char **argv) {
  /* Once high on the stack first: the dynamic linker's lazy binding of snprintf (which saves the
   * vector registers on the stack) is not what is measured. */
  convert();
  memset(out, 0, sizeof out);
  guard = map_below_guard();
  report_writes_below_on_segv(&guard);
  long r = call_at_height(guard.guard_top + (argc > 1 ? (uintptr_t)atol(argv[1]) : 2048), convert);
  printf("recursion returned %d, %zu characters\n", r > 0, strlen(out));
  report_writes_below(&guard);
  return 0;
}

int main(int argc, char **argv) { return sp_main(body, argc, argv); }
