/* thread_poll_page.c - the page that thread-page polls read, one in every thread's static TLS
 * block, and how the runtime arms one thread by taking that thread's page away.
 *
 * __sp_thread_poll_page (poll_data.c) is a 4096-byte, 4096-aligned initial-exec TLS array, so each
 * thread's copy is a page of its own at a fixed offset from the thread pointer, and a poll is one
 * load: `testl %eax, %fs:__sp_thread_poll_page@tpoff` (in shared libraries the offset comes from
 * the GOT, loaded once outside the loop). The address depends on nothing the runtime changes, so
 * the compiler is free to keep the offset in a register; only the page's protection changes. To
 * ask one M to stop, the runtime mprotects that M's copy PROT_NONE: the M's next thread-page poll
 * faults, and the fault handler knows it for a poll because the faulting address is in the
 * faulting thread's own copy and the PC is a registered site. The M makes its page readable again
 * when the G stops (sp__disarm_self, at every switch; a cheap check when nothing is armed).
 *
 * Arming costs an mprotect where the pointer this replaced cost a store (docs/runtime.md has the
 * numbers), paid at most once per time slice that runs over. Arming and disarming one page come
 * from different threads (sysmon, stop-the-world, the M itself), so each M's lock orders them with
 * the `armed` state: an mprotect that lands after the other side's would leave the page in the
 * wrong state for good. A signal handler on the M only try-locks (it may have interrupted the M
 * holding it).
 *
 * An M must never exit with its page armed: glibc keeps the stack and static TLS of an exited
 * thread for the next pthread_create, which writes the TLS initial image into it. */
#include <signal.h>
#include <sys/mman.h>

#include "internal.h"

static void protect(char *page, int prot) {
  if (mprotect(page, SP_POLL_PAGE_SIZE, prot) != 0)
    sp__fatal("runtime: cannot mprotect a thread's poll page");
}

/* Runs on the new M's thread. The alignment is glibc's to honour (it does, for the main thread and
 * for pthread_create's, in static TLS); a page shared with other TLS data would take that data
 * away from its thread when armed. */
void sp__thread_page_m_started(sp_m *m) {
  char *page = __sp_thread_poll_page;
  if ((uintptr_t)page % SP_POLL_PAGE_SIZE != 0)
    sp__fatal("runtime: __sp_thread_poll_page is not page-aligned in this thread's static TLS "
              "(the C library ignored its alignment)");
  atomic_store_explicit(&m->thread_poll_page, page, memory_order_release);
}

bool sp__thread_page_started(sp_m *m) {
  return atomic_load_explicit(&m->thread_poll_page, memory_order_acquire) != NULL;
}

/* m's lock is taken with every asynchronous signal blocked: a handler on this thread that polls
 * may end by arming this thread again (signals.c), which must not wait for a lock its own thread
 * holds. */
static void lock_thread_page(sp_m *m, sigset_t *saved) {
  sp__signals_block_async(saved);
  sp__lock(&m->thread_page_lock);
}

static void unlock_thread_page(sp_m *m, const sigset_t *saved) {
  sp__unlock(&m->thread_page_lock);
  sp__signals_restore(saved);
}

void sp__thread_page_arm(sp_m *m) {
  sigset_t saved;
  lock_thread_page(m, &saved);
  char *page = atomic_load_explicit(&m->thread_poll_page, memory_order_relaxed);
  if (page && !atomic_load_explicit(&m->thread_page_armed, memory_order_relaxed)) {
    protect(page, PROT_NONE);
    atomic_store_explicit(&m->thread_page_armed, true, memory_order_relaxed);
  }
  unlock_thread_page(m, &saved);
}

static void disarm_locked(sp_m *m) {
  char *page = atomic_load_explicit(&m->thread_poll_page, memory_order_relaxed);
  if (page && atomic_load_explicit(&m->thread_page_armed, memory_order_relaxed)) {
    protect(page, PROT_READ | PROT_WRITE);
    atomic_store_explicit(&m->thread_page_armed, false, memory_order_relaxed);
  }
}

void sp__thread_page_disarm_self(sp_m *m) {
  sigset_t saved;
  lock_thread_page(m, &saved);
  disarm_locked(m);
  unlock_thread_page(m, &saved);
}

/* In a signal handler on m's thread. */
void sp__thread_page_try_disarm_self(sp_m *m) {
  if (!atomic_load_explicit(&m->thread_page_armed, memory_order_relaxed) ||
      !sp__trylock(&m->thread_page_lock))
    return;
  disarm_locked(m);
  sp__unlock(&m->thread_page_lock);
}

/* Runs on m's thread just before it exits: nobody arms the page after this. */
void sp__thread_page_m_exiting(sp_m *m) {
  sigset_t saved;
  lock_thread_page(m, &saved);
  disarm_locked(m);
  atomic_store_explicit(&m->thread_poll_page, NULL, memory_order_relaxed);
  unlock_thread_page(m, &saved);
}

/* In the child of a fork, on the only thread: the page may have been armed, or being armed by a
 * thread that is gone and held m's lock. */
void sp__thread_page_forget_for_child(sp_m *m) {
  protect(__sp_thread_poll_page, PROT_READ | PROT_WRITE);
  if (m) {
    atomic_store(&m->thread_page_lock, 0);
    atomic_store(&m->thread_page_armed, false);
  }
}

/* Whether addr is in the calling thread's page: a poll of this thread that faults there was
 * armed by the runtime. */
bool sp__addr_is_thread_page(uintptr_t addr) {
  return addr - (uintptr_t)__sp_thread_poll_page < SP_POLL_PAGE_SIZE;
}
