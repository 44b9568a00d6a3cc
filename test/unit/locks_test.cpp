// locks_test.cpp - lock-aware preemption: a green thread is never preempted while it holds a lock
// (pthread mutexes, rwlocks, spin locks, std::mutex, C11 mutexes, pthread_once, C++ static-init
// guards) or is inside sp_preempt_disable(); a preemption asked for meanwhile happens after the
// last release; blocking while holding one is a fatal error. The critical sections are in
// lock_workload.cpp, compiled with the pass in every poll mode.
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "lock_workload.h"
#include "runtime_test_util.h"

SP_DECLARE_LOCK_WORKLOAD(sp_locks_thread_page)
SP_DECLARE_LOCK_WORKLOAD(sp_locks_global_page)
SP_DECLARE_LOCK_WORKLOAD(sp_locks_flag)
SP_DECLARE_LOCK_WORKLOAD(sp_locks_call)

using sp_test::Go;
using sp_test::RunGreen;

namespace {

struct Mode {
  const char *name;
  decltype(&sp_locks_call_locked_add) locked_add;
  decltype(&sp_locks_call_hold_then_spin) hold_then_spin;
  decltype(&sp_locks_call_once) once;
  decltype(&sp_locks_call_call_once) call_once;
  decltype(&sp_locks_call_static_value) static_value;
  decltype(&sp_locks_call_burn) burn;
};
#define SP_LOCK_MODE(name, p) \
  { name, p##_locked_add, p##_hold_then_spin, p##_once, p##_call_once, p##_static_value, p##_burn }
const Mode kModes[] = {
    SP_LOCK_MODE("thread-page", sp_locks_thread_page),
    SP_LOCK_MODE("global-page", sp_locks_global_page),
    SP_LOCK_MODE("flag", sp_locks_flag),
    SP_LOCK_MODE("call", sp_locks_call),
};

const char *const kKindNames[] = {"PthreadMutex", "PthreadTrylock", "PthreadTimedlock",
                                  "PthreadRecursive", "Rwlock", "Spinlock", "StdMutex",
                                  "StdSharedMutex", "C11Mutex", "NoPreemptRegion"};
static_assert(sizeof(kKindNames) / sizeof(kKindNames[0]) == kLockKinds, "a name per kind");

// Watchdog turns a hang into a clear failure: if the scope is still open after the deadline it
// says what hung and aborts the process.
class Watchdog {
 public:
  explicit Watchdog(std::string what, int seconds = 20)
      : what_(std::move(what)), thread_([this, seconds] {
          std::unique_lock<std::mutex> lk(mu_);
          if (!cv_.wait_for(lk, std::chrono::seconds(seconds), [this] { return done_; })) {
            std::fprintf(stderr, "watchdog: %s hung for %d s\n", what_.c_str(), seconds);
            std::abort();
          }
        }) {}
  ~Watchdog() {
    {
      std::lock_guard<std::mutex> lk(mu_);
      done_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }

 private:
  std::string what_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

void InitLocks(LockSet *l) {
  pthread_mutex_init(&l->mutex, nullptr);
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&l->recursive, &attr);
  pthread_mutexattr_destroy(&attr);
  pthread_rwlock_init(&l->rwlock, nullptr);
  pthread_spin_init(&l->spin, PTHREAD_PROCESS_PRIVATE);
  new (&l->std_mutex) std::mutex;
  new (&l->std_shared) std::shared_mutex;
  mtx_init(&l->c11, mtx_plain);
}

void DestroyLocks(LockSet *l) {
  pthread_mutex_destroy(&l->mutex);
  pthread_mutex_destroy(&l->recursive);
  pthread_rwlock_destroy(&l->rwlock);
  pthread_spin_destroy(&l->spin);
  l->std_mutex.~mutex();
  l->std_shared.~shared_mutex();
  mtx_destroy(&l->c11);
}

// The quantum per processor count: 100 us on one P (the static-init hang of the issue), 1 ms on
// two (the pthread mutex hang), 200 us on four.
int QuantumUs(int procs) { return procs == 1 ? 100 : procs == 2 ? 1000 : 200; }

std::string Spdebug(int procs) { return "quantum=" + std::to_string(QuantumUs(procs)); }

// How long an initialiser runs: several quanta, after sysmon's first millisecond (it calibrates
// its clock then and preempts nothing before).
int64_t InitNs(int procs) { return 2000000 + QuantumUs(procs) * 5000; }

class LockKindTest : public ::testing::TestWithParam<std::tuple<int, int>> {
 protected:
  int kind() const { return std::get<0>(GetParam()); }
  int procs() const { return std::get<1>(GetParam()); }
};

// Four green threads each run critical sections longer than the quantum, around loops with polls,
// in every poll mode: no increment is lost and nothing hangs.
TEST_P(LockKindTest, CriticalSectionsAroundPollsNeitherHangNorOverlap) {
  if (kind() == kNoPreemptRegion && procs() != 1)
    GTEST_SKIP() << "a no-preemption region is not a lock: on several Ps the sections overlap";
  constexpr int kThreads = 4, kRounds = 4;
  const int64_t hold_ns = QuantumUs(procs()) * 1500;
  for (const Mode &m : kModes) {
    Watchdog dog(std::string(kKindNames[kind()]) + " in " + m.name + " mode");
    LockSet locks;
    InitLocks(&locks);
    long counter = 0;
    RunGreen(
        procs(),
        [&] {
          sp_waitgroup wg = SP_WAITGROUP_INIT;
          sp_wg_add(&wg, kThreads);
          for (int t = 0; t < kThreads; t++)
            Go([&] {
              for (int r = 0; r < kRounds; r++)
                m.locked_add(kind(), &locks, &counter, hold_ns);
              sp_wg_done(&wg);
            });
          sp_wg_wait(&wg);
        },
        Spdebug(procs()).c_str());
    DestroyLocks(&locks);
    EXPECT_EQ(counter, kThreads * kRounds) << m.name << " mode";
  }
}

// A preemption sysmon asks for while the lock is held waits for the release, then happens at the
// next poll: on one P the main green thread, once the hog has taken the lock, only runs again after
// the hog released it, and it does run again (sysmon asks once per time slice, so a request dropped
// at the release would leave the hog spinning forever).
class LockKindOneProcTest : public ::testing::TestWithParam<int> {
 protected:
  int kind() const { return GetParam(); }
};

// One processor makes "the main green thread ran" mean "the hog was preempted".
TEST_P(LockKindOneProcTest, PreemptionAskedForInsideHappensAfterTheRelease) {
  for (const Mode &m : kModes) {
    Watchdog dog(std::string(kKindNames[kind()]) + " in " + m.name + " mode");
    LockSet locks;
    InitLocks(&locks);
    std::atomic<int> state{0};
    int state_when_main_ran = -1;
    volatile int stop = 0;
    sp_stats s;
    RunGreen(
        1,
        [&] {
          sp_waitgroup wg = SP_WAITGROUP_INIT;
          sp_wg_add(&wg, 1);
          Go([&] {
            m.hold_then_spin(kind(), &locks, InitNs(1), &state, &stop);
            sp_wg_done(&wg);
          });
          do
            sp_sleep_ns(1);  // the hog runs; this G runs again once the hog is preempted
          while (state.load() == 0);
          state_when_main_ran = state.load();
          sp_stats_get(&s);
          stop = 1;
          sp_wg_wait(&wg);
        },
        Spdebug(1).c_str());
    DestroyLocks(&locks);
    EXPECT_EQ(state_when_main_ran, 2) << "preempted while holding the lock in " << m.name;
    EXPECT_GE(s.preemptions_deferred, 1u) << m.name;
    EXPECT_GE(s.preemptions, 1u) << m.name;
  }
}

std::string KindName(const ::testing::TestParamInfo<std::tuple<int, int>> &info) {
  return std::string(kKindNames[std::get<0>(info.param)]) + "Procs" +
         std::to_string(std::get<1>(info.param));
}

INSTANTIATE_TEST_SUITE_P(KindsAndProcs, LockKindTest,
                         ::testing::Combine(::testing::Range(0, static_cast<int>(kLockKinds)),
                                            ::testing::Values(1, 2, 4)),
                         KindName);

INSTANTIATE_TEST_SUITE_P(Kinds, LockKindOneProcTest,
                         ::testing::Range(0, static_cast<int>(kLockKinds)),
                         [](const ::testing::TestParamInfo<int> &info) {
                           return std::string(kKindNames[info.param]);
                         });

class OnceTest : public sp_test::ProcsTest {};

// Initialisers that outlast the quantum, run by one of several green threads while the others
// wait inside pthread_once, std::call_once or the C++ static-init guard: each runs once, nothing
// hangs.
TEST_P(OnceTest, PthreadOnceInitialiserRunsOnceWithoutHanging) {
  for (const Mode &m : kModes) {
    Watchdog dog(std::string("pthread_once in ") + m.name + " mode");
    pthread_once_t once = PTHREAD_ONCE_INIT;
    std::atomic<long> runs{0};
    RunGreen(
        procs(),
        [&] {
          sp_waitgroup wg = SP_WAITGROUP_INIT;
          sp_wg_add(&wg, 4);
          for (int t = 0; t < 4; t++)
            Go([&] {
              m.once(&once, InitNs(procs()), &runs);
              sp_wg_done(&wg);
            });
          sp_wg_wait(&wg);
        },
        Spdebug(procs()).c_str());
    EXPECT_EQ(runs.load(), 1) << m.name;
  }
}

TEST_P(OnceTest, StdCallOnceRunsOnceWithoutHanging) {
  for (const Mode &m : kModes) {
    Watchdog dog(std::string("std::call_once in ") + m.name + " mode");
    std::once_flag once;
    std::atomic<long> runs{0};
    RunGreen(
        procs(),
        [&] {
          sp_waitgroup wg = SP_WAITGROUP_INIT;
          sp_wg_add(&wg, 4);
          for (int t = 0; t < 4; t++)
            Go([&] {
              m.call_once(&once, InitNs(procs()), &runs);
              sp_wg_done(&wg);
            });
          sp_wg_wait(&wg);
        },
        Spdebug(procs()).c_str());
    EXPECT_EQ(runs.load(), 1) << m.name;
  }
}

TEST_P(OnceTest, StaticInitGuardConstructsOnceWithoutHanging) {
#if defined(__has_feature) && __has_feature(thread_sanitizer)
  GTEST_SKIP() << "ThreadSanitizer defines __cxa_guard_acquire itself (a strong definition the "
                  "runtime cannot wrap): static-init guards are not counted under TSan";
#endif
  const int slot = procs() == 1 ? 0 : procs() == 2 ? 1 : 2;  // a fresh static per test
  for (const Mode &m : kModes) {
    Watchdog dog(std::string("a function-local static in ") + m.name + " mode");
    std::atomic<long> runs{0};
    long values[4] = {};
    RunGreen(
        procs(),
        [&] {
          sp_waitgroup wg = SP_WAITGROUP_INIT;
          sp_wg_add(&wg, 4);
          for (int t = 0; t < 4; t++)
            Go([&, t] {
              values[t] = m.static_value(slot, InitNs(procs()), &runs);
              sp_wg_done(&wg);
            });
          sp_wg_wait(&wg);
        },
        Spdebug(procs()).c_str());
    EXPECT_EQ(runs.load(), 1) << m.name;
    for (long v : values)
      EXPECT_EQ(v, 42) << m.name;
  }
}

SP_INSTANTIATE_PROCS(OnceTest);

// An initialiser that throws leaves std::call_once (and pthread_once, which it calls) by unwinding:
// the once-control is released, and so is its count, so the green thread can block afterwards.
TEST_P(OnceTest, ThrowingCallOnceInitialiserReleasesTheCount) {
#if defined(__has_feature) && __has_feature(thread_sanitizer)
  GTEST_SKIP() << "ThreadSanitizer's pthread_once interceptor never releases a once-control whose "
                  "initialiser threw: the second std::call_once waits forever, with or without "
                  "the runtime";
#endif
  int calls = 0;
  RunGreen(procs(), [&] {
    std::once_flag once;
    try {
      std::call_once(once, [&] {
        calls++;
        throw 1;
      });
    } catch (int) {
    }
    std::call_once(once, [&] { calls++; });
    sp_yield();  // fatal if the count leaked
  });
  EXPECT_EQ(calls, 2);
}

// A constructor that throws ends the static's guard with __cxa_guard_abort: the count is released
// and the next caller constructs it.
int ConstructOrThrow(bool do_throw) {
  struct Thrower {
    explicit Thrower(bool t) {
      if (t)
        throw 1;
    }
  };
  static Thrower value(do_throw);
  return 7;
}

TEST(StaticInitGuard, ThrowingConstructorReleasesTheCount) {
#if defined(__has_feature) && __has_feature(thread_sanitizer)
  GTEST_SKIP() << "ThreadSanitizer defines __cxa_guard_acquire itself: guards are not counted";
#endif
  int value = 0;
  RunGreen(1, [&] {
    try {
      ConstructOrThrow(true);
    } catch (int) {
    }
    value = ConstructOrThrow(false);
    sp_yield();  // fatal if the count leaked
  });
  EXPECT_EQ(value, 7);
}

// Outside the runtime the region only counts: pairs nest, and one enable too many is fatal.
TEST(NoPreemptRegionDeathTest, NestsOutsideTheRuntimeAndAnExtraEnableIsFatal) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  sp_preempt_disable();
  sp_preempt_disable();
  sp_preempt_enable();
  sp_preempt_enable();
  EXPECT_DEATH(sp_preempt_enable(), "fatal error: sp_preempt_enable without sp_preempt_disable");
}

class LocksDeathTest : public sp_test::ProcsDeathTest {};

TEST_P(LocksDeathTest, UnbalancedPreemptEnableIsFatal) {
  EXPECT_DEATH(RunGreen(procs(), [] { sp_preempt_enable(); }),
               "fatal error: sp_preempt_enable without sp_preempt_disable");
}

TEST_P(LocksDeathTest, YieldingWhileHoldingAMutexIsFatal) {
  EXPECT_DEATH(RunGreen(procs(),
                        [] {
                          static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
                          pthread_mutex_lock(&mu);
                          sp_yield();
                        }),
               "fatal error: goroutine 1 blocked \\(yield\\) while holding 1 lock");
}

TEST_P(LocksDeathTest, ReceivingWhileHoldingARwlockIsFatal) {
  EXPECT_DEATH(RunGreen(procs(),
                        [] {
                          static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
                          sp_chan *c = sp_chan_make(sizeof(int), 0);
                          pthread_rwlock_rdlock(&rw);
                          int v;
                          sp_chan_recv(c, &v);
                        }),
               "fatal error: goroutine 1 blocked \\(chan receive\\) while holding 1 lock");
}

TEST_P(LocksDeathTest, SleepingInANoPreemptionRegionIsFatal) {
  EXPECT_DEATH(RunGreen(procs(),
                        [] {
                          sp_preempt_disable();
                          sp_sleep_ns(1000);
                        }),
               "fatal error: goroutine 1 blocked \\(sleep\\) with preemption disabled");
}

TEST_P(LocksDeathTest, WaitingForAGreenMutexWhileHoldingAMutexIsFatal) {
  EXPECT_DEATH(RunGreen(procs(),
                        [] {
                          static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
                          static sp_mutex green = SP_MUTEX_INIT;
                          sp_mutex_lock(&green);
                          Go([] {
                            pthread_mutex_lock(&mu);
                            sp_mutex_lock(&green);
                          });
                          sp_sleep_ns(1000000000);
                        }),
               "fatal error: goroutine 2 blocked \\(sync.Mutex.Lock\\) while holding 1 lock");
}

TEST_P(LocksDeathTest, ExitingWhileHoldingAMutexIsFatal) {
  EXPECT_DEATH(RunGreen(procs(),
                        [] {
                          Go([] {
                            static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
                            pthread_mutex_lock(&mu);
                          });
                          sp_sleep_ns(1000000000);
                        }),
               "fatal error: goroutine 2 exited while holding 1 lock");
}

TEST_P(LocksDeathTest, ExitingWithPreemptionDisabledIsFatal) {
  EXPECT_DEATH(RunGreen(procs(),
                        [] {
                          Go([] { sp_preempt_disable(); });
                          sp_sleep_ns(1000000000);
                        }),
               "fatal error: goroutine 2 exited with preemption disabled");
}

TEST_P(LocksDeathTest, StoppingTheWorldWhileHoldingAMutexIsFatal) {
  EXPECT_DEATH(RunGreen(procs(),
                        [] {
                          static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
                          pthread_mutex_lock(&mu);
                          sp_stop_the_world();
                        }),
               "fatal error: sp_stop_the_world: holding locks");
}

SP_INSTANTIATE_PROCS(LocksDeathTest);

class StopTheWorldLocks : public sp_test::ProcsTest {};

// Stop-the-world waits for a green thread that holds a lock (as Go's waits for m.locks), and for
// one blocked in the kernel waiting for that lock: once the world is stopped, the lock is free.
// Without the wait, the holder stops and the waiter never reaches a safepoint: a hang.
TEST_P(StopTheWorldLocks, WaitsForLockHoldersToRelease) {
  if (procs() == 1)
    GTEST_SKIP() << "needs the holder running while the main green thread stops the world";
  const Mode &m = kModes[0];
  LockSet locks;
  InitLocks(&locks);
  std::atomic<int> started{0};
  int trylock_when_stopped = -1;
  {
    Watchdog dog("stop-the-world with a lock held");
    RunGreen(
        procs(),
        [&] {
          sp_waitgroup wg = SP_WAITGROUP_INIT;
          sp_wg_add(&wg, 3);
          for (int t = 0; t < 3; t++)
            Go([&] {
              long unused = 0;
              started++;
              m.locked_add(kPthreadMutex, &locks, &unused, 3000000);
              sp_wg_done(&wg);
            });
          while (started.load() < 3)
            sp_sleep_ns(10000);
          sp_stop_the_world();
          trylock_when_stopped = pthread_mutex_trylock(&locks.mutex);
          if (trylock_when_stopped == 0)
            pthread_mutex_unlock(&locks.mutex);
          sp_start_the_world();
          sp_wg_wait(&wg);
        },
        "quantum=200");
  }
  DestroyLocks(&locks);
  EXPECT_EQ(trylock_when_stopped, 0) << "the world stopped while a green thread held the lock";
}

// Green threads hammer one mutex that a thread outside the runtime also holds, up to 1.5 ms at a
// time, so that waiters sleep in the kernel long enough for sysmon to hand their Ps to other Ms; half of them
// wait while holding a lock of their own (nesting). Meanwhile another green thread stops the world
// again and again and checks what the test above checks: no green thread holds a lock while the
// world is stopped. A waiter handed off must not take the mutex and run on inside the stopped
// world. Before each stop the stopper notes whether a green thread is waiting in
// pthread_mutex_lock: on one P it can run then only if the waiter's P was handed off.
TEST_P(StopTheWorldLocks, HandedOffLockWaitersNeverHoldALockInAStoppedWorld) {
  constexpr int kHammerers = 6;
  constexpr int kStops = 100;
  pthread_mutex_t contended = PTHREAD_MUTEX_INITIALIZER;
  pthread_mutex_t own[kHammerers];
  for (pthread_mutex_t &m : own)
    pthread_mutex_init(&m, nullptr);
  std::atomic<int> holding{0}, waiting{0};
  std::atomic<bool> outsider_holds{false}, stopped_enough{false}, done{false};
  long counter = 0;
  std::atomic<long> rounds{0};
  int held_when_stopped = 0, ran_beside_a_waiter = 0;
  Watchdog dog("stop-the-world beside handed-off lock waiters", 60);
  std::atomic<int> stops_begun{0};
  // Holds the mutex 1.5 ms at a time, or until the world has stopped: the release then wakes a
  // waiter inside the stopped world, where a handed-off waiter must not keep the mutex.
  std::thread outsider([&] {
    while (!done.load()) {
      pthread_mutex_lock(&contended);
      outsider_holds = true;
      int seen = stops_begun.load();
      for (int waited_us = 0; waited_us < 1500 && stops_begun.load() == seen; waited_us += 50)
        usleep(50);
      pthread_mutex_unlock(&contended);
      usleep(300);
    }
  });
  while (!outsider_holds.load())
    usleep(100);
  RunGreen(
      procs(),
      [&] {
        sp_waitgroup wg = SP_WAITGROUP_INIT;
        sp_wg_add(&wg, kHammerers + 1);
        for (int h = 0; h < kHammerers; h++)
          Go([&, h] {
            bool nested = h % 2 == 1;
            while (!stopped_enough.load()) {
              if (nested) {
                pthread_mutex_lock(&own[h]);
                holding++;
              }
              waiting++;
              pthread_mutex_lock(&contended);
              waiting--;
              if (!nested)
                holding++;
              counter++;
              // Hold it a while (a green holder is never preempted): long enough for the stopper
              // to see a holder that runs inside the stopped world.
              for (int64_t until = sp_now_ns() + 20 * 1000; sp_now_ns() < until;) {
              }
              if (!nested)
                holding--;
              pthread_mutex_unlock(&contended);
              if (nested) {
                holding--;
                pthread_mutex_unlock(&own[h]);
              }
              rounds++;
              sp_yield();
            }
            sp_wg_done(&wg);
          });
        Go([&] {
          for (int k = 0; k < kStops; k++) {
            sp_sleep_ns(200 * 1000);
            if (waiting.load() != 0)
              ran_beside_a_waiter++;
            sp_stop_the_world();
            stops_begun++;
            // The outsider now releases the mutex: a waiter that took it inside the stopped world
            // would show up while it stays stopped; spin (a stopper must not block) and look.
            bool held = holding.load() != 0;
            for (int64_t until = sp_now_ns() + 1000 * 1000; sp_now_ns() < until;)
              held = held || holding.load() != 0;
            if (held)
              held_when_stopped++;
            sp_start_the_world();
          }
          stopped_enough = true;
          sp_wg_done(&wg);
        });
        sp_wg_wait(&wg);
      },
      "quantum=200");
  done = true;
  outsider.join();
  for (pthread_mutex_t &m : own)
    pthread_mutex_destroy(&m);
  EXPECT_EQ(counter, rounds.load());
  EXPECT_EQ(held_when_stopped, 0) << "of " << kStops << " stops, a green thread held a lock";
  EXPECT_GT(ran_beside_a_waiter, 0)
      << "the stopper never ran while a green thread waited for the mutex (no hand-off)";
}

// A green thread waiting in pthread_cond_wait has its mutex counted as held (the C library releases
// and retakes it inside), and sysmon hands off its P like any M asleep in the kernel. A stop-the-
// world must not wait for it: only the green thread that the stop stops would signal it.
TEST_P(StopTheWorldLocks, DoesNotWaitForAHandedOffConditionWaiter) {
  pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
  bool ready = false;
  std::atomic<bool> waiting{false};
  int stops = 0;
  {
    Watchdog dog("stop-the-world beside a handed-off condition waiter");
    RunGreen(
        procs(),
        [&] {
          sp_waitgroup wg = SP_WAITGROUP_INIT;
          sp_wg_add(&wg, 2);
          Go([&] {
            pthread_mutex_lock(&mu);
            waiting = true;
            while (!ready)
              pthread_cond_wait(&cv, &mu);
            pthread_mutex_unlock(&mu);
            sp_wg_done(&wg);
          });
          Go([&] {
            while (!waiting.load())
              sp_sleep_ns(100 * 1000);
            sp_sleep_ns(5 * 1000 * 1000);  // time for sysmon to hand off the waiter's P
            sp_stop_the_world();
            stops++;
            sp_start_the_world();
            pthread_mutex_lock(&mu);
            ready = true;
            pthread_cond_signal(&cv);
            pthread_mutex_unlock(&mu);
            sp_wg_done(&wg);
          });
          sp_wg_wait(&wg);
        },
        "quantum=200");
  }
  EXPECT_EQ(stops, 1);
}

SP_INSTANTIATE_PROCS(StopTheWorldLocks);

}  // namespace
