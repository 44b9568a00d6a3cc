/* sysmon.c - the system monitor: one OS thread, outside the scheduler, that fires timers, asks
 * green threads that ran longer than the quantum to stop, and prints schedtrace.
 *
 * It sleeps until the earliest of: the next timer, the end of the quantum of each P's running G,
 * the next schedtrace line, or 10 ms; a timer added earlier than that, and a P that leaves the
 * idle list, kick it awake. Its timer slack is set to 1 ns, because its wake-up precision is the
 * preemption latency.
 *
 * The wake-up rule: sysmon never loses sight of a busy P. Once it has asked a P's G to stop, it
 * cannot know when the next G starts there (the switch does not tell it, to stay cheap), but that
 * G cannot start before the request, so its quantum cannot end before request + quantum: sysmon
 * looks at the P again then, and from there sleeps until the new G's own quantum ends. Without
 * this, a G that started after a request ran until sysmon's 10 ms default wake-up, whatever the
 * quantum. A P between two Gs is looked at again a quantum later for the same reason; an idle P
 * kicks sysmon when an M takes it (sp__sysmon_p_started). */
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>

#include "internal.h"

/* How long the cheap mechanisms get to stop a G before sysmon protects the shared page, when the
 * program mixes global-page polls with other kinds. A page-fault preemption takes ~15 µs here; a
 * shorter wait escalates (an mprotect, a TLB shootdown of every CPU of the process) for Gs that
 * were about to stop anyway, and measurably slows their preemption. */
#define SP_ESCALATE_NS 100000

static pthread_t sysmon_thread;
static _Atomic int sysmon_stop_flag;
static _Atomic uint32_t sysmon_note;
static _Atomic int64_t sysmon_wake_at;
static int64_t sysmon_started_ns;
static int64_t next_trace_ns;
/* Ticks (sp__ticks) to nanoseconds, measured from sysmon's start: 0 until 1 ms has passed, after
 * which the ratio is good to a few parts in 10^5 and keeps improving. */
static uint64_t started_ticks;
static double ns_per_tick;

static void calibrate(int64_t now, uint64_t ticks) {
  if (now - sysmon_started_ns >= 1000000 && ticks > started_ticks)
    ns_per_tick = (double)(now - sysmon_started_ns) / (double)(ticks - started_ticks);
}

/* Whoever kicks has published what sysmon must see (a timer, a running P) before it reads
 * sysmon_wake_at; sysmon reads that state only after it has set sysmon_wake_at to INT64_MAX for
 * the time it is awake, and clears sysmon_note before that. So either sysmon's look sees the new
 * state, or the kicker sees INT64_MAX (or a later deadline) and sets the note, and sysmon does not
 * sleep (sysmon_main). */
void sp__sysmon_kick(int64_t when) {
  if (when < atomic_load(&sysmon_wake_at)) {
    atomic_store(&sysmon_wake_at, when);
    atomic_store(&sysmon_note, 1);
    sp__futex_wake(&sysmon_note, 1);
  }
}

/* An M took an idle P and is about to run a G on it: sysmon, which had no reason to look at the P,
 * must look when that G's quantum ends. Off the switch path: a P leaves the idle list only with a
 * parked or spinning M. */
void sp__sysmon_p_started(void) {
  if (!sp__config.asyncpreemptoff)
    sp__sysmon_kick(sp_now_ns() + sp__config.quantum_ns);
}

/* Asks the G running on p to stop if it has had the P for a whole quantum; returns when sysmon
 * should look at p again. */
