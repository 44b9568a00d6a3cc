/* select.c - sp_select: wait on several channel operations, with a default case or a timeout.
 *
 * As in Go: lock every channel involved (in address order, so two selects cannot deadlock each
 * other), look for a case that can proceed now in a random order (so no case starves), else queue
 * a waiter on every channel and park. The first channel operation or the timer that claims the G
 * (select_done 0 -> 1) decides which case won; after waking, the G locks everything again and
 * takes its other waiters off their queues. The timer is armed once the G is switched out, before
 * the channels are unlocked, so it exists before anyone can wake the G (time.c explains why that
 * matters). */
#include <stdlib.h>
#include <string.h>

#include "chan.h"

#define SP_SELECT_STACK_CASES 16

struct select_state {
  sp_chan **lockorder;
  size_t nlocks;
  sp_g *g;
  bool timed;
};

static int by_address(const void *a, const void *b) {
  uintptr_t x = (uintptr_t) * (sp_chan *const *)a, y = (uintptr_t) * (sp_chan *const *)b;
  return x < y ? -1 : x > y;
}

static void lock_all(struct select_state *s) {
  for (size_t i = 0; i < s->nlocks; i++)
    sp__spin_lock(&s->lockorder[i]->lock);
}

static void unlock_all(struct select_state *s) {
  for (size_t i = s->nlocks; i-- > 0;)
    sp__spin_unlock(&s->lockorder[i]->lock);
}

/* Park callback, once the G is switched out: arm the timer first, then let wakers at the
 * channels. */
static void select_park_commit(void *arg) {
  struct select_state *s = arg;
  if (s->timed)
    sp__timer_add(s->g, s->g->timer.when);
  unlock_all(s);
}

static uint32_t select_rand(void) {
  static __thread uint32_t state;
  if (state == 0)
    state = (uint32_t)sp_now_ns() | 1;
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}

int sp_select(sp_select_case *cases, size_t ncases, int64_t timeout_ns) {
  sp_chan *lock_buf[SP_SELECT_STACK_CASES];
  size_t order_buf[SP_SELECT_STACK_CASES];
  struct sp__waiter waiter_buf[SP_SELECT_STACK_CASES];
  sp_chan **lockorder = lock_buf;
  size_t *pollorder = order_buf;
  struct sp__waiter *waiters = waiter_buf;
  if (ncases > SP_SELECT_STACK_CASES) {
    lockorder = malloc(ncases * sizeof(*lockorder));
    pollorder = malloc(ncases * sizeof(*pollorder));
    waiters = malloc(ncases * sizeof(*waiters));
    if (!lockorder || !pollorder || !waiters)
      sp__fatal("out of memory (sp_select)");
  }

  size_t nlocks = 0, npoll = 0;
  for (size_t i = 0; i < ncases; i++) {
    if (!cases[i].chan)
      continue; /* a nil channel is never ready */
    if (cases[i].dir != SP_SELECT_SEND && cases[i].dir != SP_SELECT_RECV)
      sp__fatalf("sp_select: case %zu has an invalid direction %d", i, cases[i].dir);
    lockorder[nlocks++] = cases[i].chan;
    /* Inside-out Fisher-Yates: a uniformly random poll order. */
    size_t j = select_rand() % (npoll + 1);
    pollorder[npoll] = pollorder[j];
    pollorder[j] = i;
    npoll++;
  }
  qsort(lockorder, nlocks, sizeof(*lockorder), by_address);
  size_t unique = 0;
  for (size_t i = 0; i < nlocks; i++)
    if (unique == 0 || lockorder[unique - 1] != lockorder[i])
      lockorder[unique++] = lockorder[i];
  struct select_state s = {.lockorder = lockorder, .nlocks = unique};

  int result;
  lock_all(&s);
  for (size_t k = 0; k < npoll; k++) {
    size_t i = pollorder[k];
    sp_select_case *cs = &cases[i];
    sp_g *wake = NULL;
    if (cs->dir == SP_SELECT_SEND) {
      if (cs->chan->closed) {
        unlock_all(&s);
        sp__fatal("send on closed channel");
      }
      if (!sp__chan_try_send_locked(cs->chan, cs->elem, &wake))
        continue;
    } else {
      int r = sp__chan_try_recv_locked(cs->chan, cs->elem, &wake);
      if (r == 0)
        continue;
      cs->ok = r > 0;
    }
    unlock_all(&s);
    if (wake)
      sp__ready(wake, true);
    result = (int)i;
    goto done;
  }
  if (timeout_ns == 0) {
    unlock_all(&s);
    result = SP_SELECT_DEFAULT;
    goto done;
  }

  sp_g *g = sp__getg();
  if (!g) {
    unlock_all(&s);
    sp__fatal("blocking sp_select outside a green thread");
  }
  atomic_store(&g->select_done, 0);
  g->select_case = SP_SELECT_TIMEOUT;
  for (size_t k = 0; k < npoll; k++) {
    size_t i = pollorder[k];
    struct sp__waiter *w = &waiters[i];
    memset(w, 0, sizeof(*w));
    w->g = g;
    w->elem = cases[i].elem;
    w->chan = cases[i].chan;
    w->case_index = (int)i;
    w->is_select = true;
    sp__waitq_push(cases[i].dir == SP_SELECT_SEND ? &w->chan->sendq : &w->chan->recvq, w);
  }
  s.g = g;
  s.timed = timeout_ns > 0;
  if (s.timed)
    g->timer.when = sp_now_ns() + timeout_ns;
  sp__park(select_park_commit, &s, npoll ? "select" : "select (no cases)");

  if (s.timed)
    sp__timer_cancel(g);
  result = g->select_case;
  lock_all(&s);
  for (size_t k = 0; k < npoll; k++) {
    size_t i = pollorder[k];
    if ((int)i == result)
      continue;
    struct sp__waiter *w = &waiters[i];
    sp__waitq_remove(cases[i].dir == SP_SELECT_SEND ? &w->chan->sendq : &w->chan->recvq, w);
  }
  unlock_all(&s);
  if (result >= 0) {
    if (cases[result].dir == SP_SELECT_SEND) {
      if (!waiters[result].success)
        sp__fatal("send on closed channel");
    } else {
      cases[result].ok = waiters[result].success;
    }
  }

done:
  if (ncases > SP_SELECT_STACK_CASES) {
    free(lockorder);
    free(pollorder);
    free(waiters);
  }
  return result;
}
