// tls_migration_test.cpp - thread-local addresses follow the green thread: eight green threads
// preempted every 100 us at the back-edges of loops that clang compiled with a thread-local address
// computed once, before the loop, migrating between Ps. errno must read what close() just wrote,
// and a thread-local variable must be reached at the running OS thread's address. In every poll mode, non-PIC and PIC
// (general-dynamic TLS), at SPMAXPROCS 1, 2 and 4.
#include <atomic>

#include "runtime_test_util.h"

extern "C" {
#define SP_DECLARE_TLS_HOGS(prefix)          \
  long prefix##_errno_mistakes(long n);      \
  long prefix##_tls_wrong_addresses(long n);    \
  long prefix##_h_errno_mistakes(long n, int mine);
#define SP_DECLARE_TLS_MODES(model)                    \
  SP_DECLARE_TLS_HOGS(sp_tls_##model##_thread_page)   \
  SP_DECLARE_TLS_HOGS(sp_tls_##model##_global_page)   \
  SP_DECLARE_TLS_HOGS(sp_tls_##model##_flag)          \
  SP_DECLARE_TLS_HOGS(sp_tls_##model##_call)
SP_DECLARE_TLS_MODES(exec)
SP_DECLARE_TLS_MODES(pic)
}

using sp_test::Go;
using sp_test::RunGreen;

namespace {

struct Variant {
  const char *name;
  long (*errno_mistakes)(long);
  long (*tls_wrong_addresses)(long);
  long (*h_errno_mistakes)(long, int);
};

#define SP_TLS_VARIANT(name, prefix) \
  { name, prefix##_errno_mistakes, prefix##_tls_wrong_addresses, prefix##_h_errno_mistakes }
const Variant kVariants[] = {
    SP_TLS_VARIANT("ThreadPage", sp_tls_exec_thread_page),
    SP_TLS_VARIANT("GlobalPage", sp_tls_exec_global_page),
    SP_TLS_VARIANT("Flag", sp_tls_exec_flag),
    SP_TLS_VARIANT("Call", sp_tls_exec_call),
    SP_TLS_VARIANT("ThreadPagePic", sp_tls_pic_thread_page),
    SP_TLS_VARIANT("GlobalPagePic", sp_tls_pic_global_page),
    SP_TLS_VARIANT("FlagPic", sp_tls_pic_flag),
    SP_TLS_VARIANT("CallPic", sp_tls_pic_call),
};

constexpr int kGreenThreads = 8;

class TlsMigration : public ::testing::TestWithParam<std::tuple<int, int>> {
 protected:
  int procs() const { return std::get<0>(GetParam()); }
  const Variant &variant() const { return kVariants[std::get<1>(GetParam())]; }
};

TEST_P(TlsMigration, ErrnoReadsWhatTheLastCallWrote) {
  std::atomic<long> mistakes{0};
  RunGreen(
      procs(),
      [&] {
        sp_waitgroup wg = SP_WAITGROUP_INIT;
        sp_wg_add(&wg, kGreenThreads);
        for (int i = 0; i < kGreenThreads; i++)
          Go([&] {
            sp_test::RepeatUntilPreempted(16, 1, [&] { mistakes += variant().errno_mistakes(50000); });
            sp_wg_done(&wg);
          });
        sp_wg_wait(&wg);
      },
      "quantum=100");
  sp_stats s;
  sp_stats_get(&s);
  EXPECT_EQ(mistakes.load(), 0) << "errno read through another OS thread's address";
  EXPECT_GE(s.preemptions, 1u);
}

TEST_P(TlsMigration, HErrnoFollowsTheGreenThread) {
  std::atomic<long> mistakes{0};
  RunGreen(
      procs(),
      [&] {
        sp_waitgroup wg = SP_WAITGROUP_INIT;
        sp_wg_add(&wg, kGreenThreads);
        for (int i = 0; i < kGreenThreads; i++)
          Go([&, i] {
            sp_test::RepeatUntilPreempted(
                16, 1, [&] { mistakes += variant().h_errno_mistakes(5000, i + 1); });
            sp_wg_done(&wg);
          });
        sp_wg_wait(&wg);
      },
      "quantum=100");
  sp_stats s;
  sp_stats_get(&s);
  EXPECT_EQ(mistakes.load(), 0) << "h_errno read another green thread's value";
  EXPECT_GE(s.preemptions, 1u);
}

TEST_P(TlsMigration, ThreadLocalAccessesGoToTheRunningThread) {
  std::atomic<long> wrong{0};
  RunGreen(
      procs(),
      [&] {
        sp_waitgroup wg = SP_WAITGROUP_INIT;
        sp_wg_add(&wg, kGreenThreads);
        for (int i = 0; i < kGreenThreads; i++)
          Go([&] {
            sp_test::RepeatUntilPreempted(16, 1,
                                          [&] { wrong += variant().tls_wrong_addresses(250000); });
            sp_wg_done(&wg);
          });
        sp_wg_wait(&wg);
      },
      "quantum=100");
  sp_stats s;
  sp_stats_get(&s);
  EXPECT_EQ(wrong.load(), 0) << "a thread-local variable was reached through another OS thread's address";
  EXPECT_GE(s.preemptions, 1u);
}

std::string Name(const ::testing::TestParamInfo<std::tuple<int, int>> &info) {
  return std::string(kVariants[std::get<1>(info.param)].name) + "Procs" +
         std::to_string(std::get<0>(info.param));
}

INSTANTIATE_TEST_SUITE_P(ModesAndProcs, TlsMigration,
                         ::testing::Combine(::testing::Values(1, 2, 4), ::testing::Range(0, 8)),
                         Name);

}  // namespace
