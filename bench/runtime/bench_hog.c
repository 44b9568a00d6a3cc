/* bench_hog.c - a hog loop compiled with the Safepoint pass, once per poll mode (CMakeLists.txt
 * names the function after the mode). It never yields: only its back-edge poll can stop it. */
#include "safepoint.h"

#define SP_CAT2(a, b) a##b
#define SP_CAT(a, b) SP_CAT2(a, b)

unsigned long SP_CAT(SP_HOG_PREFIX, _until)(volatile int *stop);

unsigned long SP_CAT(SP_HOG_PREFIX, _until)(volatile int *stop) {
  unsigned long x = 1;
  while (!*stop)
    x = x * 6364136223846793005ul + 1442695040888963407ul;
  return x;
}
