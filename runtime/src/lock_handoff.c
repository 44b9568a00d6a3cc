/* lock_handoff.c - locks held by green threads whose P was handed off, and stop-the-world.
 *
 * Why: sysmon hands the P of an M asleep in the kernel to another M (syscall_handoff.c), also when
 * the M waits for a pthread mutex or rwlock that a thread outside the runtime holds for long: the
 * other green threads of that P run on. But a handed-off ("detached") P no longer counts for a
 * stop-the-world, and a lock holder is never stopped (locks.c): a waiter that took its lock after
 * the world stopped would run on inside the stopped world, holding a lock the stopper may want or
 * whose data it reads. Stop-the-world promises that no green thread holds a lock while the world
 * is stopped (StopTheWorldLocks in locks_test.cpp).
 *
 * How: a thread counts a lock as held from the moment it starts to wait for it (locks.c,
 * before_lock), so a waiter is a holder here. A detached M that holds or waits for a lock is
 * counted in `detached_holders`, and stop-the-world waits, after its Ps stopped, until the count
 * drains (each such M releases, then stops at its first safepoint: it is armed like any M coming
 * back from a hand-off). An M gets counted in one of two ways:
 *   - sysmon detaches it while it waits in a lock interposer (a first or a nested lock): sysmon
 *     counts it (syscall_handoff.c, detach). It reads the M's lock count while the M sleeps: detach marks the M detached, issues
 *     a full fence, and keeps the detach only if the M's CPU clock has not moved since sysmon saw
 *     it asleep; an M that ran meanwhile may have started a wait it did not announce, and keeps
 *     its P as if sysmon had never looked.
 *   - an M already detached starts to wait for its first lock: it announces itself
 *     (sp__lock_handoff_announce). The announcement and the stop meet as in Dekker's algorithm,
 *     each side writing its own flag with a sequentially consistent operation before it reads the
 *     other's: the M adds itself, then reads sp__sched.stw_pending; stop-the-world sets
 *     stw_pending, then reads the count (sp__lock_handoff_stw_wait). Either the M sees the stop
 *     (it takes itself out, and waits for the world to start before it tries: a try fails), or the
 *     stop sees the M; never neither.
 * Not counted: an M detached while it holds a lock but sleeps elsewhere (read() inside a critical
 * section, pthread_cond_wait). What it waits for may be a green thread the stop stops; counted, it
 * would keep the world from ever stopping. It may come back into a stopped world holding its
 * lock, and runs until its first safepoint after the release (docs/runtime.md says so).
 * A thread's `counted` flag says whether it is in the count; whoever clears it (an exchange)
 * subtracts, so a count is never taken away twice. The M clears it when it releases its last
 * lock (or its attempt fails). */
#include <limits.h>

#include "internal.h"

/* Detached Ms counted as holding a lock. */
static _Atomic int detached_holders;
/* Green threads on detached Ps that wait for the world to start before they try a lock. */
static _Atomic int waiting_for_world;

/* Subtracts the calling thread from the count if it is in it, and wakes a stop-the-world that
 * waits for the count to drain. */
static void uncount(_Atomic uint8_t *counted) {
  if (!atomic_exchange(counted, 0))
    return;
  if (atomic_fetch_sub(&detached_holders, 1) == 1 && atomic_load(&sp__sched.stw_pending))
    sp__futex_wake((_Atomic uint32_t *)&detached_holders, 1);
}

bool sp__lock_handoff_announce(void) {
  if (atomic_exchange(&sp__counted_detached_holder, 1) == 0)
    atomic_fetch_add(&detached_holders, 1);
  if (!atomic_load(&sp__sched.stw_pending))
    return true;
  uncount(&sp__counted_detached_holder);
  return false;
}

void sp__lock_handoff_released(void) { uncount(&sp__counted_detached_holder); }

void sp__lock_handoff_wait_for_world(void) {
  atomic_fetch_add(&waiting_for_world, 1);
  /* A timeout, not only the wake-up in sp__lock_handoff_world_started: the runtime's exit clears
   * stw_pending without waking anyone. */
  while (atomic_load(&sp__sched.stw_pending))
    sp__futex_wait((_Atomic uint32_t *)&sp__sched.stw_pending, 1, 1000 * 1000);
  atomic_fetch_sub(&waiting_for_world, 1);
}

void sp__lock_handoff_world_started(void) {
  if (atomic_load(&waiting_for_world))
    sp__futex_wake((_Atomic uint32_t *)&sp__sched.stw_pending, INT_MAX);
}

void sp__lock_handoff_stw_wait(void) {
  int n;
  while ((n = atomic_load(&detached_holders)) > 0)
    sp__futex_wait((_Atomic uint32_t *)&detached_holders, (uint32_t)n, 1000 * 1000);
}

/* Only an M that waits in a lock interposer: one that holds a lock but sleeps elsewhere (read() in
 * a critical section, pthread_cond_wait, whose mutex stays counted) may wait for a green thread
 * that the stop would stop, and the stop would never end. */
bool sp__lock_handoff_count_detached_holder(sp_m *m) {
  if (!atomic_load_explicit(m->waiting_in_lock, memory_order_relaxed) ||
      atomic_load_explicit(m->locks_held, memory_order_relaxed) == 0)
    return false;
  if (atomic_exchange(m->counted_detached_holder, 1) != 0)
    return false;
  atomic_fetch_add(&detached_holders, 1);
  return true;
}

void sp__lock_handoff_uncount(sp_m *m) { uncount(m->counted_detached_holder); }
