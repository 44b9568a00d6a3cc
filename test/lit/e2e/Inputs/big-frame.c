/* big-frame.c - a green thread calls a function whose frame (a fixed array, or a variable-length
 * array) is larger than its whole 256 KiB stack. Another green thread keeps a sentinel on its own
 * stack. Without stack probes the frame starts below the guard page and the writes land in whatever
 * is mapped there, often another green thread's stack: no message, no crash. With them, the first
 * probe below the stack faults in the guard page and the runtime reports a stack overflow. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "safepoint.h"

enum { FRAME = 300 * 1024 };

static volatile int sentinel_ok = 1;
static sp_chan *check, *checked;

/* A leaf: no loop, no call, so no entry check of its own. */
__attribute__((noinline)) static int fixed_frame(int i) {
  volatile char buf[FRAME];
  buf[i] = 1;
  return buf[FRAME - 1 - i];
}

__attribute__((noinline)) static int variable_frame(int n) {
  volatile char buf[n];
  buf[0] = 1;
  return buf[n - 1];
}

static void victim(void *arg) {
  volatile char mine[4096];
  memset((char *)mine, 0x5a, sizeof mine);
  int token = 0;
  sp_chan_recv(check, &token);
  for (size_t i = 0; i < sizeof mine; i++)
    if (mine[i] != 0x5a)
      sentinel_ok = 0;
  sp_chan_send(checked, &token);
}

static void big(void *arg) {
  /* Indices from the clock, so the compiler cannot shrink the array to the bytes it touches. */
  int jitter = (int)(sp_now_ns() & 1);
  int r = *(int *)arg ? variable_frame(FRAME + jitter) : fixed_frame(jitter);
  printf("big frame returned %d\n", r);
  fflush(stdout);
}

static int green_main(int argc, char **argv) {
  int variable = argc > 1 && strcmp(argv[1], "vla") == 0;
  check = sp_chan_make(sizeof(int), 0);
  checked = sp_chan_make(sizeof(int), 0);
  for (int i = 0; i < 8; i++)
    sp_go(victim, NULL);
  sp_yield();
  sp_go(big, &variable);
  sp_sleep_ns(50 * 1000 * 1000);
  int token = 0;
  for (int i = 0; i < 8; i++) {
    sp_chan_send(check, &token);
    sp_chan_recv(checked, &token);
  }
  printf("sentinels %s\n", sentinel_ok ? "intact" : "overwritten");
  return 0;
}

int main(int argc, char **argv) { return sp_main(green_main, argc, argv); }
