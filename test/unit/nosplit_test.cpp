// nosplit_test.cpp - on one P beside a ticker, a hog marked SP_NOSPLIT is never preempted (it has
// no poll), while its unmarked twin is, in every poll mode.
#include "runtime_test_util.h"

extern "C" {
#define SP_DECLARE_NOSPLIT_HOGS(prefix)           \
  unsigned long prefix##_nosplit_for(int64_t ns); \
  unsigned long prefix##_twin_for(int64_t ns);
SP_DECLARE_NOSPLIT_HOGS(sp_nosplit_thread_page)
SP_DECLARE_NOSPLIT_HOGS(sp_nosplit_global_page)
SP_DECLARE_NOSPLIT_HOGS(sp_nosplit_flag)
SP_DECLARE_NOSPLIT_HOGS(sp_nosplit_call)
}

namespace {

struct Variant {
  const char *name;
  unsigned long (*nosplit_for)(int64_t);
  unsigned long (*twin_for)(int64_t);
};

#define SP_NOSPLIT_VARIANT(name, prefix) {name, prefix##_nosplit_for, prefix##_twin_for}
const Variant kVariants[] = {
    SP_NOSPLIT_VARIANT("ThreadPage", sp_nosplit_thread_page),
    SP_NOSPLIT_VARIANT("GlobalPage", sp_nosplit_global_page),
    SP_NOSPLIT_VARIANT("Flag", sp_nosplit_flag),
    SP_NOSPLIT_VARIANT("Call", sp_nosplit_call),
};

class NoSplit : public ::testing::TestWithParam<int> {
 protected:
  const Variant &variant() const { return kVariants[GetParam()]; }

  // How often a ticker ticked beside hog spinning for 150 ms on the same, only P (long enough for
  // several preemptions on a loaded machine).
  int TicksWhileSpinning(unsigned long (*hog)(int64_t)) {
    return sp_test::TicksBesideHog([hog] { hog(150000000); });
  }
};

TEST_P(NoSplit, MarkedHogIsNeverPreempted) {
  EXPECT_EQ(TicksWhileSpinning(variant().nosplit_for), 0);
}

TEST_P(NoSplit, UnmarkedTwinIsPreempted) { EXPECT_GE(TicksWhileSpinning(variant().twin_for), 1); }

std::string Name(const ::testing::TestParamInfo<int> &info) { return kVariants[info.param].name; }

INSTANTIATE_TEST_SUITE_P(Modes, NoSplit, ::testing::Range(0, 4), Name);

}  // namespace
