/* internal.h - the runtime's private data structures: G (green thread), M (OS thread), P (processor).
 *
 * Terminology, as in Go's runtime:
 *   G  a green thread: a stack, a saved context, and what it waits for.
 *   M  an OS thread. Each M has a g0 context (its own pthread stack) that runs the scheduler; a G
 *      never calls the scheduler on its own stack except to switch to g0 (sp__mcall).
 *   P  a processor: the right to run a G. There are SPMAXPROCS of them; an M needs a P to run Gs.
 *      Each P has a bounded lock-free run queue plus a runnext slot; a global queue backs them.
 *
 * The migration rule: code that runs on a G's stack may resume on another M after any switch, so
 * it must never keep a TLS address across sp__mcall. Runtime code on a G stack reads its M through
 * sp__getm(), which re-reads the thread pointer every time (volatile asm, never CSE'd). Code on g0
 * is bound to its thread and may use TLS freely. */
#ifndef SP_INTERNAL_H
#define SP_INTERNAL_H

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include <x86intrin.h>

#include "context_layout.h"
#include "safepoint.h"
#include "safepoint_abi.h"

#define SP_RUNQ_SIZE 256
#define SP_MAX_PROCS 256

#define SP_STACK_CACHE 16

struct sp__stack {
  char *base;
  size_t size;
  unsigned valgrind_id; /* stack.c: valgrind's name for it, when the runtime runs under valgrind */
};

typedef struct sp_g sp_g;
typedef struct sp_m sp_m;

/* The runtime's own lock (futex.c); zero is unlocked. */
typedef _Atomic uint32_t sp__lock_t;
typedef struct sp_p sp_p;

/* Saved context of a suspended G or g0: everything else lives on its stack (context_x86_64.S). */
struct sp__context {
  void *rsp;
};
#ifdef __cplusplus
static_assert(offsetof(struct sp__context, rsp) == SP_CTX_RSP, "context layout");
#else
_Static_assert(offsetof(struct sp__context, rsp) == SP_CTX_RSP, "context layout");
#endif

/* The floating-point environment as a suspended context's frame holds it (context_x86_64.S
 * carries it across every switch). A new G starts with its creator's, captured when it is created,
 * as a new thread does (C11 7.6, POSIX pthread_create): rounding modes, masks and flags. */
struct sp__fpenv {
  uint32_t mxcsr;
  uint16_t x87_control;
  uint16_t x87_status;
};
#ifdef __cplusplus
static_assert(offsetof(struct sp__fpenv, x87_control) == SP_CTX_FRAME_FCW - SP_CTX_FRAME_CSR &&
              offsetof(struct sp__fpenv, x87_status) == SP_CTX_FRAME_FSW - SP_CTX_FRAME_CSR,
              "context layout");
#else
_Static_assert(offsetof(struct sp__fpenv, x87_control) == SP_CTX_FRAME_FCW - SP_CTX_FRAME_CSR &&
               offsetof(struct sp__fpenv, x87_status) == SP_CTX_FRAME_FSW - SP_CTX_FRAME_CSR,
               "context layout");
#endif

static inline void sp__fpenv_capture(struct sp__fpenv *env) {
  __asm__ volatile("stmxcsr %0\n\tfnstcw %1\n\tfnstsw %2"
                   : "=m"(env->mxcsr), "=m"(env->x87_control), "=m"(env->x87_status));
}

void sp__ctx_switch(struct sp__context *from, const struct sp__context *to);
void sp__ctx_entry(void);

/* A G's copy of the C++ runtime's per-thread exception state (exception_state.c): the caught
 * exceptions' stack and the uncaught count, laid out as the Itanium C++ ABI's __cxa_eh_globals. */
struct sp__exception_state {
  void *caught;
  unsigned int uncaught;
};

/* A timer embedded in the G that waits on it (sleep or select timeout); one per G at a time. */
struct sp__timer {
  int64_t when;
  int heap_index; /* -1 when not in the heap */
};

