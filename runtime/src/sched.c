/* sched.c - the G/M/P scheduler: sp_main, sp_go, sp_yield, parking and readying, work stealing.
 *
 * Every M runs m_loop on its g0 (the pthread's own stack): find a runnable G, switch to it, and
 * when the G switches back, act on the reason it gave (yield, preemption, park, exit). Acting
 * after the G's context is saved is what makes parking race-free: a G that parks on a channel
 * keeps the channel locked until then, so no waker can resume a G that is still running. In the
 * common case a stopping G switches directly to the next G of its P instead (switch_direct), and
 * that G acts on the reason as its first step; g0 is for everything else.
 *
 * Where runnable Gs wait, in the order m_loop looks: the P's runnext slot (the G a channel
 * operation or sp_go just readied: run it next, like Go, so ping-pong stays on one P with hot
 * caches), the P's bounded lock-free ring (only the owner pushes, anyone may pop), the global
 * queue (under sched.lock; overflow, preempted Gs, and Gs readied by timers), then other Ps'
 * rings (stealing half). An M that finds nothing spins briefly as a "spinning" M, then gives its
 * P back and parks on a futex. At most one spinning M is woken at a time (sp__wakep); a spinning M
 * that finds work wakes the next, so parallelism ramps up without a thundering herd. An M that
 * gives up its P rechecks every ring afterwards: a G queued while it held no P would otherwise wait
 * until its owner next schedules.
 *
 * Deadlock: when the last P goes idle, no timer is pending and no runnable G exists anywhere,
 * every G is blocked on something only another G could do: Go's "all goroutines are asleep". */
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

struct sp__sched sp__sched;
__thread sp_m *sp__m_tls __attribute__((tls_model("initial-exec")));

/* Set when a previous sp_main could not join all its threads (a green thread spinning in code
 * without safepoints); the runtime's state is then still in use and cannot be reinitialised. */
static bool zombie_threads;

static void lock_sched(void) { sp__lock(&sp__sched.lock); }
static void unlock_sched(void) { sp__unlock(&sp__sched.lock); }

/* ---- Per-P run queue ---------------------------------------------------------------------- */

static void globrunq_put_batch_locked(sp_g *head, sp_g *tail, int n) {
  tail->schedlink = NULL;
  if (sp__sched.runq_tail)
    sp__sched.runq_tail->schedlink = head;
  else
    sp__sched.runq_head = head;
  sp__sched.runq_tail = tail;
  atomic_fetch_add(&sp__sched.runq_size, n);
}

/* The ring is full: move half of it plus g to the global queue, so the owner stays lock-free for
 * the next SP_RUNQ_SIZE/2 pushes. Fails if a thief moved the head meanwhile. */
static bool runq_put_slow(sp_p *p, sp_g *g, uint32_t h, uint32_t t) {
  enum { N = SP_RUNQ_SIZE / 2 };
  sp_g *batch[N + 1];
  if (t - h != SP_RUNQ_SIZE)
    return false;
  for (uint32_t i = 0; i < N; i++)
    batch[i] = atomic_load_explicit(&p->runq[(h + i) % SP_RUNQ_SIZE], memory_order_relaxed);
  if (!atomic_compare_exchange_strong_explicit(&p->runq_head, &h, h + N, memory_order_release,
                                               memory_order_relaxed))
    return false;
  batch[N] = g;
  for (int i = 0; i < N; i++)
    batch[i]->schedlink = batch[i + 1];
  lock_sched();
  globrunq_put_batch_locked(batch[0], batch[N], N + 1);
  unlock_sched();
  return true;
}

static void runq_put(sp_p *p, sp_g *g, bool next) {
  if (next) {
    g = atomic_exchange_explicit(&p->runnext, g, memory_order_acq_rel);
    if (!g)
      return;
  }
  for (;;) {
    uint32_t h = atomic_load_explicit(&p->runq_head, memory_order_acquire);
    uint32_t t = atomic_load_explicit(&p->runq_tail, memory_order_relaxed);
    if (t - h < SP_RUNQ_SIZE) {
      atomic_store_explicit(&p->runq[t % SP_RUNQ_SIZE], g, memory_order_relaxed);
      atomic_store_explicit(&p->runq_tail, t + 1, memory_order_release);
      return;
    }
    if (runq_put_slow(p, g, h, t))
      return;
  }
}

/* Takes the next G of p's own queues; *from_runnext says whether it came from runnext. */
static sp_g *runq_get(sp_p *p, bool *from_runnext) {
  sp_g *next = atomic_load_explicit(&p->runnext, memory_order_relaxed);
  if (next && atomic_compare_exchange_strong(&p->runnext, &next, NULL)) {
    *from_runnext = true;
    return next;
  }
  *from_runnext = false;
  for (;;) {
    uint32_t h = atomic_load_explicit(&p->runq_head, memory_order_acquire);
    uint32_t t = atomic_load_explicit(&p->runq_tail, memory_order_relaxed);
    if (t == h)
      return NULL;
    sp_g *g = atomic_load_explicit(&p->runq[h % SP_RUNQ_SIZE], memory_order_relaxed);
    if (atomic_compare_exchange_strong_explicit(&p->runq_head, &h, h + 1, memory_order_release,
                                                memory_order_relaxed))
      return g;
  }
}

static bool runq_empty(sp_p *p) {
  return atomic_load(&p->runq_head) == atomic_load(&p->runq_tail) &&
         atomic_load(&p->runnext) == NULL;
}

