// hog_modes.h - the hog loops of plugin_hog.c, compiled once per poll mode
// (sp_add_instrumented_objects(sp_hog plugin_hog.c)), as one table for tests parameterized by mode.
#ifndef SP_HOG_MODES_H
#define SP_HOG_MODES_H

#include <cstdint>

#include "runtime_test_util.h"

extern "C" {
#define SP_DECLARE_HOG(mode, Name)                                                     \
  unsigned long sp_hog_##mode##_until(volatile int *stop);                             \
  unsigned long sp_hog_##mode##_for(int64_t ns);                                       \
  void sp_hog_##mode##_counting(volatile int *stop, volatile unsigned long *count);     \
  unsigned long sp_hog_##mode##_mix(unsigned long rounds);
SP_FOR_EACH_POLL_MODE(SP_DECLARE_HOG)
#undef SP_DECLARE_HOG
}

namespace sp_test {

struct HogMode {
  const char *name;
  unsigned long (*until)(volatile int *);
  unsigned long (*spin_for)(int64_t);
  void (*counting)(volatile int *, volatile unsigned long *);
  unsigned long (*mix)(unsigned long);
};

#define SP_HOG_MODE(mode, Name)                                                        \
  {#Name, sp_hog_##mode##_until, sp_hog_##mode##_for, sp_hog_##mode##_counting,       \
   sp_hog_##mode##_mix},
inline constexpr HogMode kHogModes[] = {SP_FOR_EACH_POLL_MODE(SP_HOG_MODE)};
#undef SP_HOG_MODE

}  // namespace sp_test

#endif  // SP_HOG_MODES_H