static int64_t check_quantum(sp_p *p, int64_t now, uint64_t ticks) {
  sp_m *m = atomic_load(&p->curm);
  sp_g *g = atomic_load(&p->curg);
  uint64_t tick = atomic_load(&p->sysmon_tick);
  if (p->sysmon_page_armed && (!g || tick != p->sysmon_seen_tick)) {
    /* The G it protected the shared page for has stopped. Its M gives the hold back when the G
     * stops, but sysmon may have taken it just after that, racing with the stop: then an M that
     * parks would keep the page protected for good, and every thread's global-page polls would
     * fault, one by one, from then on. */
    p->sysmon_page_armed = false;
    sp__page_release_hold(p->sysmon_page_m);
  }
  if (!m || !g) {
    /* Between two Gs: the next one starts any moment, unseen. An idle P kicks sysmon instead. */
    return atomic_load(&p->status) == SP_P_RUNNING ? now + sp__config.quantum_ns : INT64_MAX;
  }
  uint64_t start = atomic_load(&p->run_start_ticks);
  if (tick == p->sysmon_seen_tick) {
    /* Already asked; the G stops at its next safepoint, and the next G's quantum ends a quantum
     * after the request at the earliest (the file comment): look again then. If the G has not
     * stopped after SP_ESCALATE_NS, it may be in code with global-page polls only: protect the
     * shared page as well (at once, when the program has no other kind of poll). */
    int64_t again = p->sysmon_asked_ns + sp__config.quantum_ns;
    if (again <= now) {
      /* A quantum after the request the G still runs. The request may have lost its thread
       * page on the way: a signal handler that took it disarms the page (signals.c), and a
       * siglongjmp out of the handler leaves it so, and code whose polls are page loads (loops,
       * and in thread-page mode most entry polls) would run on unstopped. */
      sp__rearm_dropped_thread_page(m);
      again = now + sp__config.quantum_ns;
    }
    if (p->sysmon_page_armed || !sp__have_global_page_sites())
      return again;
    int64_t escalate = p->sysmon_asked_ns + SP_ESCALATE_NS;
    if (now < escalate)
      return escalate < again ? escalate : again;
    p->sysmon_page_armed = true;
    p->sysmon_page_m = m;
    sp__arm_page(m);
    return again;
  }
  if (ns_per_tick == 0)
    return now + 100000; /* not calibrated yet: look again soon */
  int64_t ran = ticks > start ? (int64_t)((double)(ticks - start) * ns_per_tick) : 0;
  if (ran < sp__config.quantum_ns)
    return now + (sp__config.quantum_ns - ran);
  p->sysmon_seen_tick = tick;
  atomic_store_explicit(&p->preempt_asked_tick, tick, memory_order_relaxed);
  p->sysmon_asked_ns = now;
  p->sysmon_page_armed = false;
  int64_t zero = 0;
  atomic_compare_exchange_strong(&g->preempt_request_ns, &zero, now);
  sp__arm(m);
  int64_t again = now + sp__config.quantum_ns;
  if (sp__only_global_page_sites()) {
    p->sysmon_page_armed = true;
    p->sysmon_page_m = m;
    sp__arm_page(m);
    return again;
  }
  if (sp__have_global_page_sites() && now + SP_ESCALATE_NS < again)
    return now + SP_ESCALATE_NS;
  return again;
}

static void *sysmon_main(void *unused) {
  (void)unused;
  prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
  while (!atomic_load(&sysmon_stop_flag)) {
    /* Awake: every kick sets the note from now on (sp__sysmon_kick). */
    atomic_store(&sysmon_note, 0);
    atomic_store(&sysmon_wake_at, INT64_MAX);
    int64_t now = sp_now_ns();
    uint64_t ticks = sp__ticks();
    calibrate(now, ticks);
    sp__timers_run(now);
    int64_t next = now + 10 * 1000 * 1000;
    if (!sp__config.asyncpreemptoff && !atomic_load(&sp__sched.stw_pending)) {
      for (int i = 0; i < sp__sched.nprocs; i++) {
        int64_t t = check_quantum(sp__sched.allp[i], now, ticks);
        if (t < next)
          next = t;
      }
    }
    /* Also while the world stops: it must not wait for a G blocked in the kernel. */
    if (!sp__config.asyncpreemptoff) {
      int64_t t = sp__handoff_check(now, ticks, ns_per_tick);
      if (t < next)
        next = t;
    }
    if (sp__config.schedtrace_ms > 0) {
      if (now >= next_trace_ns) {
        sp__schedtrace(now - sysmon_started_ns);
        next_trace_ns = now + sp__config.schedtrace_ms * 1000000;
      }
      if (next_trace_ns < next)
        next = next_trace_ns;
    }
    int64_t t = sp__timer_next();
    if (t < next)
      next = t;
    atomic_store(&sysmon_wake_at, next);
    now = sp_now_ns();
    if (next > now && atomic_load(&sysmon_note) == 0 && !atomic_load(&sysmon_stop_flag))
      sp__futex_wait(&sysmon_note, 0, next - now);
  }
  return NULL;
}