enum sp__gstatus {
  SP_G_IDLE = 0, /* created, never run */
  SP_G_RUNNABLE = 1,
  SP_G_RUNNING = 2,
  SP_G_WAITING = 3,
  SP_G_DEAD = 4,
};

/* Why a G switched to g0; g0 acts on it after the switch, when the G's context is saved. */
enum sp__switch_reason {
  SP_SWITCH_YIELD = 1,
  SP_SWITCH_PREEMPT = 2,
  SP_SWITCH_PARK = 3,
  SP_SWITCH_EXIT = 4,
};

/* One G waiting on a channel (Go's sudog); lives on the waiting G's stack. */
struct sp__waiter {
  sp_g *g;
  void *elem;                 /* where to copy from (send) or to (receive) */
  struct sp__waiter *next, *prev;
  struct sp_chan *chan;
  int case_index;             /* select: which case this waiter stands for */
  bool is_select;
  bool success;               /* receive: a value arrived (false: channel closed) */
};

struct sp_g {
  struct sp__context ctx; /* offset 0, see context_layout.h */
  uint64_t id;
  _Atomic int status;
  void (*fn)(void *);
  void *arg;
  char *stack_base; /* mapping, guard page included; NULL until the G first runs */
  size_t stack_size;
  unsigned stack_valgrind_id;
  uintptr_t stack_guard; /* value of __sp_stack_guard while this G runs */
  int saved_errno;
  int saved_h_errno; /* the resolver's error (h_errno), per thread in glibc like errno */
  struct sp__fpenv start_fpenv; /* the creator's, for the first frame (init_frame) */
  struct sp__exception_state exception_state; /* while it is not running */
  sp_g *schedlink; /* run queues and wait lists */
  sp_m *lockedm;
  int lock_count; /* sp_lock_os_thread nesting */
  /* Preemption bookkeeping, written by sysmon or stop-the-world, read when the G stops. */
  _Atomic int64_t preempt_request_ns;
  /* Waiting. */
  struct sp__timer timer;
  _Atomic int select_done; /* 0 while a select waits; the first waker CASes it to 1 */
  int select_case;         /* which case woke the select, -1 for the timeout */
  const char *wait_reason;
  const struct sp_site_record *last_preempt_site; /* for scheddetail */
  /* Sanitizer fiber state (only used in SP_ASAN / SP_TSAN builds). */
  void *tsan_fiber;
  void *asan_fake_stack;
  sp_g *alllink; /* every G ever created, for schedtrace and shutdown */
};

struct sp_m {
  struct sp__context g0ctx;
  int id;
  pthread_t thread;
  sp_g *curg;
  sp_p *p;
  /* Handed over by whoever wakes this M: nextg (a locked G for its M) is written first, then
   * nextp is published with a release store; the M reads nextp with acquire. */
  _Atomic(sp_p *) nextp;
  sp_g *nextg;
  sp_g *lockedg;
  _Atomic uint32_t park; /* futex word: 1 = woken */
  bool spinning;
  bool inherit_time; /* the G findrunnable chose came from runnext (execute) */
  sp_m *schedlink;
  sp_m *alllink;
  /* What the G asked g0 to do after the switch. */
  int switch_reason;
  sp_g *prev_g;     /* a G that switched directly to the running one, */
  int prev_reason;  /* and why (sched.c, switch_direct) */
  void (*park_unlock)(void *);
  void *park_lock;
  /* This thread's poll TLS, recorded when the M starts, so others can arm it. thread_poll_page is
   * published last (release): the others are set then. NULL again once the M exits. */
  _Atomic(char *) thread_poll_page;
  sp__lock_t thread_page_lock; /* orders arming and disarming the page (thread_poll_page.c) */
  _Atomic bool thread_page_armed;
  uint8_t *poll_flag_addr;
  uintptr_t *stack_guard_addr;
  void *sigaltstack_mem;
  const struct sp_site_record *preempt_site; /* the poll the fault handler redirected from */
  void *tsan_g0_fiber;
  void *asan_g0_fake_stack;
  const void *asan_g0_bottom;
  size_t asan_g0_size;
  _Atomic int exited;
  _Atomic int page_hold; /* this M's hold on the shared page (poll_pages.c) */
  /* This thread's C++ exception globals; NULL without a C++ runtime (exception_state.c). */
  struct sp__exception_state *exception_state;
  pid_t tid;          /* for sysmon's look at the thread (syscall_handoff.c) */
  /* This thread's lock count and hand-off flags (locks.c), for sysmon's hand-off of its P. */
  const _Atomic uint32_t *locks_held;
  _Atomic uint8_t *on_detached_p;
  _Atomic uint8_t *counted_detached_holder;
  const _Atomic uint8_t *waiting_in_lock;
  clockid_t cpu_clock;
};