int sp__runq_size(sp_p *p) {
  uint32_t n = atomic_load(&p->runq_tail) - atomic_load(&p->runq_head);
  return (int)n + (atomic_load(&p->runnext) != NULL);
}

/* Takes half of victim's ring into batch (and its runnext as a last resort). */
static uint32_t runq_grab(sp_p *victim, sp_g **batch, bool take_runnext) {
  for (;;) {
    uint32_t h = atomic_load_explicit(&victim->runq_head, memory_order_acquire);
    uint32_t t = atomic_load_explicit(&victim->runq_tail, memory_order_acquire);
    uint32_t n = t - h;
    n = n - n / 2;
    if (n == 0) {
      if (take_runnext) {
        sp_g *next = atomic_load(&victim->runnext);
        if (next && atomic_compare_exchange_strong(&victim->runnext, &next, NULL)) {
          batch[0] = next;
          return 1;
        }
      }
      return 0;
    }
    if (n > SP_RUNQ_SIZE / 2)
      continue; /* h and t read at different times; retry */
    for (uint32_t i = 0; i < n; i++)
      batch[i] = atomic_load_explicit(&victim->runq[(h + i) % SP_RUNQ_SIZE], memory_order_relaxed);
    if (atomic_compare_exchange_strong_explicit(&victim->runq_head, &h, h + n, memory_order_release,
                                                memory_order_relaxed))
      return n;
  }
}

static sp_g *runq_steal(sp_p *p, sp_p *victim, bool take_runnext) {
  sp_g *batch[SP_RUNQ_SIZE / 2];
  uint32_t n = runq_grab(victim, batch, take_runnext);
  if (n == 0)
    return NULL;
  for (uint32_t i = 0; i + 1 < n; i++)
    runq_put(p, batch[i], false);
  return batch[n - 1];
}

/* ---- Global run queue (sched.lock held) ---------------------------------------------------- */

static void globrunq_put_locked(sp_g *g) { globrunq_put_batch_locked(g, g, 1); }

static sp_g *globrunq_get_locked(sp_p *p, int max) {
  int size = atomic_load(&sp__sched.runq_size);
  if (size == 0)
    return NULL;
  int n = size / sp__sched.nprocs + 1;
  if (n > size)
    n = size;
  if (max > 0 && n > max)
    n = max;
  if (n > SP_RUNQ_SIZE / 2)
    n = SP_RUNQ_SIZE / 2;
  atomic_fetch_sub(&sp__sched.runq_size, n);
  sp_g *g = sp__sched.runq_head;
  sp__sched.runq_head = g->schedlink;
  for (int i = 1; i < n; i++) {
    sp_g *g1 = sp__sched.runq_head;
    sp__sched.runq_head = g1->schedlink;
    runq_put(p, g1, false);
  }
  if (!sp__sched.runq_head)
    sp__sched.runq_tail = NULL;
  return g;
}

/* ---- Idle Ps and Ms (sched.lock held) ------------------------------------------------------ */

static void check_deadlock_locked(void) {
  if (atomic_load(&sp__sched.exiting) || atomic_load(&sp__sched.stw_pending))
    return;
  if (atomic_load(&sp__sched.npidle) != sp__sched.nprocs)
    return;
  if (atomic_load(&sp__sched.runq_size) > 0 || sp__timer_count() > 0)
    return;
  if (sp__handoff_detached_count() > 0)
    return; /* a G blocked in a system call will come back */
  sp__fatal("all goroutines are asleep - deadlock!");
}

static void pidle_put_locked(sp_p *p) {
  if (sp__handoff_retire_locked(p))
    return;
  atomic_store(&p->status, SP_P_IDLE);
  p->link = sp__sched.pidle;
  sp__sched.pidle = p;
  atomic_fetch_add(&sp__sched.npidle, 1);
  check_deadlock_locked();
}

static sp_p *pidle_get_locked(void) {
  sp_p *p = sp__sched.pidle;
  if (p) {
    sp__sched.pidle = p->link;
    atomic_fetch_sub(&sp__sched.npidle, 1);
  }
  return p;
}

static void acquirep(sp_m *m, sp_p *p) {
  m->p = p;
  p->m = m;
  atomic_store(&p->status, SP_P_RUNNING);
  sp__sysmon_p_started();
}

static sp_p *releasep(sp_m *m) {
  sp_p *p = m->p;
  m->p = NULL;
  p->m = NULL;
  return p;
}

static void *mstart(void *arg);
static void startm_locked(sp_p *p, bool spinning);

/* The scheduler's steps syscall_handoff.c needs (sched.lock held). */
void sp__startm_locked(sp_p *p, bool spinning) { startm_locked(p, spinning); }
void sp__pidle_put_locked(sp_p *p) { pidle_put_locked(p); }
sp_p *sp__pidle_get_locked(void) { return pidle_get_locked(); }

/* Moves every G queued on p to the global queue. Safe against p's owner pushing meanwhile: it
 * takes Gs as a thief does. */
void sp__runq_move_to_global_locked(sp_p *p) {
  sp_g *batch[SP_RUNQ_SIZE / 2];
  uint32_t n;
  while ((n = runq_grab(p, batch, true)) > 0) {
    for (uint32_t i = 0; i < n; i++)
      globrunq_put_locked(batch[i]); /* as they are: a G never run stays SP_G_IDLE */
  }
}