void sp__sysmon_start(void) {
  atomic_store(&sysmon_stop_flag, 0);
  atomic_store(&sysmon_note, 0);
  atomic_store(&sysmon_wake_at, 0);
  sysmon_started_ns = sp_now_ns();
  started_ticks = sp__ticks();
  ns_per_tick = 0;
  next_trace_ns = sysmon_started_ns + sp__config.schedtrace_ms * 1000000;
  /* No program handler ever runs on sysmon (signals.c): it would delay every preemption and timer,
   * and could interrupt sysmon while it holds the poll page's state. */
  sigset_t saved;
  sp__signals_block_async(&saved);
  int err = pthread_create(&sysmon_thread, NULL, sysmon_main, NULL);
  sp__signals_restore(&saved);
  if (err != 0)
    sp__fatal("runtime: cannot create the sysmon thread");
  pthread_setname_np(sysmon_thread, "sp-sysmon"); /* for top -H, and benchmarks that weigh it */
}

void sp__sysmon_stop(void) {
  atomic_store(&sysmon_stop_flag, 1);
  atomic_store(&sysmon_note, 1);
  sp__futex_wake(&sysmon_note, 1);
  pthread_join(sysmon_thread, NULL);
}

static const char *gstatus_name(int s) {
  switch (s) {
  case SP_G_IDLE: return "idle";
  case SP_G_RUNNABLE: return "runnable";
  case SP_G_RUNNING: return "running";
  case SP_G_WAITING: return "waiting";
  default: return "dead";
  }
}

/* One Go-like SCHED line (and with scheddetail, one line per P, M and live G). Reads scheduler
 * state without stopping anything, so the numbers are a snapshot, not a consistent cut; those
 * reads race by design, hence no TSan instrumentation here. */
__attribute__((no_sanitize("thread"))) void sp__schedtrace(int64_t uptime_ns) {
  char line[4096];
  int n = 0;
  sp__lock(&sp__sched.lock);
  n += snprintf(line + n, sizeof(line) - (size_t)n,
                "SCHED %lldms: gomaxprocs=%d idleprocs=%d threads=%d spinningthreads=%d "
                "idlethreads=%d runqueue=%d [",
                (long long)(uptime_ns / 1000000), sp__sched.nprocs, atomic_load(&sp__sched.npidle),
                atomic_load(&sp__sched.mcount) + 1, atomic_load(&sp__sched.nmspinning),
                sp__sched.nmidle, atomic_load(&sp__sched.runq_size));
  for (int i = 0; i < sp__sched.nprocs && n < (int)sizeof(line) - 16; i++)
    n += snprintf(line + n, sizeof(line) - (size_t)n, "%s%d", i ? " " : "",
                  sp__runq_size(sp__sched.allp[i]));
  fprintf(stderr, "%s]\n", line);
  if (sp__config.scheddetail) {
    for (int i = 0; i < sp__sched.nprocs; i++) {
      sp_p *p = sp__sched.allp[i];
      sp_m *m = atomic_load(&p->curm);
      sp_g *g = atomic_load(&p->curg);
      fprintf(stderr, "  P%d: status=%d schedtick=%llu m=%d curg=%lld runqsize=%d gfreecnt=%d\n",
              p->id, atomic_load(&p->status), (unsigned long long)atomic_load(&p->sysmon_tick),
              m ? m->id : -1, g ? (long long)g->id : -1LL, sp__runq_size(p), p->gfree_count);
    }
    for (sp_m *m = sp__sched.allm; m; m = m->alllink)
      fprintf(stderr, "  M%d: spinning=%d lockedg=%lld exited=%d\n", m->id, m->spinning,
              m->lockedg ? (long long)m->lockedg->id : -1LL, atomic_load(&m->exited));
    for (sp_g *g = sp__sched.allg; g; g = g->alllink) {
      int st = atomic_load(&g->status);
      if (st == SP_G_DEAD)
        continue;
      const struct sp_site_record *site = g->last_preempt_site;
      const char *fn = site ? sp_site_field_address(&site->function) : NULL;
      const char *file = site ? sp_site_field_address(&site->file) : NULL;
      fprintf(stderr, "  G%llu: status=%d(%s%s%s) lockedm=%d", (unsigned long long)g->id, st,
              gstatus_name(st), st == SP_G_WAITING && g->wait_reason ? " " : "",
              st == SP_G_WAITING && g->wait_reason ? g->wait_reason : "",
              g->lockedm ? g->lockedm->id : -1);
      if (fn)
        fprintf(stderr, " preempted at %s (%s:%u)", fn, file ? file : "?", site->line);
      fputc('\n', stderr);
    }
  }
  sp__unlock(&sp__sched.lock);
}
