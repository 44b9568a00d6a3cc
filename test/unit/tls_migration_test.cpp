// tls_migration_test.cpp - thread-local addresses follow the green thread: eight green threads
// preempted every 100 us at the back-edges of loops that clang compiled with a thread-local address
// computed once, before the loop, migrating between Ps (loops with calls, and a loop whose only switch
// point is its poll, once per chunk of iterations). errno must read what close() just wrote,
// and a thread-local variable must be reached at the running OS thread's address. In every poll mode, non-PIC and PIC
// (general-dynamic TLS), at SPMAXPROCS 1, 2 and 4.
#include <atomic>

#include "runtime_test_util.h"

extern "C" {
#define SP_DECLARE_TLS_HOGS(prefix)        \
  long prefix##_errno_mistakes(long n);    \
  long prefix##_tls_wrong_addresses(long n); \
  long prefix##_h_errno_mistakes(long n, int mine); \
  long prefix##_chunked_wrong_addresses(long n);
#define SP_DECLARE_TLS_MODE(mode, Name)           \
  SP_DECLARE_TLS_HOGS(sp_tls_exec_##mode)          \
  SP_DECLARE_TLS_HOGS(sp_tls_pic_##mode)
SP_FOR_EACH_POLL_MODE(SP_DECLARE_TLS_MODE)
}

using sp_test::Go;
using sp_test::RunGreen;

namespace {

struct Variant {
  const char *name;
  long (*errno_mistakes)(long);
  long (*tls_wrong_addresses)(long);
  long (*h_errno_mistakes)(long, int);
  long (*chunked_wrong_addresses)(long);
};

#define SP_TLS_VARIANT(name, prefix) \
  {name, prefix##_errno_mistakes, prefix##_tls_wrong_addresses, prefix##_h_errno_mistakes, \
   prefix##_chunked_wrong_addresses},
#define SP_TLS_EXEC(mode, Name) SP_TLS_VARIANT(#Name, sp_tls_exec_##mode)
#define SP_TLS_PIC(mode, Name) SP_TLS_VARIANT(#Name "Pic", sp_tls_pic_##mode)
const Variant kVariants[] = {SP_FOR_EACH_POLL_MODE(SP_TLS_EXEC) SP_FOR_EACH_POLL_MODE(SP_TLS_PIC)};

constexpr int kGreenThreads = 8;

class TlsMigration : public sp_test::VariantsAndProcsTest<kVariants> {};

// Eight green threads preempted every 100 us (and often at 2 and 4 Ps moved to another OS thread)
// check their thread-local state after every call.
unsigned long MistakesOfEightGreenThreads(int procs, std::function<long(int)> round) {
  return sp_test::MistakesWhilePreempted(procs, kGreenThreads, 16, 1, round);
}

TEST_P(TlsMigration, ErrnoReadsWhatTheLastCallWrote) {
  EXPECT_EQ(MistakesOfEightGreenThreads(procs(), [&](int) { return variant().errno_mistakes(50000); }),
            0u)
      << "errno read through another OS thread's address";
}

TEST_P(TlsMigration, HErrnoFollowsTheGreenThread) {
  EXPECT_EQ(MistakesOfEightGreenThreads(
                procs(), [&](int i) { return variant().h_errno_mistakes(5000, i + 1); }),
            0u)
      << "h_errno read another green thread's value";
}

TEST_P(TlsMigration, ThreadLocalAccessesGoToTheRunningThread) {
  EXPECT_EQ(MistakesOfEightGreenThreads(procs(),
                                        [&](int) { return variant().tls_wrong_addresses(250000); }),
            0u)
      << "a thread-local variable was reached through another OS thread's address";
}

// A loop without calls polls once per chunk of iterations; the addresses computed before it must be
// computed again after each poll.
TEST_P(TlsMigration, AddressesInALoopWithoutCallsFollowTheThread) {
  EXPECT_EQ(MistakesOfEightGreenThreads(
                procs(), [&](int) { return variant().chunked_wrong_addresses(1000000); }),
            0u)
      << "a loop used another OS thread's thread-local address after its poll";
}

SP_INSTANTIATE_VARIANTS_AND_PROCS(TlsMigration, kVariants, 1, 2, 4);

}  // namespace
