/* plugin_hog.c - hog loops compiled with the Safepoint pass, once per poll mode (CMakeLists.txt
 * builds this file four times, naming the functions after the mode). Nothing here yields: only
 * the polls the pass puts on the loops' back-edges let the runtime take the P away. */
#include "safepoint.h"

#define SP_CAT2(a, b) a##b
#define SP_CAT(a, b) SP_CAT2(a, b)

unsigned long SP_CAT(SP_HOG_PREFIX, _until)(volatile int *stop);
unsigned long SP_CAT(SP_HOG_PREFIX, _for)(int64_t ns);
void SP_CAT(SP_HOG_PREFIX, _counting)(volatile int *stop, volatile unsigned long *count);
unsigned long SP_CAT(SP_HOG_PREFIX, _mix)(unsigned long rounds);

/* Spins until *stop is set; the trip count is unknown, so the back-edge polls. */
unsigned long SP_CAT(SP_HOG_PREFIX, _until)(volatile int *stop) {
  unsigned long x = 1;
  while (!*stop)
    x = x * 6364136223846793005ul + 1442695040888963407ul;
  return x;
}

/* Spins for ns nanoseconds, reading the clock only every million iterations. */
unsigned long SP_CAT(SP_HOG_PREFIX, _for)(int64_t ns) {
  unsigned long x = 1;
  int64_t end = sp_now_ns() + ns;
  while (sp_now_ns() < end)
    for (unsigned long i = 0; i < 1000000; i++)
      x = x * 6364136223846793005ul + (x >> 29) + 1442695040888963407ul;
  return x;
}

/* Spins until *stop is set, counting iterations, so a test can see whether it is running. */
void SP_CAT(SP_HOG_PREFIX, _counting)(volatile int *stop, volatile unsigned long *count) {
  while (!*stop)
    *count = *count + 1;
}

/* rounds iterations, each ending in a back-edge poll: short work for signal handlers. */
unsigned long SP_CAT(SP_HOG_PREFIX, _mix)(unsigned long rounds) {
  unsigned long x = rounds;
  for (unsigned long i = 0; i < rounds; i++)
    x = x * 6364136223846793005ul + (x >> 29) + 1442695040888963407ul;
  return x;
}