static sp_m *allocm_locked(void) {
  sp_m *m = calloc(1, sizeof(*m));
  if (!m)
    sp__fatal("out of memory (new M)");
  m->id = atomic_fetch_add(&sp__sched.mcount, 1);
  m->alllink = sp__sched.allm;
  sp__sched.allm = m;
  return m;
}

/* Gives p to an idle M, or to a new one, and wakes it. */
static void startm_locked(sp_p *p, bool spinning) {
  sp_m *m = sp__sched.midle;
  if (m) {
    sp__sched.midle = m->schedlink;
    sp__sched.nmidle--;
    m->spinning = spinning;
    atomic_store_explicit(&m->nextp, p, memory_order_release);
    sp__note_wake(&m->park);
    return;
  }
  m = allocm_locked();
  m->spinning = spinning;
  atomic_store_explicit(&m->nextp, p, memory_order_release);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 256 * 1024);
  /* Ms block what the program blocked when it called sp_main, and nothing else (signals.c). */
  sigset_t mask, old;
  sp__signals_m_mask(&mask);
  pthread_sigmask(SIG_SETMASK, &mask, &old);
  int err = pthread_create(&m->thread, &attr, mstart, m);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  pthread_attr_destroy(&attr);
  if (err != 0)
    sp__fatalf("newosproc: cannot create thread: %s", strerror(err));
}

void sp__wakep(void) {
  if (atomic_load(&sp__sched.npidle) == 0)
    return;
  int expected = 0;
  if (!atomic_compare_exchange_strong(&sp__sched.nmspinning, &expected, 1))
    return;
  lock_sched();
  sp_p *p = pidle_get_locked();
  if (!p) {
    atomic_fetch_sub(&sp__sched.nmspinning, 1);
    unlock_sched();
    return;
  }
  startm_locked(p, true);
  unlock_sched();
}

static void reset_spinning(sp_m *m) {
  if (m->spinning) {
    m->spinning = false;
    atomic_fetch_sub(&sp__sched.nmspinning, 1);
    sp__wakep();
  }
}

/* Takes the P (and locked G) someone handed to m, if any. */
static void take_nextp(sp_m *m) {
  sp_p *p = atomic_exchange_explicit(&m->nextp, NULL, memory_order_acquire);
  if (p)
    acquirep(m, p);
}

/* Parks m until someone hands it a P (or the runtime exits: then m->p stays NULL). */
static void stopm(sp_m *m) {
  lock_sched();
  m->schedlink = sp__sched.midle;
  sp__sched.midle = m;
  sp__sched.nmidle++;
  unlock_sched();
  sp__note_sleep(&m->park);
  take_nextp(m);
}

/* Gives up p: to another M if there is work for it, else to the idle list or, during
 * stop-the-world, to the stopped set. */
static void handoffp(sp_p *p) {
  lock_sched();
  if (sp__handoff_retire_locked(p)) {
    /* Detached (syscall_handoff.c): its slot has a fresh P already; this one goes to no one. */
  } else if (atomic_load(&sp__sched.stw_pending)) {
    atomic_store(&p->status, SP_P_STOPPED);
    if (--sp__sched.stopwait == 0)
      sp__note_wake(&sp__sched.stopnote);
  } else if (!runq_empty(p) || atomic_load(&sp__sched.runq_size) > 0) {
    startm_locked(p, false);
  } else {
    pidle_put_locked(p);
  }
  unlock_sched();
}

/* Stop-the-world asked this M to stop: park its P in the stopped set, then the M. */
static void stw_stopm(sp_m *m) {
  if (m->spinning) {
    m->spinning = false;
    atomic_fetch_sub(&sp__sched.nmspinning, 1);
  }
  sp_p *p = releasep(m);
  lock_sched();
  if (sp__handoff_retire_locked(p)) {
    unlock_sched();
    stopm(m);
    return;
  }
  if (atomic_load(&sp__sched.stw_pending)) {
    atomic_store(&p->status, SP_P_STOPPED);
    if (--sp__sched.stopwait == 0)
      sp__note_wake(&sp__sched.stopnote);
    unlock_sched();
    stopm(m);
    return;
  }
  unlock_sched();
  acquirep(m, p);
}

/* A locked G is not running: give the P away and sleep until the G is handed back with a P. */
static void stoplockedm(sp_m *m) {
  if (m->p)
    handoffp(releasep(m));
  while (!atomic_load_explicit(&m->nextp, memory_order_acquire) &&
         !atomic_load(&sp__sched.exiting))
    sp__note_sleep(&m->park);
  take_nextp(m);
}

/* g is locked to another M: hand it our P and g, then park. */
static void startlockedm(sp_m *m, sp_g *g) {
  sp_m *lm = g->lockedm;
  sp_p *p = releasep(m);
  lm->nextg = g;
  atomic_store_explicit(&lm->nextp, p, memory_order_release);
  sp__note_wake(&lm->park);
  stopm(m);
}

/* ---- Finding work -------------------------------------------------------------------------- */

static uint32_t fastrand(void) {
  static __thread uint32_t state;
  if (state == 0)
    state = (uint32_t)(uintptr_t)&state ^ (uint32_t)sp_now_ns() ^ 0x9e3779b9u;
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}

static sp_g *found(sp_m *m, sp_g *g) {
  reset_spinning(m);
  return g;
}