enum sp__pstatus {
  SP_P_IDLE = 0,
  SP_P_RUNNING = 1,
  SP_P_STOPPED = 2, /* stopped for stop-the-world */
};

struct sp_p {
  int id;
  _Atomic int status;
  sp_m *m;
  _Atomic uint32_t runq_head; /* consumers (owner and thieves) CAS the head */
  _Atomic uint32_t runq_tail; /* only the owner writes the tail */
  _Atomic(sp_g *) runq[SP_RUNQ_SIZE];
  _Atomic(sp_g *) runnext;
  uint64_t schedtick;
  uint64_t switches; /* written by the owner only; stats.c sums them */
  sp_p *link;  /* idle list */
  /* Read by sysmon: which G runs here since when. */
  _Atomic uint64_t sysmon_tick;
  _Atomic uint64_t run_start_ticks; /* sp__ticks() when curg started */
  _Atomic(sp_g *) curg;
  _Atomic(sp_m *) curm;
  _Atomic uint64_t preempt_asked_tick; /* the time slice sysmon asked to end */
  uint64_t sysmon_seen_tick; /* sysmon's own: the tick it already asked to stop, */
  int64_t sysmon_asked_ns;   /* when, */
  bool sysmon_page_armed;    /* whether it escalated to the shared page, */
  sp_m *sysmon_page_m;       /* and for which M */
  sp_g *gfree;   /* dead Gs, reused by sp_go */
  int gfree_count;
  /* Stacks of dead Gs, for the next G that starts here: a G gets a stack when it first runs, so
   * spawning many Gs that run one after another maps only a few stacks. */
  struct sp__stack stackcache[SP_STACK_CACHE];
  int nstackcache;
  /* syscall_handoff.c: set when sysmon handed this P's slot to a fresh P while its M was blocked
   * in the kernel; the M retires it at its next switch. */
  _Atomic int detached;
  sp_p *detached_next;
  int64_t detached_cpu_ns;
  _Atomic uint8_t *detached_mark; /* the detached M's sp__on_detached_p, cleared on retirement */
};

/* Global scheduler state. */
struct sp__sched {
  sp__lock_t lock;
  int nprocs;
  sp_p *allp[SP_MAX_PROCS];
  sp_p *pidle;
  _Atomic int npidle;
  _Atomic int nmspinning;
  sp_m *midle;
  int nmidle;
  sp_m *allm;
  _Atomic int mcount;
  sp_g *runq_head, *runq_tail;
  _Atomic int runq_size;
  sp_g *gfree; /* dead Gs overflowing the P caches */
  int gfree_count;
  sp_g *allg;
  _Atomic uint64_t goidgen;
  /* Stop the world. */
  _Atomic(sp_g *) stw_owner;
  _Atomic int stw_pending;
  int stopwait;
  _Atomic uint32_t stopnote;
  _Atomic uint32_t world_gen; /* futex: non-runtime threads faulting during stop-the-world wait on it */
  /* Lifecycle. */
  _Atomic int running;   /* between sp_main's start and the main G's return */
  _Atomic int exiting;
  int main_result;
  _Atomic uint32_t main_done; /* futex */
};

