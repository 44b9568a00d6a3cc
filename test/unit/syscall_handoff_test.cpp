// syscall_handoff_test.cpp - a green thread blocked in the kernel outside the runtime (read on a
// pipe, nanosleep, a pthread mutex or rwlock held by a thread outside the runtime) must not hold its P: sysmon hands the P to another M
// and the other green threads go on. One blocker per P, so without the hand-off nothing else can
// run; a ticker beside them counts the ticks it made while every blocker was inside its call. The
// blockers are compiled with the pass in every poll mode (blocking_calls.c): the M that comes
// back from the call without its P stops at its next poll. At SPMAXPROCS 1 and 2, preempted every
// 200 us; results are compared with the expected values, and every green thread must finish once.
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "runtime_test_util.h"

extern "C" {
#define SP_DECLARE_BLOCKING(prefix)                                                        \
  unsigned long prefix##_mix(unsigned long seed, long n);                                  \
  unsigned long prefix##_read_then_mix(int fd, int *in_call, long n);                \
  long prefix##_sleep_until(int *stop, int *in_call);                         \
  unsigned long prefix##_lock_then_mix(pthread_mutex_t *mu, int *in_call, long n);          \
  unsigned long prefix##_rdlock_then_mix(pthread_rwlock_t *l, int *in_call, long n);        \
  unsigned long prefix##_wrlock_then_mix(pthread_rwlock_t *l, int *in_call, long n);
SP_DECLARE_BLOCKING(sp_blocking_thread_page)
SP_DECLARE_BLOCKING(sp_blocking_global_page)
SP_DECLARE_BLOCKING(sp_blocking_flag)
SP_DECLARE_BLOCKING(sp_blocking_call)
}

using sp_test::Go;
using sp_test::RunGreen;

