/* signals.c - the program's signal handlers under the runtime: they run in signal context, where a
 * poll never switches green threads, and they coexist with the runtime's SIGSEGV handler.
 *
 * Terminology:
 *   user action  what the program asked sigaction()/signal() for. The runtime keeps it in a table
 *                and reports it back: sigaction(SIGSEGV, NULL, &old) returns the program's own
 *                handler, never the runtime's.
 *   wrapper      what the kernel gets instead of a user handler: it marks the thread as in signal
 *                context for as long as the handler's frames are live, then calls the handler.
 *   signal frame one record per live handler on this thread: the stack range its frames occupy.
 *
 * Why: a handler is instrumented code like any other, so it polls. A poll that switched green
 * threads inside a handler would leave the handler's signal blocked on the OS thread (the kernel
 * unblocks it only at sigreturn) for whatever green thread runs there next, and the next fault of
 * that kind would kill the process. So every mechanism that preempts (preempt.c, the fault
 * handler) asks sp__in_signal_context() first and, in a handler, leaves the request pending: the
 * G stops at its first poll after the handler returns or jumps out. Meanwhile the handler's polls
 * take their slow path and return (page modes: fault and are stepped over, a few microseconds
 * each).
 *
 * A handler may never return: siglongjmp out of it is the usual way to recover from SIGFPE or
 * SIGSEGV. So "in signal context" is not a counter but a stack of frame ranges, and a frame whose
 * range no longer contains the stack pointer has been left by a jump and is dropped. A handler runs
 * either on the signal stack (its range is that stack) or below the interrupted stack pointer of
 * the stack it interrupted (its range ends at the wrapper's own frame).
 *
 * SIGSEGV is the runtime's: its handler (fault_handler.c) stays installed with SA_NODEFER, and no
 * wrapped handler blocks SIGSEGV, because a poll fault inside any handler (a SIGSEGV handler
 * included) must be delivered; with SIGSEGV blocked the kernel would kill the process instead. A
 * genuine SIGSEGV that the program's masks would have blocked gets the default action, as it would
 * have without the runtime. The program's SIGSEGV handler is called by the runtime's handler for
 * every fault that is not a poll, whether it was installed before sp_main or inside it.
 *
 * Interposing sigaction() and signal() covers programs and sp-cc shared libraries (sp-cc exports
 * them from the executable). Handlers installed by raw system calls, sigset(), sysv_signal() or
 * bsd_signal() are not wrapped. Under a sanitizer, the real sigaction is the sanitizer's
 * interceptor, so the sanitizer still sees every handler. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The sanitizers' sigaction interceptors (weak: absent without a sanitizer). */
extern int __interceptor_sigaction(int, const struct sigaction *, struct sigaction *)
    __attribute__((weak));
extern int __sigaction(int, const struct sigaction *, struct sigaction *);

int sp__real_sigaction(int sig, const struct sigaction *act, struct sigaction *old) {
  if (__interceptor_sigaction)
    return __interceptor_sigaction(sig, act, old);
  return __sigaction(sig, act, old);
}

/* ---- The program's actions ---------------------------------------------------------------- */

struct user_action {
  _Atomic(void *) fn;     /* sa_handler or sa_sigaction; SIG_DFL / SIG_IGN included */
  _Atomic int flags;      /* the program's sa_flags */
  sigset_t mask;          /* the program's sa_mask */
  _Atomic bool known;     /* set through sigaction() or signal() (or adopted by the runtime) */
};

static struct user_action actions[NSIG];
/* Serialises updates of the table and the kernel; taken with every signal blocked, so a handler
 * that calls sigaction on this thread cannot interrupt a holder. */
static uint32_t actions_lock;

static bool is_function(void *fn) { return fn != (void *)SIG_DFL && fn != (void *)SIG_IGN; }

static void wrapper(int sig, siginfo_t *si, void *uc);

static void to_sigaction(int sig, struct sigaction *out) {
  memset(out, 0, sizeof(*out));
  void *fn = atomic_load(&actions[sig].fn);
  int flags = atomic_load(&actions[sig].flags);
  if (flags & SA_SIGINFO)
    out->sa_sigaction = (void (*)(int, siginfo_t *, void *))fn;
  else
    out->sa_handler = (void (*)(int))fn;
  out->sa_flags = flags;
  out->sa_mask = actions[sig].mask;
}