/* Returns the next G for m to run, blocking until there is one; NULL once the runtime exits. */
static sp_g *findrunnable(sp_m *m) {
  for (;;) {
    if (atomic_load(&sp__sched.exiting))
      return NULL;
    if (!m->p) {
      stopm(m);
      continue;
    }
    if (atomic_load_explicit(&m->p->detached, memory_order_relaxed)) {
      handoffp(releasep(m)); /* sysmon gave this P's place away while m was in a system call */
      continue;
    }
    if (atomic_load(&sp__sched.stw_pending)) {
      stw_stopm(m);
      continue;
    }
    sp_p *p = m->p;
    sp_g *g;
    /* Now and then look at the global queue first, so Gs there are not starved by a P whose
     * ring never empties. */
    if (p->schedtick % 61 == 0 && atomic_load(&sp__sched.runq_size) > 0) {
      lock_sched();
      g = globrunq_get_locked(p, 1);
      unlock_sched();
      if (g)
        return found(m, g);
    }
    if (sp__timer_next() != INT64_MAX)
      sp__timers_run(sp_now_ns());
    bool from_runnext;
    if ((g = runq_get(p, &from_runnext))) {
      /* A G from runnext inherits the time slice: a pair of Gs handing a channel back and forth
       * through runnext counts as one running G for sysmon, so after a quantum it is preempted
       * and the rest of the queue gets its turn (Go's inheritTime). */
      m->inherit_time = from_runnext;
      return found(m, g);
    }
    if (atomic_load(&sp__sched.runq_size) > 0) {
      lock_sched();
      g = globrunq_get_locked(p, 0);
      unlock_sched();
      if (g)
        return found(m, g);
    }
    int nprocs = sp__sched.nprocs;
    if (nprocs > 1) {
      if (!m->spinning) {
        m->spinning = true;
        atomic_fetch_add(&sp__sched.nmspinning, 1);
      }
      for (int attempt = 0; attempt < 4; attempt++) {
        uint32_t start = fastrand();
        for (int i = 0; i < nprocs; i++) {
          /* syscall_handoff.c may replace a slot at any time: read it atomically. */
          sp_p *victim = __atomic_load_n(&sp__sched.allp[(start + (uint32_t)i) % (uint32_t)nprocs],
                                         __ATOMIC_ACQUIRE);
          if (victim == p)
            continue;
          if ((g = runq_steal(p, victim, attempt == 3)))
            return found(m, g);
        }
      }
    }
    /* Nothing to do: give the P back. */
    lock_sched();
    if (atomic_load(&sp__sched.stw_pending) || atomic_load(&sp__sched.exiting)) {
      unlock_sched();
      continue;
    }
    if ((g = globrunq_get_locked(p, 0))) {
      unlock_sched();
      return found(m, g);
    }
    releasep(m);
    bool was_spinning = m->spinning;
    if (m->spinning) {
      m->spinning = false;
      atomic_fetch_sub(&sp__sched.nmspinning, 1);
    }
    pidle_put_locked(p);
    unlock_sched();
    if (was_spinning || nprocs == 1) {
      for (int i = 0; i < nprocs; i++) {
        if (!runq_empty(__atomic_load_n(&sp__sched.allp[i], __ATOMIC_ACQUIRE))) {
          lock_sched();
          sp_p *p2 = pidle_get_locked();
          unlock_sched();
          if (p2) {
            acquirep(m, p2);
            m->spinning = true;
            atomic_fetch_add(&sp__sched.nmspinning, 1);
          }
          break;
        }
      }
      if (m->p)
        continue;
    }
    stopm(m);
  }
}

/* ---- Running Gs ---------------------------------------------------------------------------- */

static void gfree_put(sp_m *m, sp_g *g) {
  sp_p *p = m->p;
  if (p->gfree_count < 64) {
    g->schedlink = p->gfree;
    p->gfree = g;
    p->gfree_count++;
    return;
  }
  lock_sched();
  g->schedlink = sp__sched.gfree;
  __atomic_store_n(&sp__sched.gfree, g, __ATOMIC_RELAXED); /* gfree_get peeks without the lock */
  sp__sched.gfree_count++;
  unlock_sched();
}

static sp_g *gfree_get(sp_p *p) {
  if (!p->gfree && __atomic_load_n(&sp__sched.gfree, __ATOMIC_RELAXED)) {
    lock_sched();
    while (sp__sched.gfree && p->gfree_count < 32) {
      sp_g *g = sp__sched.gfree;
      __atomic_store_n(&sp__sched.gfree, g->schedlink, __ATOMIC_RELAXED);
      sp__sched.gfree_count--;
      g->schedlink = p->gfree;
      p->gfree = g;
      p->gfree_count++;
    }
    unlock_sched();
  }
  sp_g *g = p->gfree;
  if (g) {
    p->gfree = g->schedlink;
    p->gfree_count--;
  }
  return g;
}

/* Builds the first frame of a G that has never run (layout: context_layout.h). */
static void init_frame(sp_g *g) {
  uintptr_t top = ((uintptr_t)g->stack_base + g->stack_size) & ~(uintptr_t)15;
  uint64_t *frame = (uint64_t *)(top - SP_CTX_FRAME_SIZE);
  memset(frame, 0, SP_CTX_FRAME_SIZE);
  memcpy((char *)frame + SP_CTX_FRAME_CSR, &g->start_fpenv, sizeof(g->start_fpenv));
  frame[SP_CTX_FRAME_RET / 8] = (uint64_t)(uintptr_t)sp__ctx_entry;
  g->ctx.rsp = frame;
}

