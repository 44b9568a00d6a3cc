/* fork.c - what a child of fork() gets: the forking thread alone, with every poll inert.
 *
 * fork() copies only the calling OS thread. In a child of a process running the runtime, that is
 * one M, in the middle of one green thread; the other Ms, sysmon and every other green thread are
 * gone, although their run queues, locks and timers were copied. If the copied M could still
 * switch green threads, the child would run its parent's other green threads (a G preempted in
 * the child lands in that M's scheduler loop, which finds the copied queues), and a poll armed at
 * the moment of the fork would do just that.
 *
 * So, as in any multithreaded process after fork, the child runs only the forking code: a
 * pthread_atfork child handler, registered once when the runtime first starts, disarms every poll
 * mechanism on the surviving thread (its thread page readable again, flag cleared,
 * stack guard 0, so entry checks never call __sp_morestack), makes the shared page readable
 * whatever held it, frees the runtime's locks that a vanished thread may have held (the poll
 * pages' and the signal table's), and detaches the thread from its M (and from a handed-off P). The child is then a plain process: its polls
 * cost what they cost outside sp_main and do nothing, and runtime calls that need the scheduler
 * (sp_go, sp_sleep_ns, blocking channel operations...) end it with a fatal error that says it is
 * the child of a fork. The runtime cannot be started again in the child. The parent is untouched. */
#include "internal.h"

static _Atomic bool forked_child;
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

/* Runs in the child, on the forking thread, before fork() returns there; only async-signal-safe
 * work. */
static void child_after_fork(void) {
  sp__signals_forget_for_child();
  if (!atomic_load(&sp__sched.running) || atomic_load(&forked_child))
    return;
  atomic_store(&forked_child, true);
  sp__poll_pages_forget_for_child(sp__m_tls);
  /* A thread whose P was handed off would treat its first lock as one taken on a handed-off P,
   * and wait for the world to start for as long as the copied stw_pending says a stop is
   * pending: for ever (lock_handoff.c). */
  atomic_store(&sp__on_detached_p, 0);
  atomic_store(&sp__counted_detached_holder, 0);
  sp__m_tls = NULL;
}

static void register_atfork(void) {
  if (pthread_atfork(NULL, NULL, child_after_fork) != 0)
    sp__fatal("runtime: pthread_atfork failed");
}

void sp__fork_install(void) { pthread_once(&atfork_once, register_atfork); }

bool sp__in_fork_child(void) { return atomic_load_explicit(&forked_child, memory_order_relaxed); }
