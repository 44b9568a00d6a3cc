/* sync.c - sp_mutex and sp_waitgroup: blocking synchronisation that parks green threads.
 *
 * The mutex takes the lock with one CAS when it is free; a contended locker queues and parks, and
 * unlock hands the lock directly to the longest waiter (the state stays "locked"), so a waiter is
 * never overtaken forever by a spinning newcomer. Both types guard their waiter lists with a spin
 * lock that parking releases once the parked G's context is saved (sched.c). Waiters are linked through
 * sp_g.schedlink, free while a G waits. */
#include "internal.h"

void sp_mutex_lock(sp_mutex *mu) {
  uint32_t expected = 0;
  if (__atomic_compare_exchange_n(&mu->state, &expected, 1, false, __ATOMIC_ACQUIRE,
                                  __ATOMIC_RELAXED))
    return;
  sp_g *g = sp__getg();
  if (!g) {
    /* Outside the runtime there is nothing to park: wait like a plain spin lock. */
    sp__spin_lock(&mu->state);
    return;
  }
  sp__spin_lock(&mu->guard);
  expected = 0;
  if (__atomic_compare_exchange_n(&mu->state, &expected, 1, false, __ATOMIC_ACQUIRE,
                                  __ATOMIC_RELAXED)) {
    sp__spin_unlock(&mu->guard);
    return;
  }
  g->schedlink = NULL;
  if (mu->waiters_tail)
    ((sp_g *)mu->waiters_tail)->schedlink = g;
  else
    mu->waiters = g;
  mu->waiters_tail = g;
  sp__park(sp__spin_unlock_cb, &mu->guard, "sync.Mutex.Lock");
  /* Woken by unlock, which handed us the lock. The acquire pairs with unlock's release. */
  __atomic_thread_fence(__ATOMIC_ACQUIRE);
}

int sp_mutex_trylock(sp_mutex *mu) {
  uint32_t expected = 0;
  return __atomic_compare_exchange_n(&mu->state, &expected, 1, false, __ATOMIC_ACQUIRE,
                                     __ATOMIC_RELAXED);
}

void sp_mutex_unlock(sp_mutex *mu) {
  sp__spin_lock(&mu->guard);
  if (__atomic_load_n(&mu->state, __ATOMIC_RELAXED) == 0) {
    sp__spin_unlock(&mu->guard);
    sp__fatal("sync: unlock of unlocked mutex");
  }
  sp_g *g = mu->waiters;
  if (g) {
    mu->waiters = g->schedlink;
    if (!mu->waiters)
      mu->waiters_tail = NULL;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    sp__spin_unlock(&mu->guard);
    sp__ready(g, false);
    return;
  }
  __atomic_store_n(&mu->state, 0, __ATOMIC_RELEASE);
  sp__spin_unlock(&mu->guard);
}

void sp_wg_add(sp_waitgroup *wg, int64_t delta) {
  sp__spin_lock(&wg->guard);
  int64_t v = (wg->counter += delta);
  if (v < 0) {
    sp__spin_unlock(&wg->guard);
    sp__fatal("sync: negative WaitGroup counter");
  }
  sp_g *wake = NULL;
  if (v == 0) {
    wake = wg->waiters;
    wg->waiters = NULL;
  }
  sp__spin_unlock(&wg->guard);
  while (wake) {
    sp_g *g = wake;
    wake = g->schedlink;
    sp__ready(g, false);
  }
}

void sp_wg_done(sp_waitgroup *wg) { sp_wg_add(wg, -1); }

void sp_wg_wait(sp_waitgroup *wg) {
  sp__spin_lock(&wg->guard);
  if (wg->counter == 0) {
    sp__spin_unlock(&wg->guard);
    return;
  }
  sp_g *g = sp__getg();
  if (!g) {
    sp__spin_unlock(&wg->guard);
    sp__fatal("sp_wg_wait called outside a green thread");
  }
  g->schedlink = wg->waiters;
  wg->waiters = g;
  sp__park(sp__spin_unlock_cb, &wg->guard, "sync.WaitGroup.Wait");
}
