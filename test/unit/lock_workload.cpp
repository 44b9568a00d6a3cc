// lock_workload.cpp - critical sections around loops with polls, compiled with the Safepoint pass once
// per poll mode (CMakeLists.txt names the functions after the mode). Without lock-aware preemption a
// green thread is preempted inside them, and a green thread that then waits for the lock in the
// kernel (or spins in uninstrumented code) holds its OS thread and P: the program hangs.
#include "lock_workload.h"

#include <time.h>

#define P(name) SP_LW_CAT(SP_HOG_PREFIX, name)

extern "C++" {
SP_DECLARE_LOCK_WORKLOAD(SP_HOG_PREFIX)
}

namespace {

volatile long inner_trips = 1000;  // unknown to the compiler: the inner loop keeps its poll

// burn() spins for ns nanoseconds in loops the pass puts polls on.
unsigned long burn(int64_t ns) {
  unsigned long x = 1;
  int64_t end = sp_now_ns() + ns;
  while (sp_now_ns() < end)
    for (long i = 0, n = inner_trips; i < n; i++)
      x = x * 6364136223846793005ul + (x >> 29) + 1442695040888963407ul;
  return x;
}

volatile unsigned long sink;

void lock(int kind, LockSet *l, bool reader) {
  switch (kind) {
  case kPthreadMutex:
    pthread_mutex_lock(&l->mutex);
    break;
  case kPthreadTrylock:
    while (pthread_mutex_trylock(&l->mutex) != 0)
      sink = burn(1000);
    break;
  case kPthreadTimedlock: {
    struct timespec far;
    clock_gettime(CLOCK_REALTIME, &far);
    far.tv_sec += 3600;
    pthread_mutex_timedlock(&l->mutex, &far);
    break;
  }
  case kPthreadRecursive:
    pthread_mutex_lock(&l->recursive);
    pthread_mutex_lock(&l->recursive);
    break;
  case kRwlockWrite:
    if (reader)
      pthread_rwlock_rdlock(&l->rwlock);
    else
      pthread_rwlock_wrlock(&l->rwlock);
    break;
  case kSpinlock:
    pthread_spin_lock(&l->spin);
    break;
  case kStdMutex:
    l->std_mutex.lock();
    break;
  case kStdSharedMutex:
    if (reader)
      l->std_shared.lock_shared();
    else
      l->std_shared.lock();
    break;
  case kC11Mutex:
    mtx_lock(&l->c11);
    break;
  case kNoPreemptRegion:
    sp_preempt_disable();
    sp_preempt_disable();
    break;
  }
}

void unlock(int kind, LockSet *l, bool reader) {
  switch (kind) {
  case kPthreadMutex:
  case kPthreadTrylock:
  case kPthreadTimedlock:
    pthread_mutex_unlock(&l->mutex);
    break;
  case kPthreadRecursive:
    pthread_mutex_unlock(&l->recursive);
    pthread_mutex_unlock(&l->recursive);
    break;
  case kRwlockWrite:
    pthread_rwlock_unlock(&l->rwlock);
    break;
  case kSpinlock:
    pthread_spin_unlock(&l->spin);
    break;
  case kStdMutex:
    l->std_mutex.unlock();
    break;
  case kStdSharedMutex:
    if (reader)
      l->std_shared.unlock_shared();
    else
      l->std_shared.unlock();
    break;
  case kC11Mutex:
    mtx_unlock(&l->c11);
    break;
  case kNoPreemptRegion:
    sp_preempt_enable();
    sp_preempt_enable();
    break;
  }
}

bool has_readers(int kind) { return kind == kRwlockWrite || kind == kStdSharedMutex; }

}  // namespace

// A read-modify-write of *counter with a long pause in between: a second green thread inside the
// section at the same time loses an increment. Read-write locks also hold a read section first.
void P(_locked_add)(int kind, LockSet *locks, long *counter, int64_t hold_ns) {
  if (has_readers(kind)) {
    lock(kind, locks, true);
    sink = burn(hold_ns / 2) + (unsigned long)*(volatile long *)counter;
    unlock(kind, locks, true);
  }
  lock(kind, locks, false);
  long v = *(volatile long *)counter;
  sink = burn(hold_ns);
  *(volatile long *)counter = v + 1;
  unlock(kind, locks, false);
}

namespace {
// Spins at least ns, and until sysmon has asked for a preemption that had to wait (or 10 s went by):
// on a busy machine sysmon itself may not run in time.
void burn_until_deferred(int64_t ns) {
  int64_t give_up = sp_now_ns() + 10000000000LL;
  sink = burn(ns);
  for (;;) {
    sp_stats s;
    sp_stats_get(&s);
    if (s.preemptions_deferred > 0 || sp_now_ns() > give_up)
      return;
    sink = burn(10000);
  }
}
}  // namespace

// Holds the lock for hold_ns and until a preemption was deferred (a no-preemption region: the inner
// enable of the nested pair comes half-way); *state says 1 while it holds the lock, 2 once it
// released it. Then spins until *stop.
void P(_hold_then_spin)(int kind, LockSet *locks, int64_t hold_ns, std::atomic<int> *state,
                        volatile int *stop) {
  if (kind == kNoPreemptRegion) {
    sp_preempt_disable();
    sp_preempt_disable();
    state->store(1);
    burn_until_deferred(hold_ns / 2);
    sp_preempt_enable();
    sink = burn(hold_ns / 2);
    state->store(2);
    sp_preempt_enable();
  } else {
    lock(kind, locks, false);
    state->store(1);
    burn_until_deferred(hold_ns);
    state->store(2);
    unlock(kind, locks, false);
  }
  while (!*stop)
    sink = burn(10000);
}

namespace {
std::atomic<int64_t> once_hold_ns;
std::atomic<std::atomic<long> *> once_runs;
void once_init() {
  sink = burn(once_hold_ns.load());
  once_runs.load()->fetch_add(1);
}
}  // namespace

void P(_once)(pthread_once_t *once, int64_t hold_ns, std::atomic<long> *runs) {
  once_hold_ns.store(hold_ns);
  once_runs.store(runs);
  pthread_once(once, once_init);
}

void P(_call_once)(std::once_flag *once, int64_t hold_ns, std::atomic<long> *runs) {
  std::call_once(*once, [&] {
    sink = burn(hold_ns);
    runs->fetch_add(1);
  });
}

namespace {
// A value whose constructor outlasts the quantum, behind a C++ static-init guard.
struct Slow {
  long value;
  Slow(int64_t hold_ns, std::atomic<long> *runs) {
    sink = burn(hold_ns);
    value = runs->fetch_add(1) + 42;
  }
};
template <int N>
long slow_static(int64_t hold_ns, std::atomic<long> *runs) {
  static Slow s(hold_ns, runs);
  return s.value;
}
}  // namespace

// One static per slot: a static is initialised once per process, and each test needs a fresh one.
long P(_static_value)(int slot, int64_t hold_ns, std::atomic<long> *runs) {
  switch (slot) {
  case 0: return slow_static<0>(hold_ns, runs);
  case 1: return slow_static<1>(hold_ns, runs);
  case 2: return slow_static<2>(hold_ns, runs);
  default: return slow_static<3>(hold_ns, runs);
  }
}

void P(_burn)(int64_t ns) { sink = burn(ns); }