extern struct sp__sched sp__sched;

/* Runtime configuration, from SPMAXPROCS and SPDEBUG (debug_env.c). */
struct sp__config {
  int maxprocs;
  int64_t quantum_ns;
  bool asyncpreemptoff;
  int64_t schedtrace_ms;
  bool scheddetail;
  size_t stack_size;
};
extern struct sp__config sp__config;
void sp__config_load(void);

/* The current M and G. The thread pointer is re-read on every call so a G that migrated reads its
 * new M (see the migration rule above). */
extern __thread sp_m *sp__m_tls __attribute__((tls_model("initial-exec")));
static inline sp_m *sp__getm(void) {
  sp_m *m;
  __asm__ volatile("movq sp__m_tls@gottpoff(%%rip), %0\n\tmovq %%fs:(%0), %0" : "=r"(m));
  return m;
}
static inline sp_g *sp__getg(void) {
  sp_m *m = sp__getm();
  return m ? m->curg : NULL;
}

/* A spin lock for short runtime critical sections (channels, mutex and wait-group internals). Its
 * holder never parks holding it, except that sp__park releases it once the G is switched out. */
static inline void sp__spin_lock(uint32_t *l) {
  for (int spins = 0;; spins++) {
    if (__atomic_load_n(l, __ATOMIC_RELAXED) == 0 &&
        __atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE) == 0)
      return;
    if (spins < 100)
      __builtin_ia32_pause();
    else
      sched_yield(); /* the holder's OS thread was descheduled */
  }
}
static inline void sp__spin_unlock(uint32_t *l) { __atomic_store_n(l, 0, __ATOMIC_RELEASE); }
static inline void sp__spin_unlock_cb(void *l) { sp__spin_unlock(l); }

/* The ABI's functions (safepoint_abi.h names them; the pass emits the calls). */
void __sp_poll_slow(void) __attribute__((preserve_most));
void __sp_morestack(void) __attribute__((preserve_most));
void __sp_poll(void);
void __sp_register_sites(const void *start, const void *stop);
void __sp_unregister_sites(const void *start, const void *stop);

/* A cheap timestamp in TSC ticks, for the per-switch bookkeeping sysmon reads: in a VM,
 * clock_gettime costs ~26 ns (a quarter of a channel round trip), rdtsc ~11 ns. sysmon converts
 * ticks to nanoseconds with a ratio it calibrates against the monotonic clock. */
static inline uint64_t sp__ticks(void) { return __rdtsc(); }

