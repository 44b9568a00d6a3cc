// fault_test.cpp - the SIGSEGV handler never swallows a real crash: genuine faults kill the
// process with SIGSEGV or reach the handler installed before the runtime; a read of a poll page
// from an unregistered PC is a crash too; stack overflows are named; and the handler is only
// installed by sp_main.
#include <signal.h>
#include <unistd.h>

#include <cstring>

#include "runtime_test_util.h"
#include "test_polls.h"

using sp_test::Go;
using sp_test::RunGreen;

namespace {

class FaultDeathTest : public sp_test::ProcsDeathTest {};

TEST_P(FaultDeathTest, GenuineSegvInAGreenThreadKillsTheProcessWithSigsegv) {
  int p = procs();
  EXPECT_EXIT(RunGreen(p, [] { *(volatile int *)16 = 1; }), sp_test::DiesOfSegv(),
              "");
}

void PreviousHandler(int, siginfo_t *, void *) {
  const char msg[] = "previous handler ran\n";
  ssize_t w = write(STDERR_FILENO, msg, sizeof(msg) - 1);
  (void)w;
  _exit(42);
}

void FaultWithPreviousHandler(int p) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_sigaction = PreviousHandler;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSEGV, &sa, nullptr);
  RunGreen(p, [] { *(volatile int *)16 = 1; });
}

TEST_P(FaultDeathTest, GenuineSegvReachesTheHandlerInstalledBeforeTheRuntime) {
  EXPECT_EXIT(FaultWithPreviousHandler(procs()), ::testing::ExitedWithCode(42),
              "previous handler ran");
}

TEST_P(FaultDeathTest, PollPageReadFromAnUnregisteredPcIsACrash) {
  int p = procs();
  EXPECT_EXIT(RunGreen(
                  p,
                  [] {
                    for (;;)
                      sp_test_unregistered_poll();  // faults once sysmon arms this thread
                  },
                  "quantum=200"),
              sp_test::DiesOfSegv(), "");
}

volatile int recursion_limit = 1 << 30;  // never reached; keeps the recursion well-defined

__attribute__((noinline)) int RecurseUninstrumented(int n) {
  volatile char frame[512];
  frame[0] = (char)n;
  return n < recursion_limit ? RecurseUninstrumented(n + 1) + frame[0] : 0;
}

TEST_P(FaultDeathTest, StackOverflowIntoTheGuardPageIsNamed) {
  int p = procs();
  EXPECT_EXIT(RunGreen(p, [] { RecurseUninstrumented(0); }), sp_test::DiesOfSegv(),
              "fatal error: green thread stack overflow");
}

__attribute__((noinline)) int RecurseWithEntryCheck(int n) {
  sp_test_entry_check();
  volatile char frame[512];
  frame[0] = (char)n;
  return n < recursion_limit ? RecurseWithEntryCheck(n + 1) + frame[0] : 0;
}

TEST_P(FaultDeathTest, StackOverflowAtAnEntryCheckIsAClearFatalError) {
  int p = procs();
  EXPECT_DEATH(RunGreen(p, [] { RecurseWithEntryCheck(0); }),
               "fatal error: green thread stack overflow");
}

extern "C" int __sigaction(int, const struct sigaction *, struct sigaction *);  // glibc, not interposed

void CheckHandlerLifetime(int p) {
  struct sigaction before, during, after, kernel_before, kernel_during, kernel_after;
  sigaction(SIGSEGV, nullptr, &before);
  __sigaction(SIGSEGV, nullptr, &kernel_before);
  RunGreen(p, [&] {
    sigaction(SIGSEGV, nullptr, &during);
    __sigaction(SIGSEGV, nullptr, &kernel_during);
  });
  sigaction(SIGSEGV, nullptr, &after);
  __sigaction(SIGSEGV, nullptr, &kernel_after);
  // The program is always told about its own action (SIG_DFL, or a sanitizer's handler), never the
  // runtime's.
  bool ok = during.sa_sigaction == before.sa_sigaction && after.sa_sigaction == before.sa_sigaction;
#ifndef SP_TEST_SANITIZED  // a sanitizer may install a wrapper of its own in the kernel
  // The kernel has: whatever was there before; during sp_main, ours, on the signal stack, with
  // SIGSEGV unblocked in it; after, still ours (a late poll fault must not meet the default
  // action), and it still chains: the death tests above fault after the runtime started.
  ok = ok && (kernel_during.sa_flags & SA_SIGINFO) && (kernel_during.sa_flags & SA_ONSTACK) &&
       (kernel_during.sa_flags & SA_NODEFER) &&
       kernel_during.sa_sigaction != kernel_before.sa_sigaction &&
       kernel_after.sa_sigaction == kernel_during.sa_sigaction;
#endif
  _exit(ok ? 0 : 1);
}

TEST_P(FaultDeathTest, SigsegvHandlerIsInstalledBySpMainAndNotBefore) {
  EXPECT_EXIT(CheckHandlerLifetime(procs()), ::testing::ExitedWithCode(0), "");
}

void FaultAfterSpMainReturned(int p) {
  RunGreen(p, [] {});
  *(volatile int *)16 = 1;
}

TEST_P(FaultDeathTest, GenuineSegvAfterSpMainReturnedStillKillsWithSigsegv) {
  EXPECT_EXIT(FaultAfterSpMainReturned(procs()), sp_test::DiesOfSegv(), "");
}

void RunAndExit(int p, const char *spdebug, int64_t sleep_ns) {
  RunGreen(p, [sleep_ns] { sp_sleep_ns(sleep_ns); }, spdebug);
  _exit(0);
}

TEST_P(FaultDeathTest, UnknownSpdebugKeyIsReported) {
  EXPECT_EXIT(RunAndExit(procs(), "quantum=1000,bogus=1", 0), ::testing::ExitedWithCode(0),
              "SPDEBUG: unknown key \"bogus\"");
}

TEST_P(FaultDeathTest, SchedtracePrintsSchedLines) {
  EXPECT_EXIT(RunAndExit(procs(), "schedtrace=5,scheddetail=1", 30000000),
              ::testing::ExitedWithCode(0), "SCHED [0-9]+ms: gomaxprocs=[0-9]+ idleprocs=");
}

SP_INSTANTIATE_PROCS(FaultDeathTest);

}  // namespace