static void store(int sig, const struct sigaction *act) {
  void *fn = (act->sa_flags & SA_SIGINFO) ? (void *)act->sa_sigaction : (void *)act->sa_handler;
  actions[sig].mask = act->sa_mask;
  atomic_store(&actions[sig].flags, act->sa_flags);
  atomic_store(&actions[sig].fn, fn);
  atomic_store(&actions[sig].known, true);
}

/* What the kernel gets for the program's action: its own for SIG_DFL and SIG_IGN, else the
 * wrapper, with SIGSEGV removed from the mask (poll faults must reach the runtime). */
static struct sigaction kernel_action(const struct sigaction *act) {
  struct sigaction k = *act;
  void *fn = (act->sa_flags & SA_SIGINFO) ? (void *)act->sa_sigaction : (void *)act->sa_handler;
  if (is_function(fn)) {
    k.sa_sigaction = wrapper;
    k.sa_flags |= SA_SIGINFO;
    /* The wrapper reads the program's action afresh each time; one-shot handlers are reset by it,
     * so the table and the kernel agree. */
    k.sa_flags &= ~SA_RESETHAND;
    sigdelset(&k.sa_mask, SIGSEGV);
  }
  return k;
}

static void lock_actions(sigset_t *saved) {
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, saved);
  sp__spin_lock(&actions_lock);
}

static void unlock_actions(const sigset_t *saved) {
  sp__spin_unlock(&actions_lock);
  pthread_sigmask(SIG_SETMASK, saved, NULL);
}

static _Atomic bool runtime_owns_segv;

/* In the child of a fork (fork.c): another thread of the parent may have held the lock. */
void sp__signals_forget_for_child(void) { sp__spin_unlock(&actions_lock); }

/* sigaction() as the program sees it. */
__attribute__((visibility("default"))) int sigaction(int sig, const struct sigaction *act,
                                                     struct sigaction *old) {
  if (sig <= 0 || sig >= NSIG || sig == SIGKILL || sig == SIGSTOP)
    return sp__real_sigaction(sig, act, old);
  sigset_t saved;
  lock_actions(&saved);
  int r = 0;
  struct sigaction previous;
  bool known = atomic_load(&actions[sig].known);
  if (known)
    to_sigaction(sig, &previous);
  else
    r = sp__real_sigaction(sig, NULL, &previous);
  if (r == 0 && act) {
    if (sig == SIGSEGV && atomic_load(&runtime_owns_segv)) {
      store(sig, act); /* the runtime's handler stays; it chains to this one */
    } else {
      struct sigaction k = kernel_action(act);
      r = sp__real_sigaction(sig, &k, NULL);
      if (r == 0)
        store(sig, act);
    }
  }
  int err = errno;
  unlock_actions(&saved);
  if (r == 0 && old)
    *old = previous;
  errno = err;
  return r;
}

/* signal() with glibc's (BSD) semantics: restart system calls, block the signal in its handler. */
__attribute__((visibility("default"))) sighandler_t signal(int sig, sighandler_t handler) {
  struct sigaction act, old;
  memset(&act, 0, sizeof(act));
  act.sa_handler = handler;
  sigemptyset(&act.sa_mask);
  if (sig > 0 && sig < NSIG)
    sigaddset(&act.sa_mask, sig);
  act.sa_flags = SA_RESTART;
  if (sigaction(sig, &act, &old) != 0)
    return SIG_ERR;
  return old.sa_handler;
}

/* The runtime installs its SIGSEGV handler: whatever the kernel had (a sanitizer's handler, one
 * the program installed before sp_main) becomes the program's action, which the runtime's handler
 * chains to. Returns false if the runtime's handler was already installed. */
bool sp__signals_take_segv(const struct sigaction *runtime_handler) {
  sigset_t saved;
  lock_actions(&saved);
  bool took = false;
  if (!atomic_load(&runtime_owns_segv)) {
    struct sigaction cur;
    sp__real_sigaction(SIGSEGV, NULL, &cur);
    if (!atomic_load(&actions[SIGSEGV].known)) {
      store(SIGSEGV, &cur);
    }
    if (sp__real_sigaction(SIGSEGV, runtime_handler, NULL) != 0)
      sp__fatal("runtime: cannot install the SIGSEGV handler");
    atomic_store(&runtime_owns_segv, true);
    took = true;
  }
  unlock_actions(&saved);
  return took;
}

