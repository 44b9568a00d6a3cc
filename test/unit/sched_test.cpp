// sched_test.cpp - the scheduler: spawning, yielding, sleeping, errno, stealing, locked threads,
// deadlock detection and many green threads.
#include <errno.h>
#include <pthread.h>

#include <atomic>
#include <set>
#include <vector>

#include "runtime_test_util.h"

using sp_test::Go;
using sp_test::RunGreen;

namespace {

class Sched : public sp_test::ProcsTest {};

TEST_P(Sched, MainResultIsReturnedBySpMain) {
  EXPECT_EQ(RunGreen(procs(), std::function<int()>([] { return 42; })), 42);
}

TEST_P(Sched, MainGreenThreadHasIdOneAndSeesMaxprocs) {
  int p = procs();
  RunGreen(p, [p] {
    EXPECT_EQ(sp_self_id(), 1u);
    EXPECT_EQ(sp_maxprocs(), p);
  });
  EXPECT_EQ(sp_maxprocs(), 0);
}

TEST_P(Sched, EverySpawnedGreenThreadRuns) {
  std::atomic<int> ran{0};
  RunGreen(procs(), [&] {
    sp_waitgroup wg = SP_WAITGROUP_INIT;
    for (int i = 0; i < 1000; i++) {
      sp_wg_add(&wg, 1);
      Go([&] {
        ran++;
        sp_wg_done(&wg);
      });
    }
    sp_wg_wait(&wg);
  });
  EXPECT_EQ(ran.load(), 1000);
}

TEST_P(Sched, YieldLetsOthersRunOnOneProcessor) {
  if (procs() != 1)
    GTEST_SKIP() << "strict alternation only holds with one P";
  std::vector<int> trace;
  RunGreen(1, [&] {
    sp_waitgroup wg = SP_WAITGROUP_INIT;
    sp_wg_add(&wg, 2);
    for (int id = 0; id < 2; id++) {
      Go([&, id] {
        for (int i = 0; i < 3; i++) {
          trace.push_back(id);
          sp_yield();
        }
        sp_wg_done(&wg);
      });
    }
    sp_wg_wait(&wg);
  });
  EXPECT_EQ(trace, (std::vector<int>{1, 0, 1, 0, 1, 0}));
}

TEST_P(Sched, SleepLastsAtLeastItsDuration) {
  RunGreen(procs(), [] {
    int64_t t0 = sp_now_ns();
    sp_sleep_ns(2000000);
    EXPECT_GE(sp_now_ns() - t0, 2000000);
  });
}

TEST_P(Sched, SleepersWakeAfterTheirDeadlinesInDeadlineOrder) {
  std::vector<int> order;
  std::vector<int64_t> overslept;
  RunGreen(procs(), [&] {
    sp_chan *c = sp_chan_make(sizeof(int), 3);
    std::atomic<int64_t> late[4] = {};
    for (int i : {3, 1, 2}) {
      Go([c, i, &late] {
        int64_t t0 = sp_now_ns();
        sp_sleep_ns(int64_t(i) * 5000000);
        late[i] = sp_now_ns() - t0 - int64_t(i) * 5000000;
        sp_chan_send(c, &i);
      });
    }
    for (int k = 0; k < 3; k++) {
      int v;
      sp_chan_recv(c, &v);
      order.push_back(v);
      overslept.push_back(late[v].load());
    }
    sp_chan_free(c);
  });
  for (int64_t l : overslept)
    EXPECT_GE(l, 0) << "woke before its deadline";
  // With one P, timers fire in deadline order into a FIFO queue, so the sleepers run in that
  // order however late the OS lets them run; with more Ps, a descheduled OS thread may reorder
  // the sends.
  if (procs() == 1)
    EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
  else
    EXPECT_EQ(std::set<int>(order.begin(), order.end()), (std::set<int>{1, 2, 3}));
}

// errno is read through functions the compiler cannot inline: __errno_location() is declared
// const, so within one function the compiler may keep errno's address across sp_yield, and after
// a migration that address is the old OS thread's errno (docs/runtime.md, the TLS rule; TSan
// catches exactly this). The runtime's guarantee is about the value each green thread sees.
__attribute__((noinline)) void SetErrno(int e) { errno = e; }
__attribute__((noinline)) int GetErrno() { return errno; }

TEST_P(Sched, ErrnoIsSavedPerGreenThread) {
  RunGreen(procs(), [] {
    sp_waitgroup wg = SP_WAITGROUP_INIT;
    sp_wg_add(&wg, 2);
    for (int e : {EINTR, EAGAIN}) {
      Go([&wg, e] {
        for (int i = 0; i < 100; i++) {
          SetErrno(e);
          sp_yield();
          EXPECT_EQ(GetErrno(), e);
        }
        sp_wg_done(&wg);
      });
    }
    sp_wg_wait(&wg);
  });
}

TEST_P(Sched, IdleProcessorsStealWork) {
  if (procs() == 1)
    GTEST_SKIP() << "needs two Ps running at once";
  // Each green thread spins (without yielding) until all of them run at the same time: only
  // possible if idle Ps were woken and stole them from the spawning P's queue.
  std::atomic<int> arrived{0};
  std::atomic<bool> all_met{false};
  int n = procs();
  RunGreen(n, [&] {
    sp_waitgroup wg = SP_WAITGROUP_INIT;
    sp_wg_add(&wg, n);
    for (int i = 0; i < n; i++) {
      Go([&] {
        arrived++;
        int64_t give_up = sp_now_ns() + 5000000000LL;
        while (arrived.load() < n && sp_now_ns() < give_up) {
        }
        if (arrived.load() == n)
          all_met = true;
        sp_wg_done(&wg);
      });
    }
    sp_wg_wait(&wg);
  });
  EXPECT_TRUE(all_met.load());
}

TEST_P(Sched, LockedGreenThreadAlwaysResumesOnItsThread) {
  RunGreen(procs(), [] {
    sp_waitgroup wg = SP_WAITGROUP_INIT;
    sp_wg_add(&wg, 3);
    for (int k = 0; k < 3; k++) {
      Go([&wg, k] {
        if (k == 0)
          sp_lock_os_thread();
        pthread_t self = pthread_self();
        for (int i = 0; i < 50; i++) {
          if (i % 2)
            sp_yield();
          else
            sp_sleep_ns(10000);
          if (k == 0)
            EXPECT_TRUE(pthread_equal(self, pthread_self()));
        }
        if (k == 0)
          sp_unlock_os_thread();
        sp_wg_done(&wg);
      });
    }
    sp_wg_wait(&wg);
  });
}

TEST_P(Sched, HundredThousandGreenThreads) {
#ifdef SP_TEST_SANITIZED
  const long n = 10000;  // TSan gives every green thread a fiber of its own: 100k take 10 s each
#else
  const long n = 100000;
#endif
  std::atomic<long> sum{0};
  RunGreen(procs(), [&] {
    sp_waitgroup wg = SP_WAITGROUP_INIT;
    sp_wg_add(&wg, n);
    for (long i = 0; i < n; i++) {
      Go([&, i] {
        sum += i;
        sp_wg_done(&wg);
      });
    }
    sp_wg_wait(&wg);
  });
  EXPECT_EQ(sum.load(), n * (n - 1) / 2);
}

TEST_P(Sched, RuntimeRestartsAfterSpMainReturns) {
  for (int i = 0; i < 3; i++)
    EXPECT_EQ(RunGreen(procs(), std::function<int()>([i] { return i; })), i);
}

class SchedDeathTest : public sp_test::ProcsDeathTest {};

TEST_P(SchedDeathTest, AllGreenThreadsBlockedIsAFatalDeadlock) {
  int p = procs();
  EXPECT_DEATH(RunGreen(p,
                        [] {
                          sp_chan *c = sp_chan_make(sizeof(int), 0);
                          Go([c] {
                            int v;
                            sp_chan_recv(c, &v);
                          });
                          int v;
                          sp_chan_recv(c, &v);
                        }),
               "fatal error: all goroutines are asleep - deadlock!");
}

TEST_P(SchedDeathTest, SpGoOutsideTheRuntimeIsFatal) {
  EXPECT_DEATH(sp_go([](void *) {}, nullptr), "fatal error: sp_go called outside a green thread");
}

SP_INSTANTIATE_PROCS(Sched);
SP_INSTANTIATE_PROCS(SchedDeathTest);

}  // namespace
