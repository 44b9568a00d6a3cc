// signal_test.cpp - signal handlers whose polls (compiled in each poll mode) run while preemption is
// asked for: they never switch green threads, so the next signal of the same kind still arrives;
// sigaction reports the program's own handler; handlers left with siglongjmp stop counting as
// signal context. test/lit/e2e/signals.test covers the same with sp-cc programs (SIGSEGV, SIGPIPE,
// raise); this copy also runs under ASan and TSan.
#include <setjmp.h>
#include <signal.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <string>

#include "hog_modes.h"

using sp_test::Go;
using sp_test::RunGreen;

namespace {

using Mode = sp_test::HogMode;
constexpr const auto &kModes = sp_test::kHogModes;

// The handlers' polls: the mode under test, read by the handlers.
unsigned long (*handler_spin)(int64_t);
std::atomic<int> handled;
sigjmp_buf recover;

// 300 us of polls: longer than the 100 us quantum, so sysmon asks the handler's G to stop.
void CountingHandler(int) {
  handler_spin(300000);
  handled++;
}

void RecoveringHandler(int sig) {
  handler_spin(300000);
  siglongjmp(recover, sig);
}

class SignalTest : public ::testing::TestWithParam<std::tuple<int, int>> {
 protected:
  int procs() const { return std::get<0>(GetParam()); }
  const Mode &mode() const { return kModes[std::get<1>(GetParam())]; }
};

void Install(int sig, void (*fn)(int), struct sigaction *old) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = fn;
  sigemptyset(&sa.sa_mask);
  ASSERT_EQ(sigaction(sig, &sa, old), 0);
}

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SP_TEST_TSAN 1
#endif
#endif

TEST_P(SignalTest, HandlersPollingUnderPreemptionNeverSwitchAndKeepTheirSignal) {
  const Mode &m = mode();
#ifdef SP_TEST_TSAN
  // Under TSan the page modes die of SIGSEGV here: a poll fault inside a handler is not delivered
  // to the runtime. TSan installs its own kernel handler and runs the program's handlers from it
  // (docs/runtime.md, Signals); flag and call mode still run.
  if (std::get<1>(GetParam()) <= 1)
    GTEST_SKIP() << "page-mode polls in signal handlers do not work under ThreadSanitizer";
#endif
  handler_spin = m.spin_for;
  handled = 0;
  constexpr int kSignals = 10;
  int recovered = 0;
  bool reported_own = false;
  struct sigaction old_usr1, old_fpe;
  RunGreen(
      procs(),
      [&] {
        std::atomic<bool> stop{false};
        sp_waitgroup wg = SP_WAITGROUP_INIT;
        sp_wg_add(&wg, procs());
        for (int i = 0; i < procs(); i++)
          Go([&] {
            while (!stop.load())
              m.spin_for(50000);
            sp_wg_done(&wg);
          });
        Install(SIGUSR1, CountingHandler, &old_usr1);
        struct sigaction back;
        sigaction(SIGUSR1, nullptr, &back);
        reported_own = back.sa_handler == CountingHandler;
        for (int i = 0; i < kSignals; i++) {
          raise(SIGUSR1);
          m.spin_for(50000);
        }
        // A handler that never returns: siglongjmp out of it, then the same signal again.
        Install(SIGFPE, RecoveringHandler, &old_fpe);
        for (int i = 0; i < kSignals; i++) {
          if (sigsetjmp(recover, 1) == 0)
            raise(SIGFPE);
          else
            recovered++;
          m.spin_for(50000);
        }
        stop = true;
        sp_wg_wait(&wg);
      },
      "quantum=100");
  sigaction(SIGUSR1, &old_usr1, nullptr);
  sigaction(SIGFPE, &old_fpe, nullptr);
  EXPECT_TRUE(reported_own) << "sigaction did not report the program's own handler";
  EXPECT_EQ(handled.load(), kSignals);
  EXPECT_EQ(recovered, kSignals);
}

// A timer signal every 50 us whose handler polls 300 times, beside hogs that keep every P busy
// and preemption requests (through the shared page too, in global-page code) coming every 200 us:
// the handler runs on whichever thread the kernel picks, sysmon and Ms that hold the poll page's
// state included. It must never keep the runtime from making progress. Runs in a child, so that a
// hang fails the test after 30 s instead of holding up CI.
TEST_P(SignalTest, TimerSignalStormBesidePreemptionFinishes) {
  const Mode &m = mode();
#ifdef SP_TEST_TSAN
  if (std::get<1>(GetParam()) <= 1)
    GTEST_SKIP() << "page-mode polls in signal handlers do not work under ThreadSanitizer";
#endif
  static const Mode *storm_mode;
  static std::atomic<int> storm_handled;
  storm_mode = &m;
  pid_t pid = fork();
  ASSERT_NE(pid, -1);
  if (pid == 0) {
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = [](int) {
      storm_mode->mix(300);
      storm_handled++;
    };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, nullptr);
    int slept = 0;
    RunGreen(
        procs(),
        [&] {
          std::atomic<bool> stop{false};
          sp_waitgroup wg = SP_WAITGROUP_INIT;
          sp_wg_add(&wg, procs() + 1);
          for (int i = 0; i < procs() + 1; i++)
            Go([&] {
              while (!stop.load())
                m.spin_for(100000);
              sp_wg_done(&wg);
            });
          struct itimerval every_50us = {{0, 50}, {0, 50}};
          setitimer(ITIMER_REAL, &every_50us, nullptr);
          for (; slept < 100; slept++)
            sp_sleep_ns(5000000);
          struct itimerval off = {};
          setitimer(ITIMER_REAL, &off, nullptr);
          stop = true;
          sp_wg_wait(&wg);
        },
        "quantum=200");
    _exit(slept == 100 && storm_handled.load() > 0 ? 0 : 1);
  }
  int64_t give_up = sp_now_ns() + 30000000000LL;
  int status = 0;
  pid_t r;
  while ((r = waitpid(pid, &status, WNOHANG)) == 0 && sp_now_ns() < give_up)
    usleep(10000);
  if (r == 0) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    FAIL() << "the runtime made no progress for 30 s under the signal storm";
  }
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
}

std::string Name(const ::testing::TestParamInfo<std::tuple<int, int>> &info) {
  return std::string(kModes[std::get<1>(info.param)].name) + "Procs" +
         std::to_string(std::get<0>(info.param));
}

// 1 and 2 Ps: at 4 Ps on a 2-core machine, the page-mode hogs' faults make the run take tens of
// seconds, and it adds nothing the 2-P run does not check.
INSTANTIATE_TEST_SUITE_P(ModesAndProcs, SignalTest,
                         ::testing::Combine(::testing::Values(1, 2),
                                            ::testing::Values(0, 1, 2, 3)),
                         Name);

}  // namespace