/* ---- Signal context ------------------------------------------------------------------------ */

#define SP_MAX_SIGNAL_FRAMES 16

struct signal_frame {
  uintptr_t lo, hi;  /* the handler's frames lie in [lo, hi) */
  bool blocks_segv;  /* the program's mask for this handler blocks SIGSEGV */
};

/* This thread's live handlers, innermost last. Only this thread touches them, in signal context or
 * while nothing can switch green threads (a G in a handler never switches). */
static __thread struct signal_frame frames[SP_MAX_SIGNAL_FRAMES]
    __attribute__((tls_model("initial-exec")));
static __thread int nframes __attribute__((tls_model("initial-exec")));
static __thread int overflow __attribute__((tls_model("initial-exec")));
/* A preemption was asked for while a handler ran on this thread (sp__signal_defer_preemption). */
static __thread bool deferred __attribute__((tls_model("initial-exec")));
static __thread bool deferred_page_hold __attribute__((tls_model("initial-exec")));

/* A poll in a handler found this thread asked to stop. Its page-mode polls are disarmed for the
 * rest of the handler (each would fault and be stepped over, microseconds apiece); the flag and the
 * stack guard stay armed, so flag, call and entry checks stop the G at their first poll after a
 * jump out of the handler. When the handler returns, the thread is armed again in full, its hold
 * on the shared page (global-page polls) included. After a
 * jump out, page-mode polls stop the G once sysmon, a quantum after its request, finds the flag
 * set and the page disarmed and arms the page again (sp__rearm_dropped_thread_page). */
void sp__signal_defer_preemption(sp_m *m) {
  if (sp__disarm_pages_self(m))
    deferred_page_hold = true;
  sp__set_guard_self(SP_STACK_GUARD_PREEMPT);
  deferred = true;
}

/* Drops the frames that the thread has left without returning (siglongjmp), judged by sp, a stack
 * pointer of the code in question; returns whether that code runs inside a handler. */
bool sp__in_signal_context(uintptr_t sp) {
  if (__atomic_load_n(&overflow, __ATOMIC_RELAXED))
    return true;
  int n = __atomic_load_n(&nframes, __ATOMIC_RELAXED);
  while (n > 0) {
    const struct signal_frame *f = &frames[n - 1];
    if (sp >= f->lo && sp < f->hi)
      break;
    n--;
  }
  __atomic_store_n(&nframes, n, __ATOMIC_RELAXED);
  return n > 0;
}

/* Whether the program's masks of the live handlers that enclose sp block SIGSEGV: then a genuine
 * SIGSEGV would have been fatal without the runtime. */
bool sp__signal_segv_blocked(uintptr_t sp) {
  if (!sp__in_signal_context(sp))
    return false;
  for (int i = 0; i < nframes; i++)
    if (frames[i].blocks_segv)
      return true;
  return false;
}

/* Opens a signal frame for a handler about to run on this thread; hi is an address in the frame
 * of the code that calls it. Returns the depth to give sp__signal_frame_close. */
int sp__signal_frame_open(const ucontext_t *uc, uintptr_t hi, int sig, int flags,
                          const sigset_t *mask) {
  uintptr_t lo = 0;
  const stack_t *ss = &uc->uc_stack;
  uintptr_t ss_lo = (uintptr_t)ss->ss_sp;
  if (!(ss->ss_flags & SS_DISABLE) && hi > ss_lo && hi - ss_lo <= ss->ss_size) {
    lo = ss_lo; /* running on the signal stack */
  } else {
    sp_m *m = sp__m_tls;
    sp_g *g = m ? m->curg : NULL;
    uintptr_t base = g ? (uintptr_t)g->stack_base : 0;
    if (base && hi > base && hi - base <= g->stack_size)
      lo = base; /* on the green thread's stack, below the interrupted code */
  }
  sp__in_signal_context(hi); /* drop frames left by earlier jumps first */
  int n = nframes;
  if (n == SP_MAX_SIGNAL_FRAMES) {
    overflow++;
    return -1;
  }
  bool blocks_segv = sig == SIGSEGV ? !(flags & SA_NODEFER) : sigismember(mask, SIGSEGV) == 1;
  frames[n] = (struct signal_frame){lo, hi, blocks_segv};
  __atomic_store_n(&nframes, n + 1, __ATOMIC_RELAXED);
  return n;
}

