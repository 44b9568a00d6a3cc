// sync_test.cpp - sp_mutex, sp_waitgroup and SP_DEFER (C++ RAII; defer_c_test.c covers C).
#include <atomic>
#include <vector>

#include "runtime_test_util.h"

extern "C" int sp_test_defer_c(void);

using sp_test::Go;
using sp_test::RunGreen;

namespace {

class Sync : public sp_test::ProcsTest {};

TEST_P(Sync, MutexMakesIncrementsAtomic) {
  long counter = 0;  // deliberately not atomic: the mutex must protect it
  RunGreen(procs(), [&] {
    sp_mutex mu = SP_MUTEX_INIT;
    sp_waitgroup wg = SP_WAITGROUP_INIT;
    sp_wg_add(&wg, 8);
    for (int g = 0; g < 8; g++)
      Go([&] {
        for (int i = 0; i < 5000; i++) {
          sp_mutex_lock(&mu);
          long v = counter;
          if (i % 100 == 0)
            sp_yield();  // hold the lock across a switch, so others must park
          counter = v + 1;
          sp_mutex_unlock(&mu);
        }
        sp_wg_done(&wg);
      });
    sp_wg_wait(&wg);
  });
  EXPECT_EQ(counter, 8 * 5000);
}

TEST_P(Sync, TrylockFailsWhileHeld) {
  RunGreen(procs(), [] {
    sp_mutex mu = SP_MUTEX_INIT;
    EXPECT_EQ(sp_mutex_trylock(&mu), 1);
    EXPECT_EQ(sp_mutex_trylock(&mu), 0);
    sp_mutex_unlock(&mu);
    EXPECT_EQ(sp_mutex_trylock(&mu), 1);
    sp_mutex_unlock(&mu);
  });
}

TEST_P(Sync, WaitGroupWaitsForEveryDone) {
  std::atomic<int> done{0};
  int seen = -1;
  RunGreen(procs(), [&] {
    sp_waitgroup wg = SP_WAITGROUP_INIT;
    sp_wg_add(&wg, 20);
    for (int i = 0; i < 20; i++)
      Go([&, i] {
        sp_sleep_ns(100000 * (i % 5));
        done++;
        sp_wg_done(&wg);
      });
    sp_wg_wait(&wg);
    seen = done.load();
    sp_wg_wait(&wg);  // a zero counter does not block
  });
  EXPECT_EQ(seen, 20);
}

TEST_P(Sync, DeferRunsAtScopeExitInReverseOrderInCpp) {
  std::vector<int> order;
  RunGreen(procs(), [&] {
    std::vector<int> log;
    {
      std::vector<int> *lp = &log;
      SP_DEFER([](void *a) { static_cast<std::vector<int> *>(a)->push_back(1); }, lp);
      SP_DEFER([](void *a) { static_cast<std::vector<int> *>(a)->push_back(2); }, lp);
      EXPECT_TRUE(log.empty());
    }
    order = log;
  });
  EXPECT_EQ(order, (std::vector<int>{2, 1}));
}

TEST_P(Sync, DeferRunsAtScopeExitInReverseOrderInC) {
  int r = -1;
  RunGreen(procs(), [&] { r = sp_test_defer_c(); });
  EXPECT_EQ(r, 21) << "C cleanups ran in the wrong order or not at all";
}

class SyncDeathTest : public sp_test::ProcsDeathTest {};

TEST_P(SyncDeathTest, UnlockOfUnlockedMutexIsFatal) {
  int p = procs();
  EXPECT_DEATH(RunGreen(p,
                        [] {
                          sp_mutex mu = SP_MUTEX_INIT;
                          sp_mutex_unlock(&mu);
                        }),
               "fatal error: sync: unlock of unlocked mutex");
}

TEST_P(SyncDeathTest, NegativeWaitGroupCounterIsFatal) {
  int p = procs();
  EXPECT_DEATH(RunGreen(p,
                        [] {
                          sp_waitgroup wg = SP_WAITGROUP_INIT;
                          sp_wg_done(&wg);
                        }),
               "fatal error: sync: negative WaitGroup counter");
}

TEST_P(SyncDeathTest, WaitingOnALockNobodyReleasesIsADeadlock) {
  int p = procs();
  EXPECT_DEATH(RunGreen(p,
                        [] {
                          sp_mutex mu = SP_MUTEX_INIT;
                          sp_mutex_lock(&mu);
                          sp_mutex_lock(&mu);
                        }),
               "fatal error: all goroutines are asleep - deadlock!");
}

SP_INSTANTIATE_PROCS(Sync);
SP_INSTANTIATE_PROCS(SyncDeathTest);

}  // namespace
