/* syscall_handoff.c - taking the P away from an M that sits in the kernel outside the runtime
 * (Go's retake and handoffp for system calls), without wrapping any call.
 *
 * A green thread that blocks in read(), nanosleep(), waitpid(), a contended pthread mutex or any
 * blocking library call keeps its M asleep in the kernel, and with it the M's P: on one P nothing
 * else runs until the call returns. Go marks every system call; the runtime here cannot see the
 * program's calls (wrapping each one would cost every call), so sysmon infers them: a P whose G has
 * run for a while without reaching the scheduler (SP_HANDOFF_FIRST_LOOK_NS), whose M used no CPU
 * time since sysmon's previous look (its thread CPU clock, ~1 us to read), and whose thread the
 * kernel reports asleep ('S' or 'D' in /proc/self/task/TID/stat, ~10-30 us, read only then), is
 * blocked. As in Go, sysmon takes the P only
 * when someone else could use it (a runnable G, a pending timer) or once the call has lasted
 * SP_HANDOFF_IDLE_NS.
 *
 * The blocked M may return from its call at any instant, also while sysmon acts, and then runs the
 * program's code and enters the runtime with the P it believes it has. So sysmon never takes that
 * P object: it "detaches" it. The M keeps it, still its own alone (no two Ms ever own one P), and
 * a fresh P takes its place in allp, where the scheduler, sysmon and stop-the-world see it. sysmon
 * moves the detached P's queued green threads to the global queue, gives the fresh P to another M
 * if there is work, and arms the blocked M like a preemption request. When the call returns, the
 * M runs the green thread only to its next poll (or runtime entry that switches); there, and at
 * every point where the scheduler would give its P away, the detached P is retired: its queues and
 * caches go to the global ones, the P object is kept for the next detach, and the M parks. The
 * green thread waits in the global queue for a P like any preempted one. So the program's Gs run on
 * SPMAXPROCS Ps, plus, briefly, Gs coming back from a blocking call on detached ones.
 *
 * False alarms cost a hand-off, never correctness: a G whose M merely waited on one of the
 * runtime's own locks (a futex) when sysmon looked is handed off and continues as above. Idle Ms
 * parked in the runtime are never looked at: sysmon only looks at Ps that run a G. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

/* sysmon first looks at a G that has had its P, without a switch, for the quantum or 1 ms, the
 * shorter (Go looks from 20 us on, but its sysmon wakes every 20 us while the program is busy;
 * here a P that switches Gs often would wake sysmon once per time slice). The look notes the M's
 * CPU time; SP_HANDOFF_CONFIRM_NS later, an M that used none and sleeps loses its P. On a loaded
 * machine a runnable thread often waits that long for a CPU; shorter, and the /proc reads that
 * tell it from a sleeping one cost sysmon more than its own work (measured: docs/benchmarks.md). */
#define SP_HANDOFF_FIRST_LOOK_NS (1000 * 1000)
#define SP_HANDOFF_CONFIRM_NS (250 * 1000)
/* Without other work the P is taken only after this long (Go: 10 ms), so a lone G that blocks
 * often does not pay a hand-off for each call. */
#define SP_HANDOFF_IDLE_NS (10 * 1000 * 1000)
/* A G that is not blocked is looked at less and less often (4x each time), up to this interval. */
#define SP_HANDOFF_MAX_INTERVAL_NS (10 * 1000 * 1000)
/* How often sysmon looks whether a detached M came back, when the program has global-page polls
 * (which only a protected shared page stops: protected for the whole call, it would fault every
 * other thread's polls). */
#define SP_HANDOFF_RETURN_CHECK_NS (1000 * 1000)

/* sysmon's notes on the G running in each allp slot. */
struct watch {
  sp_p *p;
  uint64_t tick;      /* the time slice watched */
  int64_t due;        /* next look */
  int64_t interval;   /* between looks */
  int64_t cpu_ns;     /* the M's CPU time at the last look, -1 before the first */
};
static struct watch watches[SP_MAX_PROCS];

/* Under sched.lock. Detached Ps, and retired ones kept for reuse: a P object is never freed while
 * the runtime runs, because a thief may still hold a pointer it read from allp before the swap. */
static sp_p *detached_ps;
static sp_p *spare_ps;
static _Atomic int ndetached;

void sp__handoff_m_started(sp_m *m) {
  m->tid = (pid_t)syscall(SYS_gettid);
  m->locks_held = &sp__locks_held;
  m->on_detached_p = &sp__on_detached_p;
  m->counted_detached_holder = &sp__counted_detached_holder;
  m->waiting_in_lock = &sp__waiting_in_lock;
  if (pthread_getcpuclockid(pthread_self(), &m->cpu_clock) != 0)
    m->cpu_clock = -1;
}

int sp__handoff_detached_count(void) { return atomic_load(&ndetached); }