void sp__signal_frame_close(int depth) {
  if (depth < 0) {
    overflow--;
    return;
  }
  if (nframes > depth)
    __atomic_store_n(&nframes, depth, __ATOMIC_RELAXED);
  if (nframes == 0 && !overflow && deferred) {
    deferred = false;
    sp_m *m = sp__m_tls;
    if (m && m->curg) {
      sp__arm(m);
      sp__rearm_pages_self(m, deferred_page_hold);
    }
    deferred_page_hold = false;
  }
}

/* Calls the program's handler for sig in a signal frame. */
void sp__signal_call_user(int sig, siginfo_t *si, void *ucv) {
  struct user_action *a = &actions[sig];
  void *fn = atomic_load(&a->fn);
  int flags = atomic_load(&a->flags);
  if (!is_function(fn))
    return;
  if (flags & SA_RESETHAND) {
    struct sigaction dfl;
    memset(&dfl, 0, sizeof(dfl));
    dfl.sa_handler = SIG_DFL;
    atomic_store(&a->fn, (void *)SIG_DFL);
    atomic_store(&a->flags, 0);
    if (sig != SIGSEGV || !atomic_load(&runtime_owns_segv))
      sp__real_sigaction(sig, &dfl, NULL);
  }
  int depth = sp__signal_frame_open(ucv, (uintptr_t)__builtin_frame_address(0), sig, flags,
                                    &a->mask);
  if (flags & SA_SIGINFO)
    ((void (*)(int, siginfo_t *, void *))fn)(sig, si, ucv);
  else
    ((void (*)(int))fn)(sig);
  sp__signal_frame_close(depth);
}

/* The program's action for sig, for the runtime's SIGSEGV handler to chain to. */
void sp__signal_user_action(int sig, struct sigaction *out) { to_sigaction(sig, out); }

static void wrapper(int sig, siginfo_t *si, void *uc) {
  int saved_errno = errno;
  sp__signal_call_user(sig, si, uc);
  errno = saved_errno;
}

/* ---- Green-thread Ms ----------------------------------------------------------------------- */

static sigset_t program_mask;

/* sp_main records the signal mask of the thread that called it: the Ms that run green threads get
 * the same one, so a signal the program did not block reaches it on any M: thread-directed ones
 * (SIGPIPE, raise, pthread_kill, SIGSYS, per-thread timers) on the M that runs the green thread,
 * process-directed ones on any thread that does not block them. */
void sp__signals_record_mask(void) { pthread_sigmask(SIG_SETMASK, NULL, &program_mask); }

/* Faults cannot wait: blocked, they kill the process. */
static void unblock_faults(sigset_t *set) {
  sigdelset(set, SIGSEGV);
  sigdelset(set, SIGBUS);
  sigdelset(set, SIGFPE);
  sigdelset(set, SIGILL);
}

void sp__signals_m_mask(sigset_t *out) {
  *out = program_mask;
  unblock_faults(out);
}

/* ---- Runtime state that no handler may interrupt ----------------------------------------- */

/* The program's handlers are instrumented code: their polls fault while the shared poll page is
 * protected, once per poll, and are stepped over. A thread that ran such a handler while it held
 * the page's state (page_lock, mid-mprotect: poll_pages.c) would keep the page protected for as
 * long as the handler polled, and with a timer signal every few tens of microseconds landing on
 * one thread after another, every thread ended up in a handler, faulting at every poll, while the
 * one that could make the page readable waited for its lock: the program stopped making progress.
 * So the runtime holds such state with every asynchronous signal blocked (they are delivered to
 * another thread, or right after), and sysmon, which must never wait for the program, blocks them
 * for good. */
void sp__signals_block_async(sigset_t *saved) {
  sigset_t all;
  sigfillset(&all);
  unblock_faults(&all);
  pthread_sigmask(SIG_BLOCK, &all, saved);
}

void sp__signals_restore(const sigset_t *saved) { pthread_sigmask(SIG_SETMASK, saved, NULL); }
