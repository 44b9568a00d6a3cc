/* The hog loop of Inputs/mix-main.c, built into a shared library. */
unsigned long lib_mix(unsigned long x, unsigned long rounds) {
  for (unsigned long i = 0; i < rounds; i++)
    x = x * 6364136223846793005ul + (x >> 29) + 1442695040888963407ul;
  return x;
}