/* sched.c */
void sp__mcall(int reason);
void sp__park(void (*unlock)(void *), void *lock, const char *reason);
void sp__ready(sp_g *g, bool next);
void sp__ready_from_outside(sp_g *g);
void sp__globrunq_put_list(sp_g *head, int n);
void sp__wakep(void);
void sp__fatal(const char *msg) __attribute__((noreturn));
void sp__fatalf(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
int sp__runq_size(sp_p *p);

/* stack.c */
/* The PROT_NONE region mapped below every green-thread stack. It is the margin for code the pass
 * did not instrument (the C library, other libraries): such code has no stack probes of ours, so
 * one of its frames may write far below the stack pointer before it touches anything nearer, and
 * green-thread stacks are mapped next to each other. Any write up to this far below the stack's low
 * end faults here and is reported as an overflow, wherever the frame starts; so instrumented code
 * need not keep uninstrumented callees away from the bottom with an entry compare (docs/pass.md,
 * "The stack margin"). glibc's largest bounded stack buffers are allocas of up to 64 KiB
 * (__MAX_ALLOCA_CUTOFF: it asks the M's pthread stack size, not the green thread's), written from
 * their low end below the frames that make them: 128 KiB holds one with room for those frames.
 * More than the 20 KiB that a one-page guard and the 16 KiB compare margin gave; it costs address
 * space only. */
#define SP_STACK_GUARD_BYTES (128 * 1024)
bool sp__stack_alloc(sp_p *p, sp_g *g);
void sp__stack_release(sp_p *p, sp_g *g);
void sp__stack_free(sp_g *g);
void sp__stack_cache_drain(sp_p *p);
bool sp__stack_in_guard_region(const sp_g *g, uintptr_t addr);
/* Whether a stack pointer of g's lies in its guard region or within SP_STACK_GUARD_MARGIN above it:
 * where a signal's frame may not fit. */
bool sp__stack_pointer_near_guard(const sp_g *g, uintptr_t sp);
/* The stack the runtime's own code may need below the deepest frame of a nosplit chain that fits
 * (SP_NOSPLIT_STACK_LIMIT): the preemption trampoline at a poll in a function the chain calls (red
 * zone, every register and the xsave area: 2.7 KiB with AVX-512) and the scheduler calls it makes,
 * or __sp_morestack's overflow report when a checked function the chain calls finds the guard
 * passed. */
#define SP_STACK_RUNTIME_RESERVE (8 * 1024)
/* How far above the guard page the entry check's guard sits: a chain of nosplit calls that fits
 * its limit (sp-inspect checks it at link time), then the runtime's reserve. */
#define SP_STACK_GUARD_MARGIN (SP_NOSPLIT_STACK_LIMIT + SP_STACK_RUNTIME_RESERVE)
_Static_assert(SP_STACK_GUARD_MARGIN == 16 * 1024, "the guard margin documented in docs/runtime.md");

/* futex.c */
void sp__futex_wait(_Atomic uint32_t *addr, uint32_t val, int64_t timeout_ns);
void sp__futex_wake(_Atomic uint32_t *addr, int n);
void sp__note_sleep(_Atomic uint32_t *note);
void sp__note_wake(_Atomic uint32_t *note);
void sp__lock(sp__lock_t *l);
bool sp__trylock(sp__lock_t *l); /* takes l if it is free; never waits */
void sp__unlock(sp__lock_t *l);

/* time.c */
void sp__timer_add(sp_g *g, int64_t when);
bool sp__timer_cancel(sp_g *g);
int sp__timers_run(int64_t now);
int64_t sp__timer_next(void);
int sp__timer_count(void);
void sp__timers_reset(void);

/* sysmon.c */
void sp__sysmon_start(void);
void sp__sysmon_stop(void);
void sp__sysmon_kick(int64_t when);
void sp__sysmon_p_started(void);
void sp__schedtrace(int64_t now);

/* sched.c, for syscall_handoff.c (sched.lock held) */
void sp__runq_move_to_global_locked(sp_p *p);
void sp__startm_locked(sp_p *p, bool spinning);
void sp__pidle_put_locked(sp_p *p);
sp_p *sp__pidle_get_locked(void);

/* syscall_handoff.c */
void sp__handoff_m_started(sp_m *m);
int64_t sp__handoff_check(int64_t now, uint64_t ticks, double ns_per_tick);
bool sp__handoff_retire_locked(sp_p *p);
int sp__handoff_detached_count(void);
void sp__handoff_free(void);

/* lock_handoff.c: lock holders on handed-off Ps, which stop-the-world waits for. */
bool sp__lock_handoff_announce(void);
void sp__lock_handoff_released(void);
void sp__lock_handoff_wait_for_world(void);
void sp__lock_handoff_world_started(void);
void sp__lock_handoff_stw_wait(void);
bool sp__lock_handoff_count_detached_holder(sp_m *m);
void sp__lock_handoff_uncount(sp_m *m);

/* poll_pages.c (the ABI's data symbols) */
extern char __sp_poll_page[SP_POLL_PAGE_SIZE];
extern __thread char __sp_thread_poll_page[SP_POLL_PAGE_SIZE]
    __attribute__((tls_model("initial-exec"), aligned(SP_POLL_PAGE_SIZE)));
extern __thread uint8_t __sp_poll_flag __attribute__((tls_model("initial-exec")));
extern __thread uintptr_t __sp_stack_guard __attribute__((tls_model("initial-exec")));

void sp__page_release_hold(sp_m *m);

/* Run on the M itself (g0), on every switch, hence inline. */
static inline void sp__set_guard_self(uintptr_t guard) {
  __atomic_store_n(&__sp_stack_guard, guard, __ATOMIC_RELAXED);
}

/* thread_poll_page.c */
void sp__thread_page_m_started(sp_m *m);
bool sp__thread_page_started(sp_m *m);
void sp__thread_page_arm(sp_m *m);
void sp__thread_page_disarm_self(sp_m *m);
void sp__thread_page_try_disarm_self(sp_m *m);
void sp__thread_page_m_exiting(sp_m *m);
void sp__thread_page_forget_for_child(sp_m *m);
bool sp__addr_is_thread_page(uintptr_t addr);

/* Makes this M's thread page readable and clears its flag: what a G that must not stop (the
 * stop-the-world owner) needs. Run on every switch, hence inline: an mprotect only if armed. */
static inline void sp__disarm_polls_self(sp_m *m) {
  if (atomic_load_explicit(&m->thread_page_armed, memory_order_relaxed))
    sp__thread_page_disarm_self(m);
  __atomic_store_n(&__sp_poll_flag, 0, __ATOMIC_RELAXED);
}

/* Clears this M's thread page, flag and hold on the shared page; the guard is set per G. */
static inline void sp__disarm_self(sp_m *m) {
  sp__disarm_polls_self(m);
  if (atomic_load_explicit(&m->page_hold, memory_order_relaxed))
    sp__page_release_hold(m);
}
void sp__poll_pages_init(void);
void sp__m_record_tls(sp_m *m);
void sp__arm(sp_m *m);
void sp__rearm_dropped_thread_page(sp_m *m);
void sp__arm_page(sp_m *m);
bool sp__disarm_pages_self(sp_m *m);
void sp__rearm_pages_self(sp_m *m, bool had_hold);
bool sp__self_is_armed(void);
void sp__poll_pages_reset(void);
void sp__poll_pages_forget_for_child(sp_m *m);
bool sp__addr_is_poll_page(uintptr_t addr);
bool sp__world_is_stopped(void);
void sp__world_page_protect(bool stopped);

/* signals.c */
#include <signal.h>
#include <ucontext.h>
int sp__real_sigaction(int sig, const struct sigaction *act, struct sigaction *old);
bool sp__signals_take_segv(const struct sigaction *runtime_handler);
bool sp__in_signal_context(uintptr_t sp);
void sp__signal_defer_preemption(sp_m *m);
bool sp__signal_segv_blocked(uintptr_t sp);
void sp__signal_call_user(int sig, siginfo_t *si, void *ucv);
void sp__signal_user_action(int sig, struct sigaction *out);
void sp__signals_record_mask(void);
void sp__signals_m_mask(sigset_t *out);
/* Blocks every asynchronous signal on this thread (faults stay deliverable); restore undoes it. */
void sp__signals_block_async(sigset_t *saved);
void sp__signals_restore(const sigset_t *saved);
void sp__signals_forget_for_child(void);

/* fork.c */
void sp__fork_install(void);
bool sp__in_fork_child(void);

/* fault_handler.c */
void sp__fault_install(void);
void sp__sigaltstack_setup(sp_m *m);
void sp__sigaltstack_teardown(sp_m *m);

/* preempt.c */
void sp__preempt_from_signal(void);
void sp__preempt_check_cpu(void);
void sp__stw_begin(sp_m *self);
void sp__stw_wait(sp_m *self);
void sp__stw_end(sp_m *self);

/* site_registry.c */
const struct sp_site_record *sp__site_lookup(uintptr_t pc);
uintptr_t sp__site_pc(const struct sp_site_record *r);
bool sp__have_thread_page_sites(void);
bool sp__have_global_page_sites(void);
bool sp__only_global_page_sites(void);

/* exception_state.c; save and restore run on every switch, on the M itself, hence inline. */
void sp__exception_state_m_start(sp_m *m);
void sp__exception_state_m_exit(sp_m *m);
static inline void sp__exception_state_save(const sp_m *m, sp_g *g) {
  if (m->exception_state)
    g->exception_state = *m->exception_state;
}
static inline void sp__exception_state_restore(const sp_m *m, const sp_g *g) {
  if (m->exception_state)
    *m->exception_state = g->exception_state;
}

/* locks.c: what the calling OS thread holds (a green thread holding a lock never switches, so its
 * M's counts are its own), and whether a preemption waits for the last release. */
extern __thread _Atomic uint32_t sp__locks_held __attribute__((tls_model("initial-exec")));
/* Set while sysmon has handed off this thread's P (syscall_handoff.c); whether this thread is
 * counted as a lock holder on such a P (lock_handoff.c). */
extern __thread _Atomic uint8_t sp__on_detached_p __attribute__((tls_model("initial-exec")));
extern __thread _Atomic uint8_t sp__counted_detached_holder __attribute__((tls_model("initial-exec")));
extern __thread _Atomic uint8_t sp__waiting_in_lock __attribute__((tls_model("initial-exec")));
extern __thread uint32_t sp__preempt_off __attribute__((tls_model("initial-exec")));
extern __thread uint8_t sp__preempt_deferred __attribute__((tls_model("initial-exec")));
static inline bool sp__preemptible_self(void) {
  return (atomic_load_explicit(&sp__locks_held, memory_order_relaxed) | sp__preempt_off) == 0;
}
void sp__locks_init(void);
void sp__fatal_blocked_holding(sp_g *g, int reason) __attribute__((noreturn));
void sp__preempt_resume(void);

/* stats.c */
enum sp__preempt_via {
  SP_VIA_SIGNAL = 0,
  SP_VIA_FLAG = 1,
  SP_VIA_CALL = 2,
  SP_VIA_ENTRY = 3,
};
void sp__stats_fold_switches(void);
void sp__stats_preempt(int via, int64_t latency_ns, const struct sp_site_record *site);
void sp__stats_preempt_deferred(void);
void sp__stats_stw(int64_t tts_ns);
void sp__stats_reset(void);

/* fiber.c: tell ASan/TSan about stack switches. Without a sanitizer they are empty inline
 * functions, so the switch path pays nothing for them. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SP_FIBERS 1
#endif
#endif
#ifdef SP_FIBERS
void sp__fiber_g_created(sp_g *g);
void sp__fiber_g_destroyed(sp_g *g);
void sp__fiber_m_started(sp_m *m);
void sp__fiber_switch_to_g(sp_m *m, sp_g *g);
void sp__fiber_switch_to_g0(sp_m *m, sp_g *g, bool dying);
void sp__fiber_switch_g_to_g(sp_g *from, sp_g *to, bool dying);
void sp__fiber_switched_to_g(sp_g *g, bool direct);
void sp__fiber_switched_to_g0(sp_m *m);
void sp__fiber_stack_recycled(void *base, size_t size);
#else
static inline void sp__fiber_g_created(sp_g *g) { (void)g; }
static inline void sp__fiber_g_destroyed(sp_g *g) { (void)g; }
static inline void sp__fiber_m_started(sp_m *m) { (void)m; }
static inline void sp__fiber_switch_to_g(sp_m *m, sp_g *g) { (void)m, (void)g; }
static inline void sp__fiber_switch_to_g0(sp_m *m, sp_g *g, bool dying) { (void)m, (void)g, (void)dying; }
static inline void sp__fiber_switch_g_to_g(sp_g *from, sp_g *to, bool dying) { (void)from, (void)to, (void)dying; }
static inline void sp__fiber_switched_to_g(sp_g *g, bool direct) { (void)g, (void)direct; }
static inline void sp__fiber_switched_to_g0(sp_m *m) { (void)m; }
static inline void sp__fiber_stack_recycled(void *base, size_t size) { (void)base, (void)size; }
#endif

#endif /* SP_INTERNAL_H */
