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
#include <alloca.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guard-neighbour.h"

#ifndef PRECISION
#define PRECISION 16370
#endif

static uintptr_t stop_at;
static char out[PRECISION + 64];
static struct guard_neighbour guard;

static void on_segv(int sig, siginfo_t *si, void *uc) {
  (void)sig, (void)si, (void)uc;
  fflush(stdout);
  report_writes_below(&guard);
  printf("SIGSEGV handler ran\n");
  fflush(stdout);
  _exit(3);
}

__attribute__((noinline)) static long convert(void) {
  return snprintf(out, sizeof out, "%.*f", PRECISION, 1.0 / 3);
}

__attribute__((noinline)) long down(long n) {
  volatile char frame[256];
  frame[0] = (char)n;
  if ((uintptr_t)frame < stop_at + 1024) {
    /* The rest of the way, to the byte: convert() is called with its return address at stop_at. */
    size_t pad = ((uintptr_t)__builtin_frame_address(0) - stop_at) & ~(size_t)15;
    volatile char *p = alloca(pad > 1024 ? pad - 1024 : 16);
    p[0] = 0;
    return convert() + frame[0] + p[0];
  }
  return down(n + 1) + frame[0];
}

static int body(int argc, char **argv) {
  /* Once high on the stack first: the dynamic linker's lazy binding of snprintf (which saves the
   * vector registers on the stack) is not what is measured. */
  convert();
  memset(out, 0, sizeof out);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_segv;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigaction(SIGSEGV, &sa, NULL);
  guard = map_below_guard();
  stop_at = guard.guard_top + (argc > 1 ? (uintptr_t)atol(argv[1]) : 2048);
  long r = down(argc);
  printf("recursion returned %d, %zu characters\n", r > 0, strlen(out));
  report_writes_below(&guard);
  return 0;
}

int main(int argc, char **argv) { return sp_main(body, argc, argv); }