static int64_t cpu_time_ns(const sp_m *m) {
  struct timespec ts;
  if (m->cpu_clock == -1 || clock_gettime(m->cpu_clock, &ts) != 0)
    return -1;
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Whether the kernel reports the thread asleep: 'S' (interruptible: a pipe, a futex, nanosleep)
 * or 'D' (uninterruptible: disk I/O). 'R' is running or runnable: computing, which is
 * preemption's business. */
static bool thread_asleep(pid_t tid) {
  char path[64], buf[512];
  snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  ssize_t n = read(fd, buf, sizeof(buf) - 1);
  close(fd);
  if (n <= 0)
    return false;
  buf[n] = '\0';
  char *paren = strrchr(buf, ')'); /* the thread's name may hold anything, even ")" */
  if (!paren || paren[1] != ' ')
    return false;
  return paren[2] == 'S' || paren[2] == 'D';
}

/* Someone could use the P: a runnable G, a timer, or stop-the-world waiting for it to stop. */
static bool other_work(sp_p *p) {
  return sp__runq_size(p) > 0 || atomic_load(&sp__sched.runq_size) > 0 || sp__timer_count() > 0 ||
         atomic_load(&sp__sched.stw_pending);
}

/* A P for allp slot i in place of the detached one: a spare, cleared, or a new one. */
static sp_p *replacement_locked(const sp_p *old) {
  sp_p *np = spare_ps;
  if (np) {
    spare_ps = np->link;
    /* Keep the ring indices: a thief with a stale pointer compares them (the ring is empty). */
    uint32_t head = atomic_load(&np->runq_head), tail = atomic_load(&np->runq_tail);
    memset(np, 0, sizeof(*np));
    atomic_store(&np->runq_head, head);
    atomic_store(&np->runq_tail, tail);
  } else {
    np = calloc(1, sizeof(*np));
    if (!np)
      sp__fatal("out of memory (P for a system call hand-off)");
  }
  np->id = old->id;
  /* stats.c sums the Ps' switch counters: carry the count on (the detached P's later switches
   * are not counted). */
  __atomic_store_n(&np->switches, __atomic_load_n(&old->switches, __ATOMIC_RELAXED),
                   __ATOMIC_RELAXED);
  return np;
}

/* Detaches p (allp slot i) from m, whose G still runs the slice `tick` and whose CPU clock read
 * cpu_seen when sysmon last saw it asleep: see the file comment. */
static bool detach(int i, sp_p *p, sp_m *m, sp_g *g, uint64_t tick, int64_t cpu_seen) {
  sp__lock(&sp__sched.lock);
  bool still = !atomic_load(&sp__sched.exiting) &&
               __atomic_load_n(&sp__sched.allp[i], __ATOMIC_RELAXED) == p && atomic_load(&p->curm) == m &&
               atomic_load(&p->curg) == g && atomic_load(&p->sysmon_tick) == tick &&
               atomic_load(&p->status) == SP_P_RUNNING;
  if (!still) {
    sp__unlock(&sp__sched.lock);
    return false;
  }
  /* Mark m detached, then make sure it did not run since it was seen asleep: an M that ran may
   * have started to wait for its first lock believing its P attached, and stop-the-world would
   * not wait for it (lock_handoff.c). The fence orders the marks before the clock read; an M that
   * has not run yet sees the marks when it does. If m ran, it keeps its P, as if sysmon had not
   * looked. An M asleep in a lock interposer is counted as a holder now: it cannot count itself. */
  atomic_store(&p->detached, 1);
  atomic_store(m->on_detached_p, 1);
  bool counted = sp__lock_handoff_count_detached_holder(m);
  atomic_thread_fence(memory_order_seq_cst);
  int64_t cpu_now = cpu_time_ns(m);
  if (cpu_now != cpu_seen) {
    atomic_store(m->on_detached_p, 0);
    atomic_store(&p->detached, 0);
    if (counted)
      sp__lock_handoff_uncount(m);
    sp__unlock(&sp__sched.lock);
    return false;
  }
  p->detached_mark = m->on_detached_p;
  sp_p *np = replacement_locked(p);
  p->detached_next = detached_ps;
  detached_ps = p;
  atomic_fetch_add(&ndetached, 1);
  __atomic_store_n(&sp__sched.allp[i], np, __ATOMIC_RELEASE);
  /* The call returns to code that stops at its next poll; page-mode polls stop at the thread's
   * armed page. The shared page is protected again only once the M runs (handoff_check). */
  sp__arm(m);
  sp__page_release_hold(m);
  p->detached_cpu_ns = cpu_now;
  sp__runq_move_to_global_locked(p);
  if (atomic_load(&sp__sched.stw_pending)) {
    /* Stop-the-world waits for this slot's P; the fresh one counts as stopped (Go's stopTheWorld
     * takes the Ps of Ms in system calls the same way). */
    atomic_store(&np->status, SP_P_STOPPED);
    if (--sp__sched.stopwait == 0)
      sp__note_wake(&sp__sched.stopnote);
  } else if (atomic_load(&sp__sched.runq_size) > 0) {
    sp__startm_locked(np, false);
  } else {
    sp__pidle_put_locked(np);
  }
  sp__unlock(&sp__sched.lock);
  return true;
}

bool sp__handoff_retire_locked(sp_p *p) {
  if (!atomic_load_explicit(&p->detached, memory_order_relaxed))
    return false;
  sp__runq_move_to_global_locked(p);
  while (p->gfree) {
    sp_g *g = p->gfree;
    p->gfree = g->schedlink;
    g->schedlink = sp__sched.gfree;
    __atomic_store_n(&sp__sched.gfree, g, __ATOMIC_RELAXED);
    sp__sched.gfree_count++;
  }
  p->gfree_count = 0;
  sp__stack_cache_drain(p);
  for (sp_p **link = &detached_ps; *link; link = &(*link)->detached_next) {
    if (*link == p) {
      *link = p->detached_next;
      break;
    }
  }
  atomic_store(&p->detached, 0);
  atomic_store(p->detached_mark, 0);
  atomic_fetch_sub(&ndetached, 1);
  p->link = spare_ps;
  spare_ps = p;
  /* The green threads it held are in the global queue now: make sure a P looks there. */
  if (atomic_load(&sp__sched.runq_size) > 0) {
    sp_p *idle = sp__pidle_get_locked();
    if (idle)
      sp__startm_locked(idle, false);
  }
  return true;
}

/* A detached M that runs again (its CPU clock moved) but has not reached a poll yet: keep it armed
 * (a switch between sysmon's checks and the detach disarms it) and, for global-page polls,
 * protect the shared page now. Returns when to look again. */
static int64_t watch_detached(int64_t now) {
  if (!atomic_load(&ndetached))
    return INT64_MAX;
  bool page = sp__have_global_page_sites();
  sp__lock(&sp__sched.lock);
  for (sp_p *p = detached_ps; p; p = p->detached_next) {
    sp_m *m = atomic_load(&p->curm);
    if (!m || !atomic_load(&p->curg))
      continue;
    sp__arm(m);
    if (page && cpu_time_ns(m) != p->detached_cpu_ns)
      sp__arm_page(m);
  }
  bool any = detached_ps != NULL;
  sp__unlock(&sp__sched.lock);
  if (!any)
    return INT64_MAX;
  return now + (page ? SP_HANDOFF_RETURN_CHECK_NS : SP_HANDOFF_MAX_INTERVAL_NS);
}

static int64_t check_p(int i, int64_t now, uint64_t ticks, double ns_per_tick) {
  sp_p *p = __atomic_load_n(&sp__sched.allp[i], __ATOMIC_RELAXED);
  struct watch *w = &watches[i];
  sp_m *m = atomic_load(&p->curm);
  sp_g *g = atomic_load(&p->curg);
  if (!m || !g || g == atomic_load(&sp__sched.stw_owner) || ns_per_tick == 0)
    return INT64_MAX;
  uint64_t tick = atomic_load(&p->sysmon_tick);
  uint64_t start = atomic_load(&p->run_start_ticks);
  int64_t ran = ticks > start ? (int64_t)((double)(ticks - start) * ns_per_tick) : 0;
  if (w->p != p || w->tick != tick) {
    int64_t first = sp__config.quantum_ns < SP_HANDOFF_FIRST_LOOK_NS ? sp__config.quantum_ns
                                                                     : SP_HANDOFF_FIRST_LOOK_NS;
    w->p = p;
    w->tick = tick;
    w->interval = first;
    w->due = now - ran + first;
    w->cpu_ns = -1;
  }
  if (!other_work(p) && ran < SP_HANDOFF_IDLE_NS)
    return now - ran + SP_HANDOFF_IDLE_NS; /* a timer or a readied G wakes sysmon earlier */
  if (now < w->due)
    return w->due;
  int64_t cpu = cpu_time_ns(m);
  bool ran_since = w->cpu_ns < 0 || cpu != w->cpu_ns;
  /* An M waiting for a lock is handed off like any other: stop-the-world still never finds a
   * green thread holding a lock (lock_handoff.c). */
  if (!ran_since && cpu >= 0 && thread_asleep(m->tid) && detach(i, p, m, g, tick, cpu))
    return INT64_MAX;
  if (w->cpu_ns < 0) {
    w->due = now + SP_HANDOFF_CONFIRM_NS;
  } else {
    /* Computing, or runnable and waiting for a CPU: look less and less often. */
    if (w->interval < SP_HANDOFF_MAX_INTERVAL_NS)
      w->interval *= 4;
    w->due = now + w->interval;
  }
  w->cpu_ns = cpu;
  return w->due;
}

int64_t sp__handoff_check(int64_t now, uint64_t ticks, double ns_per_tick) {
  int64_t next = watch_detached(now);
  for (int i = 0; i < sp__sched.nprocs; i++) {
    int64_t t = check_p(i, now, ticks, ns_per_tick);
    if (t < next)
      next = t;
  }
  return next;
}

void sp__handoff_free(void) {
  for (sp_p *p = detached_ps, *next; p; p = next) {
    next = p->detached_next;
    atomic_store(p->detached_mark, 0);
    sp__stack_cache_drain(p);
    free(p);
  }
  for (sp_p *p = spare_ps, *next; p; p = next) {
    next = p->link;
    free(p);
  }
  detached_ps = spare_ps = NULL;
  atomic_store(&ndetached, 0);
  memset(watches, 0, sizeof(watches));
}