/* Makes g the running G of m and p: the first half of every switch, whether from g0 (execute) or
 * directly from the G that stops (switch_direct). */
static void begin_running(sp_m *m, sp_p *p, sp_g *g, bool inherit) {
  if (atomic_load_explicit(&g->status, memory_order_relaxed) == SP_G_IDLE) {
    if (!g->stack_base && !sp__stack_alloc(p, g))
      sp__fatalf("runtime: cannot allocate a %zu-byte green thread stack: %s (vm.max_map_count "
                 "limits how many green threads can be started at once)",
                 sp__config.stack_size, strerror(errno));
    init_frame(g);
    sp__fiber_g_created(g);
  }
  if (!inherit) {
    p->schedtick++;
    atomic_store_explicit(&p->run_start_ticks, sp__ticks(), memory_order_relaxed);
    atomic_store_explicit(&p->sysmon_tick, p->schedtick, memory_order_relaxed);
  }
  atomic_store_explicit(&g->status, SP_G_RUNNING, memory_order_relaxed);
  m->curg = g;
  /* sysmon and stop-the-world read these racily. A stop-the-world that begins while this M is
   * choosing g may not see curm yet; sp__stw_wait re-arms every running P until all stopped. */
  atomic_store_explicit(&p->curg, g, memory_order_relaxed);
  atomic_store_explicit(&p->curm, m, memory_order_release);
  sp__set_guard_self(g->stack_guard);
  /* The time slice g inherits may already be over: then g is asked to stop too, through its
   * global-page polls as well (sysmon asks once per slice; it may have escalated already). A P
   * detached from its M (the M blocked in the kernel, syscall_handoff) must not run g either. */
  if (atomic_load_explicit(&sp__sched.stw_pending, memory_order_relaxed) ||
      atomic_load_explicit(&p->detached, memory_order_relaxed)) {
    sp__arm(m);
  } else if (inherit &&
             atomic_load_explicit(&p->preempt_asked_tick, memory_order_relaxed) == p->schedtick) {
    sp__arm(m);
    sp__arm_page(m);
  }
  errno = g->saved_errno;
  h_errno = g->saved_h_errno;
  sp__exception_state_restore(m, g);
  __atomic_store_n(&p->switches, p->switches + 1, __ATOMIC_RELAXED);
}

/* g has stopped running on m (its context is saved): bookkeeping that may run before the next G
 * starts. */
static void stop_running(sp_m *m, sp_g *g) {
  g->saved_errno = errno;
  g->saved_h_errno = h_errno;
  sp__exception_state_save(m, g);
  sp__disarm_self(m);
  if (atomic_load_explicit(&g->preempt_request_ns, memory_order_relaxed))
    atomic_store_explicit(&g->preempt_request_ns, 0, memory_order_relaxed);
}

/* Acts on the reason g gave for stopping; runs only once g's context is saved, because it makes g
 * runnable or lets wakers at it. */
static void finish_stopped(sp_m *m, sp_p *p, sp_g *g, int reason) {
  switch (reason) {
  case SP_SWITCH_YIELD:
    atomic_store_explicit(&g->status, SP_G_RUNNABLE, memory_order_relaxed);
    runq_put(p, g, false);
    break;
  case SP_SWITCH_PREEMPT:
    /* A preempted G goes to the back of the global queue (Go does the same): whatever waited
     * behind the hog, on this P or elsewhere, runs before it. */
    atomic_store_explicit(&g->status, SP_G_RUNNABLE, memory_order_relaxed);
    lock_sched();
    globrunq_put_locked(g);
    unlock_sched();
    break;
  case SP_SWITCH_PARK:
    atomic_store_explicit(&g->status, SP_G_WAITING, memory_order_relaxed);
    if (m->park_unlock)
      m->park_unlock(m->park_lock);
    break;
  case SP_SWITCH_EXIT:
    atomic_store_explicit(&g->status, SP_G_DEAD, memory_order_relaxed);
    if (g->lockedm) {
      g->lockedm = NULL;
      g->lock_count = 0;
      m->lockedg = NULL;
    }
    sp__fiber_g_destroyed(g);
    sp__stack_release(p, g);
    gfree_put(m, g);
    break;
  }
}

/* The G that switched directly to the running one (switch_direct) left its reason behind: act on
 * it now that its context is saved. Called by every G right after it is switched to. */
static void finish_direct_switch(sp_m *m) {
  sp_g *prev = m->prev_g;
  if (prev) {
    m->prev_g = NULL;
    finish_stopped(m, m->p, prev, m->prev_reason);
  }
}

static void execute(sp_m *m, sp_g *g) {
  sp_p *p = m->p;
  bool inherit = m->inherit_time;
  m->inherit_time = false;
  begin_running(m, p, g, inherit);
  sp__fiber_switch_to_g(m, g);
  sp__ctx_switch(&m->g0ctx, &g->ctx);
  /* Back on g0: the running G saved its context and told us why in m->switch_reason. It may not
   * be g: Gs also switch directly among themselves. */
  sp__fiber_switched_to_g0(m);
  g = m->curg;
  stop_running(m, g);
  sp__set_guard_self(0);
  atomic_store_explicit(&p->curg, NULL, memory_order_relaxed);
  atomic_store_explicit(&p->curm, NULL, memory_order_release);
  m->curg = NULL;
  finish_stopped(m, p, g, m->switch_reason);
}

