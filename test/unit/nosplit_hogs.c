/* nosplit_hogs.c - the same spin loop twice, once marked SP_NOSPLIT, compiled with the pass once per
 * poll mode. The pass warns that nothing bounds the nosplit loop: that is the point of this test. */
#include "safepoint.h"

#define SP_CAT2(a, b) a##b
#define SP_CAT(a, b) SP_CAT2(a, b)
#define SP_NAME(name) SP_CAT(SP_HOG_PREFIX, name)

unsigned long SP_NAME(_nosplit_for)(int64_t ns);
unsigned long SP_NAME(_twin_for)(int64_t ns);

SP_NOSPLIT unsigned long SP_NAME(_nosplit_for)(int64_t ns) {
  unsigned long x = 1;
  int64_t end = sp_now_ns() + ns;
  while (sp_now_ns() < end)
    x = x * 6364136223846793005ul + 1442695040888963407ul;
  return x;
}

unsigned long SP_NAME(_twin_for)(int64_t ns) {
  unsigned long x = 1;
  int64_t end = sp_now_ns() + ns;
  while (sp_now_ns() < end)
    x = x * 6364136223846793005ul + 1442695040888963407ul;
  return x;
}
