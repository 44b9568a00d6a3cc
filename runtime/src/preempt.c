/* preempt.c - what happens when a poll fires: the slow paths the pass calls, the landing point of
 * the fault trampoline, and stop-the-world.
 *
 * Every mechanism ends in preempt_now(): record the latency since the request, then switch to the
 * scheduler, which queues the G on the global run queue (or parks its P for stop-the-world). The
 * stop-the-world owner never stops itself: its own polls are stepped over while the world is
 * stopped. */
#include <cpuid.h>
#include <stdlib.h>

#include "internal.h"

/* Bytes of the xsave area for the features XCR0 enables (cpuid leaf 0xD), rounded up to 64. The
 * trampoline reads it; computed before the first G can be preempted. */
__attribute__((visibility("hidden"))) uint64_t sp__xsave_area_size;

__attribute__((constructor)) static void init_xsave_size(void) {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE))
    return; /* checked again by sp__preempt_check_cpu when the runtime starts */
  __cpuid_count(0xd, 0, a, b, c, d);
  sp__xsave_area_size = ((uint64_t)b + 63) & ~(uint64_t)63;
}

void sp__preempt_check_cpu(void) {
  if (sp__xsave_area_size == 0)
    sp__fatal("runtime: this CPU or OS does not support xsave, which preemption needs");
}

static void preempt_now(int via, const struct sp_site_record *site) {
  sp_m *m = sp__getm();
  sp_g *g = m->curg;
  if (g == atomic_load(&sp__sched.stw_owner)) {
    sp__disarm_polls_self(m);
    sp__set_guard_self(g->stack_guard);
    return;
  }
  /* Never in a signal handler (signals.c): the request stays armed, and the G stops at its first
   * poll after the handler returns or jumps out. */
  if (sp__in_signal_context((uintptr_t)__builtin_frame_address(0))) {
    sp__signal_defer_preemption(m);
    return;
  }
  /* A G that holds a lock (locks.c) or disabled preemption is not stopped, neither for another G
   * nor for stop-the-world: a waiter for its lock could hold its OS thread. Disarm, so that its
   * polls run at full speed meanwhile, and remember the request: the last release asks again
   * (sp__preempt_resume). The request's timestamp stays, so the latency recorded when the G does
   * stop includes the wait. */
  if (!sp__preemptible_self()) {
    sp__disarm_self(m);
    sp__set_guard_self(g->stack_guard);
    if (!sp__preempt_deferred) {
      sp__preempt_deferred = 1;
      sp__stats_preempt_deferred();
    }
    return;
  }
  int64_t req = atomic_exchange(&g->preempt_request_ns, 0);
  sp__stats_preempt(via, req ? sp_now_ns() - req : -1, site);
  g->last_preempt_site = site;
  sp__mcall(SP_SWITCH_PREEMPT);
}

void sp__preempt_from_signal(void) {
  sp_m *m = sp__getm();
  const struct sp_site_record *site = m->preempt_site;
  m->preempt_site = NULL;
  preempt_now(SP_VIA_SIGNAL, site);
}

/* The last lock was released, or the no-preemption region ended, after a preemption request found
 * the G unpreemptible: ask again, so that it stops at its next safepoint (Go's releasem restores
 * stackguard0 = stackPreempt the same way). Stopping here would be sooner, but the release may be
 * inside an uninstrumented library, which must not see its OS thread change under it. The shared
 * page is held too when some image has global-page polls: the G may be running only those. */
void sp__preempt_resume(void) {
  sp__preempt_deferred = 0;
  sp_m *m = sp__getm();
  if (!m || !m->curg)
    return;
  sp__arm(m);
  sp__arm_page(m);
}

/* A thread that is not a runtime M reached a poll while the world is stopped: wait. */
static void wait_for_world(void) {
  for (;;) {
    uint32_t gen = atomic_load(&sp__sched.world_gen);
    if (!sp__world_is_stopped())
      return;
    sp__futex_wait(&sp__sched.world_gen, gen, -1);
  }
}

/* The flag-mode slow path: all registers but r11 survive (preserve_most); the caller spilled the
 * vector registers. The runtime only sets the flags of its own Ms, so a thread outside the runtime
 * gets here only if someone else set its flag. */