static void m_loop(sp_m *m) {
  for (;;) {
    if (atomic_load(&sp__sched.exiting))
      return;
    if (m->lockedg) {
      sp_g *lg = m->lockedg;
      if (atomic_load(&lg->status) != SP_G_RUNNING) {
        stoplockedm(m);
        if (atomic_load(&sp__sched.exiting))
          return;
        sp_g *g = m->nextg;
        m->nextg = NULL;
        if (g && m->p) {
          execute(m, g);
          continue;
        }
      }
    }
    sp_g *g = findrunnable(m);
    if (!g)
      return;
    if (g->lockedm && g->lockedm != m) {
      startlockedm(m, g);
      continue;
    }
    execute(m, g);
  }
}

static void *mstart(void *arg) {
  sp_m *m = arg;
  sp__m_tls = m;
  sp__m_record_tls(m);
  sp__exception_state_m_start(m);
  sp__handoff_m_started(m);
  sp__sigaltstack_setup(m);
  sp__fiber_m_started(m);
  take_nextp(m);
  m_loop(m);
  if (m->spinning) {
    m->spinning = false;
    atomic_fetch_sub(&sp__sched.nmspinning, 1);
  }
  lock_sched();
  atomic_store(&m->exited, 1);
  unlock_sched();
  sp__thread_page_m_exiting(m);
  sp__sigaltstack_teardown(m);
  sp__exception_state_m_exit(m);
  sp__m_tls = NULL;
  return NULL;
}

/* The first code on every G's stack (called by sp__ctx_entry). */
void sp__gstart(void) {
  sp_m *m = sp__getm();
  sp_g *g = m->curg;
  sp__fiber_switched_to_g(g, m->prev_g != NULL);
  finish_direct_switch(m);
  g->fn(g->arg);
  sp__mcall(SP_SWITCH_EXIT);
  __builtin_unreachable();
}

/* Switches from g straight to the next G of its P's own queues, without going through g0 (one
 * context switch instead of two), when nothing needs the scheduler's attention: the common case
 * of a channel hand-off, a yield or a G exiting. The next G finishes g's switch
 * (finish_direct_switch). */
static bool switch_direct(sp_m *m, sp_g *g, int reason) {
  sp_p *p = m->p;
  if (m->lockedg || atomic_load_explicit(&sp__sched.stw_pending, memory_order_relaxed) ||
      atomic_load_explicit(&sp__sched.exiting, memory_order_relaxed) ||
      atomic_load_explicit(&p->detached, memory_order_relaxed))
    return false;
  /* Every 61st slice the scheduler looks at the global queue first (findrunnable). */
  if (p->schedtick % 61 == 60 && atomic_load_explicit(&sp__sched.runq_size, memory_order_relaxed))
    return false;
  bool from_runnext;
  sp_g *next = runq_get(p, &from_runnext);
  if (!next)
    return false;
  if (next->lockedm) {
    runq_put(p, next, true); /* its own M must run it: leave that to the scheduler */
    return false;
  }
  stop_running(m, g);
  m->prev_g = g;
  m->prev_reason = reason;
  begin_running(m, p, next, from_runnext);
  sp__fiber_switch_g_to_g(g, next, reason == SP_SWITCH_EXIT);
  sp__ctx_switch(&g->ctx, &next->ctx);
  return true;
}

/* sp__mcall() stops the current G for reason: it switches to the next G of the P directly when it
 * can, else to the M's g0, which acts on reason and schedules. */
void sp__mcall(int reason) {
  sp_m *m = sp__getm();
  sp_g *g = m->curg;
  if (reason != SP_SWITCH_PREEMPT && g == atomic_load(&sp__sched.stw_owner))
    sp__fatal("a green thread blocked or yielded between sp_stop_the_world and sp_start_the_world");
  /* A G that switches while holding a lock leaves it locked for whatever runs next on this M;
   * one that waits for the lock in the kernel would hold the M forever (locks.c). Preemption
   * never gets here then: it waits for the release. */
  if (__builtin_expect(!sp__preemptible_self(), 0))
    sp__fatal_blocked_holding(g, reason);
  if (reason == SP_SWITCH_PREEMPT || !switch_direct(m, g, reason)) {
    m->switch_reason = reason;
    sp__fiber_switch_to_g0(m, g, reason == SP_SWITCH_EXIT);
    sp__ctx_switch(&g->ctx, &m->g0ctx);
  }
  /* Resumed, possibly on another M: nothing read from TLS above is valid any more. */
  m = sp__getm();
  sp__fiber_switched_to_g(g, m->prev_g != NULL);
  finish_direct_switch(m);
}

void sp__park(void (*unlock)(void *), void *lock, const char *reason) {
  sp_m *m = sp__getm();
  m->park_unlock = unlock;
  m->park_lock = lock;
  m->curg->wait_reason = reason;
  sp__mcall(SP_SWITCH_PARK);
}

void sp__ready(sp_g *g, bool next) {
  sp_m *m = sp__getm();
  if (!m || !m->p) {
    sp__ready_from_outside(g);
    return;
  }
  atomic_store_explicit(&g->status, SP_G_RUNNABLE, memory_order_relaxed);
  runq_put(m->p, g, next);
  sp__wakep();
}