namespace {

struct Variant {
  const char *name;
  unsigned long (*mix)(unsigned long, long);
  unsigned long (*read_then_mix)(int, int *, long);
  long (*sleep_until)(int *, int *);
  unsigned long (*lock_then_mix)(pthread_mutex_t *, int *, long);
  unsigned long (*rdlock_then_mix)(pthread_rwlock_t *, int *, long);
  unsigned long (*wrlock_then_mix)(pthread_rwlock_t *, int *, long);
};

#define SP_BLOCKING_VARIANT(name, prefix)                                                    \
  {                                                                                          \
    name, prefix##_mix, prefix##_read_then_mix, prefix##_sleep_until, prefix##_lock_then_mix, \
        prefix##_rdlock_then_mix, prefix##_wrlock_then_mix                                    \
  }
const Variant kVariants[] = {
    SP_BLOCKING_VARIANT("ThreadPage", sp_blocking_thread_page),
    SP_BLOCKING_VARIANT("GlobalPage", sp_blocking_global_page),
    SP_BLOCKING_VARIANT("Flag", sp_blocking_flag),
    SP_BLOCKING_VARIANT("Call", sp_blocking_call),
};

constexpr int kTicks = 20;
constexpr long kMixIterations = 300000;
constexpr int kWorkers = 8;
constexpr const char *kSpdebug = "quantum=200";

// What blocking_calls.c's mix computes, without the pass.
unsigned long ExpectedMix(unsigned long seed, long n) {
  unsigned long s = seed;
  for (long i = 0; i < n; i++)
    s = s * 31 + ((unsigned long)i ^ (s >> 7));
  return s;
}

// Writes `byte` into every pipe unless cancelled within 3 s: what ends a read the ticker never
// got to end. A read that returns the watchdog's byte failed the test.
class Watchdog {
 public:
  explicit Watchdog(std::vector<int> fds) : fds_(std::move(fds)), thread_([this] { Run(); }) {}
  ~Watchdog() {
    {
      std::lock_guard<std::mutex> l(mu_);
      cancelled_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  void Run() {
    std::unique_lock<std::mutex> l(mu_);
    if (cv_.wait_for(l, std::chrono::seconds(3), [this] { return cancelled_; }))
      return;
    for (int fd : fds_)
      (void)!write(fd, "W", 1);
  }
  std::vector<int> fds_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool cancelled_ = false;
  std::thread thread_;
};

// Workers that only compute, beside the blockers: each must finish once with the right result.
void SpawnWorkers(const Variant &v, sp_waitgroup *wg, std::atomic<int> *right) {
  sp_wg_add(wg, kWorkers);
  for (int i = 0; i < kWorkers; i++)
    Go([&v, wg, right, i] {
      unsigned long seed = (unsigned long)i;
      if (v.mix(seed, kMixIterations) == ExpectedMix(seed, kMixIterations))
        ++*right;
      sp_wg_done(wg);
    });
}

// How the ticker waits for every blocker to be in its call (or for one to have given up).
void AwaitBlockers(int *in_call, int n, std::atomic<int> *finished) {
  while (__atomic_load_n(in_call, __ATOMIC_SEQ_CST) < n && finished->load() == 0)
    sp_sleep_ns(100 * 1000);
}

// Readers blocked on pipes that only the ticker writes to, after its ticks.
void RunReaders(const Variant &v, int procs, bool lock_os_thread, bool stop_the_world,
                std::vector<unsigned long> *results, int *overlapped, int *same_thread) {
  int n = procs;
  std::vector<int> rfd(n), wfd(n);
  for (int i = 0; i < n; i++) {
    int fds[2];
    ASSERT_EQ(pipe2(fds, O_CLOEXEC), 0);
    rfd[i] = fds[0];
    wfd[i] = fds[1];
  }
  results->assign(n, 0);
  std::atomic<int> finished{0}, right{0}, same{0};
  int in_call = 0;
  int ticks_overlapped = 0;
  {
    Watchdog watchdog(wfd);
    RunGreen(
        procs,
        [&] {
          sp_waitgroup wg = SP_WAITGROUP_INIT;
          sp_wg_add(&wg, n + 1);
          for (int i = 0; i < n; i++)
            Go([&, i] {
              if (lock_os_thread)
                sp_lock_os_thread();
              pthread_t before = pthread_self();
              (*results)[i] = v.read_then_mix(rfd[i], &in_call, kMixIterations);
              if (pthread_equal(before, pthread_self()))
                ++same;
              if (lock_os_thread)
                sp_unlock_os_thread();
              ++finished;
              sp_wg_done(&wg);
            });
          Go([&] {
            AwaitBlockers(&in_call, n, &finished);
            for (int k = 0; k < kTicks; k++) {
              sp_sleep_ns(1000 * 1000);
              if (stop_the_world) {
                sp_stop_the_world();
                sp_start_the_world();
              }
              if (__atomic_load_n(&in_call, __ATOMIC_SEQ_CST) == n)
                ticks_overlapped++;
            }
            for (int i = 0; i < n; i++)
              (void)!write(wfd[i], "T", 1);
            sp_wg_done(&wg);
          });
          sp_waitgroup workers = SP_WAITGROUP_INIT;
          SpawnWorkers(v, &workers, &right);
          sp_wg_wait(&wg);
          sp_wg_wait(&workers);
        },
        kSpdebug);
  }
  for (int i = 0; i < n; i++) {
    close(rfd[i]);
    close(wfd[i]);
  }
  EXPECT_EQ(right.load(), kWorkers) << "a worker beside the blockers was lost or computed wrong";
  *overlapped = ticks_overlapped;
  *same_thread = same.load();
}

class SyscallHandoff : public ::testing::TestWithParam<std::tuple<int, int>> {
 protected:
  int procs() const { return std::get<0>(GetParam()); }
  const Variant &variant() const { return kVariants[std::get<1>(GetParam())]; }
};

TEST_P(SyscallHandoff, TickerRunsWhileEveryPIsBlockedInRead) {
  std::vector<unsigned long> results;
  int overlapped = 0, same_thread = 0;
  RunReaders(variant(), procs(), false, false, &results, &overlapped, &same_thread);
  for (unsigned long r : results)
    EXPECT_EQ(r, ExpectedMix('T', kMixIterations)) << "a read did not return the ticker's byte";
  EXPECT_EQ(overlapped, kTicks) << "the ticker ticked while a reader was not blocked";
}

TEST_P(SyscallHandoff, LockedGreenThreadKeepsItsThreadAcrossTheHandoff) {
  std::vector<unsigned long> results;
  int overlapped = 0, same_thread = 0;
  RunReaders(variant(), procs(), true, false, &results, &overlapped, &same_thread);
  for (unsigned long r : results)
    EXPECT_EQ(r, ExpectedMix('T', kMixIterations)) << "a read did not return the ticker's byte";
  EXPECT_EQ(overlapped, kTicks);
  EXPECT_EQ(same_thread, procs()) << "a locked green thread came back on another OS thread";
}

// Stopping the world must not wait for an M that sits in a system call without a P.
TEST_P(SyscallHandoff, StopTheWorldDoesNotWaitForABlockedCall) {
  std::vector<unsigned long> results;
  int overlapped = 0, same_thread = 0;
  RunReaders(variant(), procs(), false, true, &results, &overlapped, &same_thread);
  for (unsigned long r : results)
    EXPECT_EQ(r, ExpectedMix('T', kMixIterations)) << "a read did not return the ticker's byte";
  EXPECT_EQ(overlapped, kTicks);
}

// Blockers wait for a lock that an OS thread outside the runtime holds until the ticker has ticked
// (or 3 s have passed): a futex wait in the kernel inside the runtime's lock interposer. take()
// and give() are the holder's calls, wait(in_call) the blocker's; each returns the mixed result.
void RunLockWaiters(int procs, const Variant &v, const std::function<void()> &take,
                    const std::function<void()> &give,
                    const std::function<unsigned long(int *in_call)> &wait) {
  int n = procs;
  std::vector<unsigned long> results(n, 0);
  std::atomic<int> finished{0}, right{0};
  std::atomic<bool> held{false}, release{false};
  int in_call = 0;
  int overlapped = 0;
  std::thread holder([&] {
    take();
    held = true;
    for (int waited_ms = 0; !release && waited_ms < 3000; waited_ms++)
      usleep(1000);
    give();
  });
  while (!held)
    usleep(100);
  RunGreen(
      n,
      [&] {
        sp_waitgroup wg = SP_WAITGROUP_INIT;
        sp_wg_add(&wg, n + 1);
        Go([&] {
          AwaitBlockers(&in_call, n, &finished);
          for (int k = 0; k < kTicks; k++) {
            sp_sleep_ns(1000 * 1000);
            if (__atomic_load_n(&in_call, __ATOMIC_SEQ_CST) == n)
              overlapped++;
          }
          release = true;
          sp_wg_done(&wg);
        });
        for (int i = 0; i < n; i++)
          Go([&, i] {
            results[i] = wait(&in_call);
            ++finished;
            sp_wg_done(&wg);
          });
        sp_waitgroup workers = SP_WAITGROUP_INIT;
        SpawnWorkers(v, &workers, &right);
        sp_wg_wait(&wg);
        sp_wg_wait(&workers);
      },
      kSpdebug);
  holder.join();
  for (unsigned long r : results)
    EXPECT_EQ(r, ExpectedMix(1, kMixIterations)) << "a lock wait failed or computed wrong";
  EXPECT_EQ(overlapped, kTicks) << "the ticker ticked while a blocker did not wait for the lock";
  EXPECT_EQ(right.load(), kWorkers) << "a worker beside the blockers was lost or computed wrong";
}

TEST_P(SyscallHandoff, TickerRunsWhileEveryPWaitsForAPthreadMutex) {
  const Variant &v = variant();
  pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  RunLockWaiters(
      procs(), v, [&] { pthread_mutex_lock(&mu); }, [&] { pthread_mutex_unlock(&mu); },
      [&](int *in_call) { return v.lock_then_mix(&mu, in_call, kMixIterations); });
}

TEST_P(SyscallHandoff, TickerRunsWhileEveryPWaitsToReadLockAnRwlock) {
  const Variant &v = variant();
  pthread_rwlock_t l = PTHREAD_RWLOCK_INITIALIZER;
  RunLockWaiters(
      procs(), v, [&] { pthread_rwlock_wrlock(&l); }, [&] { pthread_rwlock_unlock(&l); },
      [&](int *in_call) { return v.rdlock_then_mix(&l, in_call, kMixIterations); });
}

TEST_P(SyscallHandoff, TickerRunsWhileEveryPWaitsToWriteLockAnRwlock) {
  const Variant &v = variant();
  pthread_rwlock_t l = PTHREAD_RWLOCK_INITIALIZER;
  RunLockWaiters(
      procs(), v, [&] { pthread_rwlock_rdlock(&l); }, [&] { pthread_rwlock_unlock(&l); },
      [&](int *in_call) { return v.wrlock_then_mix(&l, in_call, kMixIterations); });
}

TEST_P(SyscallHandoff, TickerRunsWhileEveryPSleepsInTheKernel) {
  const Variant &v = variant();
  int n = procs();
  std::atomic<int> finished{0}, right{0};
  int in_call = 0, stop = 0;
  std::vector<long> sleeps(n, 0);
  int overlapped = 0;
  RunGreen(
      n,
      [&] {
        sp_waitgroup wg = SP_WAITGROUP_INIT;
        sp_wg_add(&wg, n + 1);
        for (int i = 0; i < n; i++)
          Go([&, i] {
            sleeps[i] = v.sleep_until(&stop, &in_call);
            ++finished;
            sp_wg_done(&wg);
          });
        Go([&] {
          for (int k = 0; k < kTicks; k++) {
            sp_sleep_ns(1000 * 1000);
            if (__atomic_load_n(&in_call, __ATOMIC_SEQ_CST) == n)
              overlapped++;
          }
          __atomic_store_n(&stop, 1, __ATOMIC_SEQ_CST);
          sp_wg_done(&wg);
        });
        sp_waitgroup workers = SP_WAITGROUP_INIT;
        SpawnWorkers(v, &workers, &right);
        sp_wg_wait(&wg);
        sp_wg_wait(&workers);
      },
      kSpdebug);
  EXPECT_GE(overlapped, 1) << "the ticker never ran while every P's green thread slept";
  for (long s : sleeps)
    EXPECT_GE(s, 1);
  EXPECT_EQ(right.load(), kWorkers);
}

// Many green threads blocked at once on one or two Ps (each detached P is retired and reused),
// then a pipe ping-pong between two green threads: each read blocks until the other side, which
// needs a P, writes. Every byte must arrive, in order.
TEST_P(SyscallHandoff, ManyBlockedReadersAndAPipePingPong) {
  const Variant &v = variant();
  constexpr int kReaders = 16, kRounds = 20;
  std::vector<int> rfd(kReaders), wfd(kReaders);
  for (int i = 0; i < kReaders; i++) {
    int fds[2];
    ASSERT_EQ(pipe2(fds, O_CLOEXEC), 0);
    rfd[i] = fds[0];
    wfd[i] = fds[1];
  }
  int ping[2], pong[2];
  ASSERT_EQ(pipe2(ping, O_CLOEXEC), 0);
  ASSERT_EQ(pipe2(pong, O_CLOEXEC), 0);
  std::vector<unsigned long> results(kReaders, 0);
  int in_call = 0, out_of_order = 0, rounds_done = 0;
  {
    std::vector<int> all(wfd);
    all.push_back(ping[1]);
    all.push_back(pong[1]);
    Watchdog watchdog(all);
    RunGreen(
        procs(),
        [&] {
          sp_waitgroup wg = SP_WAITGROUP_INIT;
          sp_wg_add(&wg, kReaders + 3);
          for (int i = 0; i < kReaders; i++)
            Go([&, i] {
              results[i] = v.read_then_mix(rfd[i], &in_call, kMixIterations / 10);
              sp_wg_done(&wg);
            });
          Go([&] {  // ends the readers once all of them sit in read()
            while (__atomic_load_n(&in_call, __ATOMIC_SEQ_CST) < kReaders)
              sp_sleep_ns(1000 * 1000);
            for (int i = 0; i < kReaders; i++)
              (void)!write(wfd[i], "T", 1);
            sp_wg_done(&wg);
          });
          Go([&] {  // ping: sends k, waits for k back
            for (int k = 0; k < kRounds; k++) {
              char c = char('a' + k), back = 0;
              (void)!write(ping[1], &c, 1);
              if (read(pong[0], &back, 1) != 1 || back != c)
                out_of_order++;
              else
                rounds_done++;
            }
            sp_wg_done(&wg);
          });
          Go([&] {  // pong: echoes
            for (int k = 0; k < kRounds; k++) {
              char c = 0;
              if (read(ping[0], &c, 1) != 1)
                break;
              (void)!write(pong[1], &c, 1);
            }
            sp_wg_done(&wg);
          });
          sp_wg_wait(&wg);
        },
        kSpdebug);
  }
  for (int fd : rfd)
    close(fd);
  for (int fd : wfd)
    close(fd);
  for (int fd : {ping[0], ping[1], pong[0], pong[1]})
    close(fd);
  for (unsigned long r : results)
    EXPECT_EQ(r, ExpectedMix('T', kMixIterations / 10)) << "a read did not return the writer's byte";
  EXPECT_EQ(out_of_order, 0);
  EXPECT_EQ(rounds_done, kRounds);
}

std::string Name(const ::testing::TestParamInfo<std::tuple<int, int>> &info) {
  return std::string(kVariants[std::get<1>(info.param)].name) + "Procs" +
         std::to_string(std::get<0>(info.param));
}

INSTANTIATE_TEST_SUITE_P(Modes, SyscallHandoff,
                         ::testing::Combine(::testing::Values(1, 2), ::testing::Range(0, 4)), Name);

}  // namespace
