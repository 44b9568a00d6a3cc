/* A hog loop for Inputs/dlcycle-main.c, built into two libraries that the loader maps at the same
 * address one after the other. VARIANT pads the code in front of the loop, so the same addresses
 * hold different instructions (and the two site tables disagree) in the two libraries. */
#ifndef VARIANT
#define VARIANT 0
#endif

#if VARIANT
__attribute__((noinline)) unsigned long lib_pad(unsigned long x) {
  for (int i = 0; i < 3; i++)
    x = x * 31 + (unsigned long)i;
  return x ^ (x >> 7);
}
#endif

/* Spins until *stop is set; the trip count is unknown, so the back-edge polls. */
unsigned long lib_hog(volatile int *stop) {
  unsigned long x = 1;
#if VARIANT
  x = lib_pad(x);
#endif
  while (!*stop)
    x = x * 6364136223846793005ul + (x >> 29) + 1442695040888963407ul;
  return x;
}
