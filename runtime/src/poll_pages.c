/* poll_pages.c - how the runtime arms the data the pass's polls read (defined in poll_data.c).
 *
 * Arming a thread sets all three per-thread mechanisms, because one program may mix poll modes
 * (and loops the pass elided rely on the entry checks of the functions they call): its flag, its
 * stack guard and its thread page (thread_poll_page.c). Other threads write these TLS variables
 * through addresses each M records when it starts. */
#include <signal.h>
#include <sys/mman.h>

#include "internal.h"

/* Reasons the shared page is PROT_NONE: stop-the-world, plus one per M asked to stop while the
 * program has global-page polls (those cannot target one thread; every thread faults, and the
 * handler steps over the polls of threads nobody asked to stop). */
static sp__lock_t page_lock;
static int page_holds;
static _Atomic int world_stopped;

static void protect_shared(int prot) {
  if (mprotect(__sp_poll_page, SP_POLL_PAGE_SIZE, prot) != 0)
    sp__fatal("runtime: cannot mprotect __sp_poll_page (is it alone in its page?)");
}

/* The count of holds and each M's page_hold flag change together, under page_lock, taken with
 * every asynchronous signal blocked: a program's handler that polled while this thread held the
 * page's state would fault at every poll for as long as it ran, and keep the page protected for
 * every other thread meanwhile (signals.c). A handler that interrupts an M before it takes the
 * lock finds the M's flag and the count agreeing, and may give the hold back itself
 * (sp__disarm_pages_self). */
static void lock_page_state(sigset_t *saved) {
  sp__signals_block_async(saved);
  sp__lock(&page_lock);
}

static void unlock_page_state(const sigset_t *saved) {
  sp__unlock(&page_lock);
  sp__signals_restore(saved);
}

static void hold_locked(void) {
  if (page_holds++ == 0)
    protect_shared(PROT_NONE);
}

static void release_locked(void) {
  if (--page_holds == 0)
    protect_shared(PROT_READ);
}

/* When the runtime starts and after it stops, nobody holds the page: it must be readable, for
 * instrumented code that runs outside sp_main too. */
void sp__poll_pages_reset(void) {
  sigset_t saved;
  lock_page_state(&saved);
  page_holds = 0;
  atomic_store(&world_stopped, 0);
  protect_shared(PROT_READ);
  unlock_page_state(&saved);
}

/* In the child of a fork (fork.c): only the forking thread exists (m, or NULL if it was not an
 * M), and it may have been armed, or some thread of the parent may have held page_lock or the
 * shared page. Disarms this thread and makes the page readable without taking the lock, which may
 * never be released here. */
void sp__poll_pages_forget_for_child(sp_m *m) {
  atomic_store(&page_lock, 0);
  page_holds = 0;
  atomic_store(&world_stopped, 0);
  protect_shared(PROT_READ);
  sp__thread_page_forget_for_child(m);
  __atomic_store_n(&__sp_poll_flag, 0, __ATOMIC_RELAXED);
  sp__set_guard_self(0);
}

void sp__poll_pages_init(void) {
  /* Nothing writes the shared page; read-only also catches a stray write as a real crash. */
  sp__poll_pages_reset();
}

void sp__m_record_tls(sp_m *m) {
  m->poll_flag_addr = &__sp_poll_flag;
  m->stack_guard_addr = &__sp_stack_guard;
  sp__thread_page_m_started(m);
}

/* The flag and the guard first: they are stores, the page an mprotect, and only worth it if
 * some image has thread-page polls. (An image registered later finds the pages of Ms armed
 * before it readable and their flags set: its G stops at the next request, or at a flag or entry
 * poll.) */
void sp__arm(sp_m *m) {
  if (!sp__thread_page_started(m))
    return; /* not started yet (it disarms itself before running a G anyway), or exited */
  __atomic_store_n(m->poll_flag_addr, 1, __ATOMIC_RELAXED);
  __atomic_store_n(m->stack_guard_addr, SP_STACK_GUARD_PREEMPT, __ATOMIC_RELAXED);
  if (sp__have_thread_page_sites())
    sp__thread_page_arm(m);
}

