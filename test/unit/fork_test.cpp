// fork_test.cpp - fork() from a green thread: the child runs only the forking green thread, its
// polls (compiled in each poll mode) are inert, and runtime calls that need the scheduler end the
// child with a fatal error that names fork. The parent keeps running its green threads.
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <string>

#include "hog_modes.h"

using sp_test::Go;
using sp_test::RunGreen;

namespace {

using Mode = sp_test::HogMode;
constexpr const auto &kModes = sp_test::kHogModes;

class ForkTest : public sp_test::VariantsAndProcsTest<kModes> {
 protected:
  const Mode &mode() const { return variant(); }
};

// Written by children, read by the parent: shared memory.
struct ChildReport {
  std::atomic<int> others_ran_in_child;
};

// Waits for a child without blocking the P; a child that has not exited after 10 s (one that
// runs its parent's green threads may never come back to exit) is killed and counts as a failure.
bool ChildExitedCleanly(pid_t pid) {
  int64_t give_up = sp_now_ns() + 10000000000LL;
  int status = 0;
  for (;;) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid)
      return WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (sp_now_ns() > give_up) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return false;
    }
    sp_sleep_ns(100000);
  }
}

// Children fork at random points of a quantum of 100 us, while hogs compiled in the mode under test
// keep every P busy and preemption requests flying; each child spins 0.5 ms through its own polls
// and exits. In the child, nothing but the forking green thread may run: the hogs would report it.
TEST_P(ForkTest, TheChildRunsOnlyTheForkingGreenThreadAndItsPollsAreInert) {
  const Mode &m = mode();
  constexpr int kChildren = 25;
  auto *report = static_cast<ChildReport *>(
      mmap(nullptr, sizeof(ChildReport), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
  ASSERT_NE(report, MAP_FAILED);
  new (report) ChildReport{};
  int clean = 0;
  RunGreen(
      procs(),
      [&] {
        pid_t parent = getpid();
        std::atomic<bool> stop{false};
        sp_waitgroup wg = SP_WAITGROUP_INIT;
        int hogs = procs() + 1;
        sp_wg_add(&wg, hogs);
        for (int i = 0; i < hogs; i++)
          Go([&] {
            while (!stop.load()) {
              m.spin_for(20000);
              if (getpid() != parent) {
                report->others_ran_in_child++;
                _exit(3);
              }
            }
            sp_wg_done(&wg);
          });
        for (int i = 0; i < kChildren; i++) {
          m.spin_for(50000);  // forks at a different point of the quantum each time
          pid_t pid = fork();
          if (pid == 0) {
            m.spin_for(500000);
            _exit(0);
          }
          ASSERT_GT(pid, 0);
          clean += ChildExitedCleanly(pid);
        }
        stop = true;
        sp_wg_wait(&wg);
      },
      "quantum=100");
  EXPECT_EQ(report->others_ran_in_child.load(), 0)
      << "children ran their parent's other green threads";
  EXPECT_EQ(clean, kChildren);
  munmap(report, sizeof(ChildReport));
}

// Not at 4 Ps: on a 2-core machine, five page-faulting hogs make every fork take milliseconds (the
// fork waits for the address space's lock), and 1 and 2 Ps already fail without the fix.
SP_INSTANTIATE_VARIANTS_AND_PROCS(ForkTest, kModes, 1, 2);

// A runtime call that needs the scheduler, in the child: a fatal error that says why.
// A green thread whose P sysmon handed off (it blocked in read()) comes back while another green
// thread holds the world stopped, and forks before its next poll. The child must inherit neither
// the handed-off state nor the pending stop: its first pthread mutex would give the lock back and
// wait for a world that never starts again (lock_handoff.c).
TEST(ForkChild, AChildOfAHandedOffGreenThreadTakesLocksWhileItsParentsWorldIsStopped) {
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_CLOEXEC), 0);
  bool child_ok = false;
  std::atomic<bool> reading{false}, forked{false};
  RunGreen(
      1,
      [&] {
        sp_waitgroup wg = SP_WAITGROUP_INIT;
        sp_wg_add(&wg, 2);
        Go([&] {
          reading = true;
          char c;
          (void)!read(fds[0], &c, 1);
          // Back on its handed-off P inside the stopped world; this code has no poll.
          pid_t pid = fork();
          if (pid == 0) {
            pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
            pthread_mutex_lock(&mu);
            pthread_mutex_unlock(&mu);
            _exit(0);
          }
          forked = true;
          child_ok = pid > 0 && ChildExitedCleanly(pid);
          sp_wg_done(&wg);
        });
        Go([&] {
          while (!reading.load())
            sp_sleep_ns(100 * 1000);
          sp_sleep_ns(5 * 1000 * 1000);  // on one P this runs only once the reader's P is handed off
          sp_stop_the_world();
          (void)!write(fds[1], "x", 1);
          for (int64_t give_up = sp_now_ns() + 2000000000LL; !forked.load() && sp_now_ns() < give_up;) {
          }
          sp_start_the_world();
          sp_wg_done(&wg);
        });
        sp_wg_wait(&wg);
      },
      "quantum=200");
  close(fds[0]);
  close(fds[1]);
  EXPECT_TRUE(forked.load()) << "the reader did not fork while the world was stopped";
  EXPECT_TRUE(child_ok) << "the child hung (or failed) taking a mutex";
}

TEST(ForkChild, SchedulerCallsInTheChildAreAFatalErrorThatNamesFork) {
  std::string message;
  int status = 0;
  RunGreen(1, [&] {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    if (pid == 0) {
      dup2(fds[1], STDERR_FILENO);
      sp_sleep_ns(1000);
      _exit(0);
    }
    close(fds[1]);
    char buf[512];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof(buf))) > 0)
      message.append(buf, static_cast<size_t>(n));
    close(fds[0]);
    waitpid(pid, &status, 0);
  });
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT) << "status " << status;
  EXPECT_NE(message.find("fatal error: sp_sleep_ns called outside a green thread (in the child of "
                         "fork(): the runtime does not run there)"),
            std::string::npos)
      << message;
}

}  // namespace
