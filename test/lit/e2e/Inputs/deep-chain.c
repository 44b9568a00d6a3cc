/* deep-chain.c - a green thread runs down a chain of 128 distinct functions, none recursive, each
 * with a 3000-byte frame: 375 KiB, more than its 256 KiB stack. The chain is on no call-graph cycle,
 * so none of its functions gets an entry check; each frame is smaller than a page, so none is
 * probed either. What reports the overflow is the guard page: every frame writes its lowest byte and
 * every call pushes a return address, so the stack is touched at least once a page on the way down
 * and the first touch below the stack faults in the guard page. */
#include <stdio.h>

#include "safepoint.h"

enum { FRAME = 3000 };

#define LINK(name, next)                                                                       \
  static int next(int);                                                                        \
  __attribute__((noinline)) static int name(int d) {                                           \
    volatile char buf[FRAME];                                                                  \
    buf[0] = (char)d;                                                                          \
    buf[FRAME - 1] = (char)d;                                                                  \
    return next(d + 1) + buf[(unsigned)d % FRAME];                                             \
  }
/* CHAIN_N(p, n) defines a chain of N functions whose first is p_0_..._0 and whose last calls n. */
#define CHAIN_2(p, n) LINK(p##_0, p##_1) LINK(p##_1, n)
#define CHAIN_4(p, n) CHAIN_2(p##_0, p##_1_0) CHAIN_2(p##_1, n)
#define CHAIN_8(p, n) CHAIN_4(p##_0, p##_1_0_0) CHAIN_4(p##_1, n)
#define CHAIN_16(p, n) CHAIN_8(p##_0, p##_1_0_0_0) CHAIN_8(p##_1, n)
#define CHAIN_32(p, n) CHAIN_16(p##_0, p##_1_0_0_0_0) CHAIN_16(p##_1, n)
#define CHAIN_64(p, n) CHAIN_32(p##_0, p##_1_0_0_0_0_0) CHAIN_32(p##_1, n)
#define CHAIN_128(p, n) CHAIN_64(p##_0, p##_1_0_0_0_0_0_0) CHAIN_64(p##_1, n)

__attribute__((noinline)) static int bottom(int d) { return d; }
CHAIN_128(chain, bottom)

static void run(void *arg) {
  int r = chain_0_0_0_0_0_0_0((int)(sp_now_ns() & 1));
  printf("chain returned %d\n", r);
  fflush(stdout);
}

static int green_main(int argc, char **argv) {
  sp_go(run, NULL);
  sp_sleep_ns(50 * 1000 * 1000);
  printf("main done\n");
  return 0;
}

int main(int argc, char **argv) { return sp_main(green_main, argc, argv); }