/* Arms m's thread page again where a request still stands, its flag set, but the page was
 * disarmed under it: by a signal handler that took the request (sp__signal_defer_preemption) and
 * was left by siglongjmp. A G that holds a lock cleared its flag with its page (preempt.c) and is
 * left alone: its last release asks again. */
void sp__rearm_dropped_thread_page(sp_m *m) {
  if (sp__thread_page_started(m) && sp__have_thread_page_sites() &&
      __atomic_load_n(m->poll_flag_addr, __ATOMIC_RELAXED) &&
      !atomic_load_explicit(&m->thread_page_armed, memory_order_relaxed))
    sp__thread_page_arm(m);
}

/* Asks m to stop through global-page polls too: protects the shared page until m's G stops. An
 * mprotect is a TLB shootdown that interrupts every CPU running the process (microseconds in a
 * VM), so sysmon escalates to it only when the cheap mechanisms did not stop the G quickly. */
void sp__arm_page(sp_m *m) {
  if (!sp__have_global_page_sites() || !sp__thread_page_started(m) ||
      atomic_load_explicit(&m->page_hold, memory_order_relaxed))
    return;
  sigset_t saved;
  lock_page_state(&saved);
  if (!atomic_exchange(&m->page_hold, 1))
    hold_locked();
  unlock_page_state(&saved);
}

/* In a signal handler (signals.c): makes this thread's page readable and gives up its hold on the
 * shared page, each if its lock is free (the handler may have interrupted this very thread holding
 * it); the flag and the guard stay as they are. */
bool sp__disarm_pages_self(sp_m *m) {
  if (m)
    sp__thread_page_try_disarm_self(m);
  if (!m || !atomic_load_explicit(&m->page_hold, memory_order_relaxed))
    return false;
  if (!sp__trylock(&page_lock))
    return false;
  bool released = atomic_exchange(&m->page_hold, 0);
  if (released && --page_holds == 0)
    protect_shared(PROT_READ);
  sp__unlock(&page_lock);
  return released;
}

/* sp__disarm_pages_self's counterpart when the handler returns: takes the hold back if this thread
 * had one to give up (only if page_lock is free, for the same reason). */
void sp__rearm_pages_self(sp_m *m, bool had_hold) {
  if (!had_hold || !sp__trylock(&page_lock))
    return;
  if (!atomic_exchange(&m->page_hold, 1) && page_holds++ == 0)
    protect_shared(PROT_NONE);
  sp__unlock(&page_lock);
}

void sp__page_release_hold(sp_m *m) {
  if (!atomic_load_explicit(&m->page_hold, memory_order_relaxed))
    return;
  sigset_t saved;
  lock_page_state(&saved);
  if (atomic_exchange(&m->page_hold, 0))
    release_locked();
  unlock_page_state(&saved);
}

bool sp__self_is_armed(void) { return __atomic_load_n(&__sp_poll_flag, __ATOMIC_RELAXED) != 0; }

/* The shared page, or the calling thread's own thread page. */
bool sp__addr_is_poll_page(uintptr_t addr) {
  return addr - (uintptr_t)__sp_poll_page < SP_POLL_PAGE_SIZE || sp__addr_is_thread_page(addr);
}

bool sp__world_is_stopped(void) { return atomic_load(&world_stopped); }

void sp__world_page_protect(bool stopped) {
  sigset_t saved;
  if (stopped) {
    atomic_store(&world_stopped, 1);
    lock_page_state(&saved);
    hold_locked();
    unlock_page_state(&saved);
    return;
  }
  lock_page_state(&saved);
  release_locked();
  unlock_page_state(&saved);
  atomic_store(&world_stopped, 0);
  atomic_fetch_add(&sp__sched.world_gen, 1);
  sp__futex_wake(&sp__sched.world_gen, INT32_MAX);
}

