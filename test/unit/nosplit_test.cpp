// nosplit_test.cpp - on one P beside a ticker, a hog marked SP_NOSPLIT is never preempted (it has
// no poll), while its unmarked twin is, in every poll mode.
#include <atomic>

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

using sp_test::Go;
using sp_test::RunGreen;

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

  // How often a ticker sleeping 200 us ticked while hog spun for 150 ms on the same, only P (long
  // enough for several preemptions on a loaded machine).
  int TicksWhileSpinning(unsigned long (*hog)(int64_t)) {
    std::atomic<int> ticks{0};
    std::atomic<bool> spinning{false}, done{false};
    int during = -1;
    RunGreen(
        1,
        [&] {
          sp_waitgroup wg = SP_WAITGROUP_INIT;
          sp_wg_add(&wg, 2);
          Go([&] {
            while (!done.load()) {
              sp_sleep_ns(200000);
              if (spinning.load())
                ticks++;
            }
            sp_wg_done(&wg);
          });
          Go([&] {
            sp_sleep_ns(1000000);
            spinning = true;
            hog(150000000);
            spinning = false;
            during = ticks.load();
            done = true;
            sp_wg_done(&wg);
          });
          sp_wg_wait(&wg);
        },
        "quantum=200");
    return during;
  }
};

TEST_P(NoSplit, MarkedHogIsNeverPreempted) {
  EXPECT_EQ(TicksWhileSpinning(variant().nosplit_for), 0);
}

TEST_P(NoSplit, UnmarkedTwinIsPreempted) { EXPECT_GE(TicksWhileSpinning(variant().twin_for), 1); }

std::string Name(const ::testing::TestParamInfo<int> &info) { return kVariants[info.param].name; }

INSTANTIATE_TEST_SUITE_P(Modes, NoSplit, ::testing::Range(0, 4), Name);

}  // namespace