/* Queues a list of n Gs (linked through schedlink) on the global queue, in order. */
void sp__globrunq_put_list(sp_g *head, int n) {
  sp_g *tail = head;
  for (sp_g *g = head; g; g = g->schedlink) {
    atomic_store_explicit(&g->status, SP_G_RUNNABLE, memory_order_relaxed);
    tail = g;
  }
  lock_sched();
  globrunq_put_batch_locked(head, tail, n);
  unlock_sched();
}

void sp__ready_from_outside(sp_g *g) {
  atomic_store(&g->status, SP_G_RUNNABLE);
  lock_sched();
  globrunq_put_locked(g);
  unlock_sched();
  sp__wakep();
}

/* ---- Stop the world (preempt.c has the public half) --------------------------------------- */

static void arm_running_locked(sp_m *self) {
  for (int i = 0; i < sp__sched.nprocs; i++) {
    sp_p *p = sp__sched.allp[i];
    sp_m *m = atomic_load_explicit(&p->curm, memory_order_acquire);
    if (p != self->p && m && atomic_load(&p->status) == SP_P_RUNNING)
      sp__arm(m); /* global-page polls stop at the shared page, protected for the whole stop */
  }
}

/* Takes every idle P out of circulation and asks every running G to stop at its next safepoint. */
void sp__stw_begin(sp_m *self) {
  lock_sched();
  atomic_store(&sp__sched.stw_pending, 1);
  /* The caller's own P is not waited for, unless it is detached (not in allp any more). */
  sp__sched.stopwait = sp__sched.nprocs - !atomic_load(&self->p->detached);
  sp_p *p;
  while ((p = pidle_get_locked())) {
    atomic_store(&p->status, SP_P_STOPPED);
    sp__sched.stopwait--;
  }
  arm_running_locked(self);
  unlock_sched();
}

/* Waits for the running Ps to stop. An M that was between Gs when the world began to stop may
 * start its next G unarmed (execute orders nothing against stw_pending, to keep switches cheap),
 * so every 20 µs the running Ps are armed again. Then waits for the green threads on handed-off
 * Ps that hold locks, which no P counts (lock_handoff.c). */
void sp__stw_wait(sp_m *self) {
  for (;;) {
    lock_sched();
    int left = sp__sched.stopwait;
    if (left > 0)
      arm_running_locked(self);
    unlock_sched();
    if (left == 0)
      break;
    if (atomic_exchange(&sp__sched.stopnote, 0) == 0)
      sp__futex_wait(&sp__sched.stopnote, 0, 20000);
  }
  sp__lock_handoff_stw_wait();
}

void sp__stw_end(sp_m *self) {
  lock_sched();
  atomic_store(&sp__sched.stw_pending, 0);
  for (int i = 0; i < sp__sched.nprocs; i++) {
    sp_p *p = sp__sched.allp[i];
    if (p == self->p || atomic_load(&p->status) != SP_P_STOPPED)
      continue;
    if (!runq_empty(p) || atomic_load(&sp__sched.runq_size) > 0)
      startm_locked(p, false);
    else
      pidle_put_locked(p);
  }
  unlock_sched();
  sp__lock_handoff_world_started();
}

/* ---- Public API ---------------------------------------------------------------------------- */

static sp_g *newg(sp_p *p) {
  sp_g *g = p ? gfree_get(p) : NULL;
  if (!g) {
    g = calloc(1, sizeof(*g));
    if (!g)
      sp__fatal("out of memory (new green thread)");
    lock_sched();
    g->alllink = sp__sched.allg;
    sp__sched.allg = g;
    unlock_sched();
  }
  g->id = atomic_fetch_add(&sp__sched.goidgen, 1) + 1;
  atomic_store_explicit(&g->status, SP_G_IDLE, memory_order_relaxed);
  g->timer.heap_index = -1;
  g->saved_errno = 0;
  g->saved_h_errno = 0;
  sp__fpenv_capture(&g->start_fpenv); /* newg runs on the creator: sp_go's G, sp_main's thread */
  g->exception_state = (struct sp__exception_state){0};
  g->wait_reason = NULL;
  return g;
}

void sp_go(void (*fn)(void *), void *arg) {
  sp_m *m = sp__getm();
  if (!m || !m->curg)
    sp__fatal("sp_go called outside a green thread (call sp_main first)");
  sp_g *g = newg(m->p);
  g->fn = fn;
  g->arg = arg;
  runq_put(m->p, g, true);
  sp__wakep();
}

void sp_yield(void) {
  sp_m *m = sp__getm();
  if (!m || !m->curg)
    return;
  sp__mcall(SP_SWITCH_YIELD);
}

int sp_maxprocs(void) { return atomic_load(&sp__sched.running) ? sp__sched.nprocs : 0; }

uint64_t sp_self_id(void) {
  sp_g *g = sp__getg();
  return g ? g->id : 0;
}

void sp_lock_os_thread(void) {
  sp_m *m = sp__getm();
  if (!m || !m->curg)
    sp__fatal("sp_lock_os_thread called outside a green thread");
  sp_g *g = m->curg;
  if (g->lock_count++ == 0) {
    g->lockedm = m;
    m->lockedg = g;
  }
}

void sp_unlock_os_thread(void) {
  sp_m *m = sp__getm();
  if (!m || !m->curg)
    sp__fatal("sp_unlock_os_thread called outside a green thread");
  sp_g *g = m->curg;
  if (g->lock_count == 0)
    sp__fatal("sp_unlock_os_thread without sp_lock_os_thread");
  if (--g->lock_count == 0) {
    g->lockedm = NULL;
    m->lockedg = NULL;
  }
}

