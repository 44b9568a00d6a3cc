// lock_workload.h - the locks that lock_workload.cpp takes around loops with polls (one copy of it per
// poll mode), shared with locks_test.cpp, which creates them and checks the results.
#ifndef SP_LOCK_WORKLOAD_H
#define SP_LOCK_WORKLOAD_H

#include <pthread.h>
#include <threads.h>

#include <atomic>
#include <mutex>
#include <shared_mutex>

#include "safepoint.h"

// Which lock a critical section takes.
enum LockKind {
  kPthreadMutex,      // pthread_mutex_lock
  kPthreadTrylock,    // pthread_mutex_trylock, retried
  kPthreadTimedlock,  // pthread_mutex_timedlock
  kPthreadRecursive,  // a recursive pthread mutex, taken twice
  kRwlockWrite,       // pthread_rwlock_wrlock (and a reader between writes)
  kSpinlock,          // pthread_spin_lock
  kStdMutex,          // std::mutex (inline calls to pthread_mutex_lock)
  kStdSharedMutex,    // std::shared_mutex (pthread rwlock)
  kC11Mutex,          // mtx_lock
  kNoPreemptRegion,   // sp_preempt_disable / sp_preempt_enable, nested
  kLockKinds,
};

struct LockSet {
  pthread_mutex_t mutex;
  pthread_mutex_t recursive;
  pthread_rwlock_t rwlock;
  pthread_spinlock_t spin;
  std::mutex std_mutex;
  std::shared_mutex std_shared;
  mtx_t c11;
};

#define SP_LW_CAT2(a, b) a##b
#define SP_LW_CAT(a, b) SP_LW_CAT2(a, b)

#define SP_DECLARE_LOCK_WORKLOAD(prefix)                                                         \
  void prefix##_locked_add(int kind, LockSet *locks, long *counter, int64_t hold_ns);            \
  void prefix##_hold_then_spin(int kind, LockSet *locks, int64_t hold_ns,                        \
                               std::atomic<int> *state, volatile int *stop);                  \
  void prefix##_once(pthread_once_t *once, int64_t hold_ns, std::atomic<long> *runs);            \
  void prefix##_call_once(std::once_flag *once, int64_t hold_ns, std::atomic<long> *runs);       \
  long prefix##_static_value(int slot, int64_t hold_ns, std::atomic<long> *runs);                \
  void prefix##_burn(int64_t ns);

#endif  // SP_LOCK_WORKLOAD_H