__attribute__((visibility("default"), preserve_most)) void __sp_poll_slow(void) {
  sp_m *m = sp__getm();
  if (!m || !m->curg) {
    wait_for_world();
    return;
  }
  preempt_now(SP_VIA_FLAG, NULL);
}

/* The call-mode poll, called at every poll: the flag is the request. */
__attribute__((visibility("default"))) void __sp_poll(void) {
  if (__builtin_expect(__atomic_load_n(&__sp_poll_flag, __ATOMIC_RELAXED) == 0, 1))
    return;
  sp_m *m = sp__getm();
  if (!m || !m->curg)
    return;
  preempt_now(SP_VIA_CALL, NULL);
}

/* The entry-check slow path: the stack pointer is below __sp_stack_guard. Either the runtime
 * poisoned the guard to ask for preemption (Go's stackPreempt), or the green thread's stack is
 * nearly exhausted: then say so clearly while SP_STACK_GUARD_MARGIN bytes are still left. */
__attribute__((visibility("default"), preserve_most)) void __sp_morestack(void) {
  uintptr_t guard = __atomic_load_n(&__sp_stack_guard, __ATOMIC_RELAXED);
  uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
  sp_m *m = sp__getm();
  /* Not on the G's stack: a signal handler on the signal stack (signals.c). Its stack pointer says
   * nothing about the G's stack, and it must not be preempted. */
  if (m && m->curg && m->curg->stack_base &&
      sp - (uintptr_t)m->curg->stack_base >= m->curg->stack_size)
    return;
  if (guard == SP_STACK_GUARD_PREEMPT) {
    if (!m || !m->curg) {
      sp__set_guard_self(0);
      return;
    }
    uintptr_t real = m->curg->stack_guard;
    sp__set_guard_self(real);
    if (sp >= real) {
      preempt_now(SP_VIA_ENTRY, NULL);
      return;
    }
  }
  if (m && m->curg)
    sp__fatalf("green thread stack overflow (goroutine %llu: %zu-byte stack exhausted; "
               "SPDEBUG=stacksize=<KiB> makes stacks larger)",
               (unsigned long long)m->curg->id, sp__config.stack_size);
  sp__fatal("stack overflow (__sp_morestack outside a green thread)");
}

/* ---- Stop the world ------------------------------------------------------------------------ */

void sp_stop_the_world(void) {
  sp_m *m = sp__getm();
  if (!m || !m->curg)
    sp__fatal("sp_stop_the_world called outside a green thread");
  sp_g *g = m->curg;
  if (atomic_load(&sp__sched.stw_owner) == g)
    sp__fatal("sp_stop_the_world: the world is already stopped by this green thread");
  /* Go throws "stopTheWorld: holding locks" too: another green thread waiting for the lock in
   * the kernel could never reach a safepoint, and the world would never stop. */
  if (!sp__preemptible_self())
    sp__fatal("sp_stop_the_world: holding locks (a pthread mutex, rwlock or spin lock, C11 mutex, "
              "pthread_once, C++ static-init guard or sp_preempt_disable region)");
  for (;;) {
    sp_g *expected = NULL;
    if (atomic_compare_exchange_strong(&sp__sched.stw_owner, &expected, g))
      break;
    sp_yield(); /* another green thread is stopping the world; it will stop us too */
  }
  m = sp__getm();
  int64_t t0 = sp_now_ns();
  sp__stw_begin(m);
  sp__disarm_polls_self(m);
  sp__world_page_protect(true);
  sp__stw_wait(m);
  sp__stats_stw(sp_now_ns() - t0);
}

void sp_start_the_world(void) {
  sp_m *m = sp__getm();
  if (!m || !m->curg || atomic_load(&sp__sched.stw_owner) != m->curg)
    sp__fatal("sp_start_the_world without sp_stop_the_world");
  sp__world_page_protect(false);
  sp__disarm_polls_self(m);
  sp__stw_end(m);
  atomic_store(&sp__sched.stw_owner, NULL);
  sp__wakep();
}
