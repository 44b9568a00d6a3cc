/* time.c - the monotonic clock, timers (sleep and select timeouts) and sp_sleep_ns.
 *
 * One min-heap of waiting Gs for the whole runtime, ordered by deadline; each G has at most one
 * timer (it embeds it). sysmon fires timers at their deadline; schedulers also fire overdue ones
 * when they look for work. Firing and the waking channel of a select race through g->select_done:
 * whoever CASes it from 0 to 1 wakes the G. The timer side does that CAS under the timer lock and
 * a G cancels its timer under the same lock before it waits again, so a stale timer can never
 * wake a later wait. */
#include <stdlib.h>
#include <time.h>

#include "internal.h"

static sp__lock_t timer_lock;
static sp_g **heap;
static int heap_len, heap_cap;
/* Timers not yet fully handled (in the heap, or fired but their G not yet queued): while this is
 * non-zero, a G is going to wake up, so the program is not deadlocked. */
static _Atomic int outstanding;
static _Atomic int64_t next_when = INT64_MAX;

int64_t sp_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void heap_set(int i, sp_g *g) {
  heap[i] = g;
  g->timer.heap_index = i;
}

static void sift_up(int i) {
  sp_g *g = heap[i];
  while (i > 0) {
    int parent = (i - 1) / 2;
    if (heap[parent]->timer.when <= g->timer.when)
      break;
    heap_set(i, heap[parent]);
    i = parent;
  }
  heap_set(i, g);
}

static void sift_down(int i) {
  sp_g *g = heap[i];
  for (;;) {
    int c = 2 * i + 1;
    if (c >= heap_len)
      break;
    if (c + 1 < heap_len && heap[c + 1]->timer.when < heap[c]->timer.when)
      c++;
    if (heap[c]->timer.when >= g->timer.when)
      break;
    heap_set(i, heap[c]);
    i = c;
  }
  heap_set(i, g);
}

static void heap_remove(int i) {
  heap[i]->timer.heap_index = -1;
  heap_len--;
  if (i != heap_len) {
    heap_set(i, heap[heap_len]);
    sift_down(i);
    sift_up(heap[i]->timer.heap_index);
  }
}

static void publish_next(void) {
  atomic_store(&next_when, heap_len ? heap[0]->timer.when : INT64_MAX);
}

void sp__timer_add(sp_g *g, int64_t when) {
  sp__lock(&timer_lock);
  if (heap_len == heap_cap) {
    heap_cap = heap_cap ? heap_cap * 2 : 64;
    heap = realloc(heap, sizeof(*heap) * (size_t)heap_cap);
    if (!heap)
      sp__fatal("out of memory (timer heap)");
  }
  g->timer.when = when;
  heap[heap_len++] = g;
  sift_up(heap_len - 1);
  atomic_fetch_add(&outstanding, 1);
  publish_next();
  sp__unlock(&timer_lock);
  sp__sysmon_kick(when);
}

bool sp__timer_cancel(sp_g *g) {
  bool removed = false;
  sp__lock(&timer_lock);
  if (g->timer.heap_index >= 0) {
    heap_remove(g->timer.heap_index);
    atomic_fetch_sub(&outstanding, 1);
    publish_next();
    removed = true;
  }
  sp__unlock(&timer_lock);
  return removed;
}

int64_t sp__timer_next(void) { return atomic_load(&next_when); }

int sp__timer_count(void) { return atomic_load(&outstanding); }

int sp__timers_run(int64_t now) {
  if (atomic_load_explicit(&next_when, memory_order_relaxed) > now)
    return 0;
  sp_g *fired = NULL, **tail = &fired; /* in deadline order, so they run in that order */
  int n = 0, stale = 0;
  sp__lock(&timer_lock);
  while (heap_len > 0 && heap[0]->timer.when <= now) {
    sp_g *g = heap[0];
    heap_remove(0);
    int expected = 0;
    if (atomic_compare_exchange_strong(&g->select_done, &expected, 1)) {
      g->select_case = SP_SELECT_TIMEOUT;
      g->schedlink = NULL;
      *tail = g;
      tail = &g->schedlink;
      n++;
    } else {
      stale++;
    }
  }
  publish_next();
  /* Queue them before letting another M or sysmon fire later timers: otherwise a firer that
   * popped a later timer could queue its G first. */
  if (fired)
    sp__globrunq_put_list(fired, n);
  atomic_fetch_sub(&outstanding, stale + n);
  sp__unlock(&timer_lock);
  if (fired)
    sp__wakep();
  return n;
}

void sp__timers_reset(void) {
  sp__lock(&timer_lock);
  for (int i = 0; i < heap_len; i++)
    heap[i]->timer.heap_index = -1;
  heap_len = 0;
  atomic_store(&outstanding, 0);
  publish_next();
  sp__unlock(&timer_lock);
}

/* Runs once the sleeping G is switched out (sp__park), so the timer cannot wake it before it
 * sleeps. */
static void arm_sleep_timer(void *g) { sp__timer_add(g, ((sp_g *)g)->timer.when); }

void sp_sleep_ns(int64_t ns) {
  sp_g *g = sp__getg();
  if (!g)
    sp__fatal("sp_sleep_ns called outside a green thread");
  if (ns <= 0) {
    sp_yield();
    return;
  }
  atomic_store(&g->select_done, 0);
  g->timer.when = sp_now_ns() + ns;
  sp__park(arm_sleep_timer, g, "sleep");
}
