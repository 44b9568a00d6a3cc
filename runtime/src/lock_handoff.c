/* lock_handoff.c - locks held by green threads whose P was handed off, and stop-the-world.
 *
 * Why: sysmon hands the P of an M asleep in the kernel to another M (syscall_handoff.c), also when
 * the M waits for a pthread mutex or rwlock that a thread outside the runtime holds for long: the
 * other green threads of that P run on. But a detached P no longer counts for a stop-the-world,
 * and a lock holder is never stopped (locks.c): a waiter that took its lock after the world
 * stopped would run on inside the stopped world, holding a lock the stopper may want or whose data
 * it reads. Stop-the-world promises that no green thread holds a lock while the world is stopped.
 *
 * How: a detached M that holds a lock counts itself in `detached_holders`, and stop-the-world
 * waits, after its Ps stopped, until the count drains (each such holder releases soon: it is armed
 * like any M coming back from a hand-off, and stops at its first safepoint after the release).
 * The count and the stop meet as in Dekker's algorithm, each side writing its own flag with a
 * sequentially consistent operation before it reads the other's:
 *   - the M, after it took its first lock (locks.c, must_give_back), adds itself, then reads
 *     sp__sched.stw_pending; if a stop is pending it subtracts itself again, gives the lock back,
 *     waits for the world to start and takes the lock anew (or, for a trylock, fails);
 *   - stop-the-world sets stw_pending, then (sp__lock_handoff_stw_wait) reads the count.
 * Either the M sees the stop, or the stop sees the M; never neither. A thread's `counted` flag says
 * whether it is in the count; whoever clears it (an exchange) subtracts, so a count is never taken
 * away twice.
 *
 * sysmon detaches an M that already holds a lock (blocked in read() inside a critical section, or
 * waiting for a second lock) too: it counts that M itself (syscall_handoff.c, detach). The M's
 * lock count is read while the M sleeps: detach marks the M detached, issues a full fence, and
 * keeps the detach only if the M's CPU clock has not moved since sysmon saw it asleep. An M that
 * ran meanwhile may have read "not detached" before the mark; the detach is then undone, and the
 * M keeps its P as if sysmon had never looked. */
#include <limits.h>

#include "internal.h"

/* Detached Ms counted as holding a lock. */
static _Atomic int detached_holders;
/* Green threads that gave a lock back and wait for the world to start (sp__lock_handoff_wait). */
static _Atomic int waiting_for_world;

/* Subtracts the calling thread from the count if it is in it, and wakes a stop-the-world that
 * waits for the count to drain. */
static void uncount(_Atomic uint8_t *counted) {
  if (!atomic_exchange(counted, 0))
    return;
  if (atomic_fetch_sub(&detached_holders, 1) == 1 && atomic_load(&sp__sched.stw_pending))
    sp__futex_wake((_Atomic uint32_t *)&detached_holders, 1);
}

bool sp__lock_handoff_may_hold(bool can_give_back) {
  if (atomic_exchange(&sp__counted_detached_holder, 1) == 0)
    atomic_fetch_add(&detached_holders, 1);
  if (!can_give_back || !atomic_load(&sp__sched.stw_pending))
    return true;
  uncount(&sp__counted_detached_holder);
  return false;
}

void sp__lock_handoff_released(void) { uncount(&sp__counted_detached_holder); }

void sp__lock_handoff_wait_for_world(void) {
  atomic_fetch_add(&waiting_for_world, 1);
  /* A timeout, not only the wake-up in sp__lock_handoff_world_started: the futex word is an int
   * the scheduler also writes without waking anyone. */
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

bool sp__lock_handoff_count_detached_holder(sp_m *m) {
  if (atomic_load_explicit(m->locks_held, memory_order_relaxed) == 0)
    return false;
  if (atomic_exchange(m->counted_detached_holder, 1) != 0)
    return false;
  atomic_fetch_add(&detached_holders, 1);
  return true;
}

void sp__lock_handoff_uncount(sp_m *m) { uncount(m->counted_detached_holder); }