static int (*main_fn)(int, char **);
static int main_argc;
static char **main_argv;

static void main_g(void *unused) {
  (void)unused;
  int r = main_fn(main_argc, main_argv);
  sp__sched.main_result = r;
  atomic_store(&sp__sched.exiting, 1);
  sp__note_wake(&sp__sched.main_done);
  sp__mcall(SP_SWITCH_EXIT);
}

/* After the main G returns: stop every M (idle ones are woken, busy ones asked to stop at their
 * next safepoint) and join them, for a bounded time. */
static bool shutdown_ms(void) {
  lock_sched();
  for (sp_m *m = sp__sched.allm; m; m = m->alllink) {
    if (!atomic_load(&m->exited)) {
      sp__arm(m);
      sp__arm_page(m);
      sp__note_wake(&m->park);
    }
  }
  unlock_sched();
  sp__futex_wake(&sp__sched.world_gen, INT32_MAX);
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_nsec += 500 * 1000 * 1000;
  if (deadline.tv_nsec >= 1000000000) {
    deadline.tv_sec++;
    deadline.tv_nsec -= 1000000000;
  }
  bool all = true;
  for (sp_m *m = sp__sched.allm; m; m = m->alllink)
    if (pthread_timedjoin_np(m->thread, NULL, &deadline) != 0)
      all = false;
  return all;
}

static void free_runtime(void) {
  for (sp_g *g = sp__sched.allg, *next; g; g = next) {
    next = g->alllink;
    sp__fiber_g_destroyed(g);
    sp__stack_free(g);
    free(g);
  }
  for (sp_m *m = sp__sched.allm, *next; m; m = next) {
    next = m->alllink;
    free(m);
  }
  for (int i = 0; i < sp__sched.nprocs; i++) {
    sp__stack_cache_drain(sp__sched.allp[i]);
    free(sp__sched.allp[i]);
    sp__sched.allp[i] = NULL;
  }
  sp__handoff_free();
}

/* Field by field, not memset: the fault handler may read the stop-the-world fields at any time
 * (a late poll fault from a thread outside the runtime). world_gen only ever grows. */
static void reset_sched(void) {
  sp__sched.pidle = NULL;
  atomic_store(&sp__sched.npidle, 0);
  atomic_store(&sp__sched.nmspinning, 0);
  sp__sched.midle = NULL;
  sp__sched.nmidle = 0;
  sp__sched.allm = NULL;
  atomic_store(&sp__sched.mcount, 0);
  sp__sched.runq_head = sp__sched.runq_tail = NULL;
  atomic_store(&sp__sched.runq_size, 0);
  __atomic_store_n(&sp__sched.gfree, NULL, __ATOMIC_RELAXED);
  sp__sched.gfree_count = 0;
  sp__sched.allg = NULL;
  atomic_store(&sp__sched.goidgen, 0);
  atomic_store(&sp__sched.stw_owner, NULL);
  atomic_store(&sp__sched.stw_pending, 0);
  sp__sched.stopwait = 0;
  atomic_store(&sp__sched.stopnote, 0);
  atomic_store(&sp__sched.exiting, 0);
  sp__sched.main_result = 0;
  atomic_store(&sp__sched.main_done, 0);
}

int sp_main(int (*fn)(int argc, char **argv), int argc, char **argv) {
  if (sp__in_fork_child())
    sp__fatal("sp_main: the runtime cannot start again");
  if (sp__getm())
    sp__fatal("sp_main called from a green thread");
  if (zombie_threads)
    sp__fatal("sp_main: the previous runtime still has threads running code without safepoints");
  int expected = 0;
  if (!atomic_compare_exchange_strong(&sp__sched.running, &expected, 1))
    sp__fatal("sp_main called while the runtime is running");

  sp__config_load();
  sp__signals_record_mask();
  reset_sched();
  sp__sched.nprocs = sp__config.maxprocs;
  for (int i = 0; i < sp__sched.nprocs; i++) {
    sp_p *p = calloc(1, sizeof(*p));
    if (!p)
      sp__fatal("out of memory (P)");
    p->id = i;
    sp__sched.allp[i] = p;
  }
  sp__timers_reset();
  sp__stats_reset();
  sp__preempt_check_cpu();
  sp__locks_init();
  sp__poll_pages_init();
  sp__fault_install();
  sp__fork_install();

  main_fn = fn;
  main_argc = argc;
  main_argv = argv;
  sp_g *g = newg(NULL);
  g->fn = main_g;
  sp_p *p0 = sp__sched.allp[0];
  runq_put(p0, g, false);
  lock_sched();
  for (int i = sp__sched.nprocs - 1; i > 0; i--)
    pidle_put_locked(sp__sched.allp[i]);
  startm_locked(p0, false);
  unlock_sched();
  sp__sysmon_start();

  sp__note_sleep(&sp__sched.main_done);

  sp__sysmon_stop();
  sp__stats_fold_switches();
  if (shutdown_ms()) {
    free_runtime();
  } else {
    /* Some M still runs a green thread in code without safepoints. Its memory stays; the process
     * can go on, but the runtime cannot start again. */
    zombie_threads = true;
  }
  sp__poll_pages_reset();
  int result = sp__sched.main_result;
  atomic_store(&sp__sched.running, 0);
  return result;
}
