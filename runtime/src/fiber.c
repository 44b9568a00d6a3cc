/* fiber.c - telling AddressSanitizer and ThreadSanitizer about green-thread switches.
 *
 * Without this, ASan sees one thread's stack pointer jump between unrelated stacks (false stack
 * overflows, broken fake stacks), and TSan sees one thread do everything every green thread does
 * (missed races, wrong happens-before). Each G gets a TSan fiber; every switch is announced to ASan
 * with the target stack's bounds. In builds without a sanitizer these are empty.
 *
 * These functions are not instrumented themselves (SP_FIBER_FN): a function that switches the
 * TSan fiber would otherwise enter on one fiber's shadow stack and leave on the other's, and the
 * other's would underflow. */
#include "internal.h"

#ifdef SP_FIBERS /* otherwise internal.h has empty inline versions */

#if __has_feature(address_sanitizer)
#define SP_FIBER_ASAN 1
#endif
#if __has_feature(thread_sanitizer)
#define SP_FIBER_TSAN 1
#endif

#define SP_FIBER_FN __attribute__((disable_sanitizer_instrumentation))

#ifdef SP_FIBER_ASAN
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
void __sanitizer_start_switch_fiber(void **fake_stack_save, const void *bottom, size_t size);
void __sanitizer_finish_switch_fiber(void *fake_stack_save, const void **bottom_old,
                                     size_t *size_old);
#endif
#ifdef SP_FIBER_TSAN
void *__tsan_get_current_fiber(void);
void *__tsan_create_fiber(unsigned flags);
void __tsan_destroy_fiber(void *fiber);
void __tsan_switch_to_fiber(void *fiber, unsigned flags);
#endif

SP_FIBER_FN void sp__fiber_g_created(sp_g *g) {
  g->asan_fake_stack = NULL; /* a reused G's old one died with its previous life */
#ifdef SP_FIBER_TSAN
  if (!g->tsan_fiber)
    g->tsan_fiber = __tsan_create_fiber(0);
#endif
  (void)g;
}

SP_FIBER_FN void sp__fiber_g_destroyed(sp_g *g) {
  g->asan_fake_stack = NULL;
#ifdef SP_FIBER_TSAN
  if (g->tsan_fiber)
    __tsan_destroy_fiber(g->tsan_fiber);
  g->tsan_fiber = NULL;
#endif
  (void)g;
}

SP_FIBER_FN void sp__fiber_m_started(sp_m *m) {
#ifdef SP_FIBER_TSAN
  m->tsan_g0_fiber = __tsan_get_current_fiber();
#endif
  (void)m;
}

/* On g0, about to switch to g. */
SP_FIBER_FN void sp__fiber_switch_to_g(sp_m *m, sp_g *g) {
#ifdef SP_FIBER_ASAN
  __sanitizer_start_switch_fiber(&m->asan_g0_fake_stack, g->stack_base + SP_STACK_GUARD_BYTES,
                                 g->stack_size - SP_STACK_GUARD_BYTES);
#endif
#ifdef SP_FIBER_TSAN
  __tsan_switch_to_fiber(g->tsan_fiber, 0);
#endif
  (void)m;
  (void)g;
}

/* On g, about to switch to g0; dying: g never runs again. */
SP_FIBER_FN void sp__fiber_switch_to_g0(sp_m *m, sp_g *g, bool dying) {
#ifdef SP_FIBER_ASAN
  __sanitizer_start_switch_fiber(dying ? NULL : &g->asan_fake_stack, m->asan_g0_bottom,
                                 m->asan_g0_size);
#endif
#ifdef SP_FIBER_TSAN
  __tsan_switch_to_fiber(m->tsan_g0_fiber, 0);
#endif
  (void)m;
  (void)g;
  (void)dying;
}

/* On from, about to switch directly to to (sched.c, switch_direct); dying: from never runs again. */
SP_FIBER_FN void sp__fiber_switch_g_to_g(sp_g *from, sp_g *to, bool dying) {
#ifdef SP_FIBER_ASAN
  __sanitizer_start_switch_fiber(dying ? NULL : &from->asan_fake_stack, to->stack_base + SP_STACK_GUARD_BYTES,
                                 to->stack_size - SP_STACK_GUARD_BYTES);
#endif
#ifdef SP_FIBER_TSAN
  __tsan_switch_to_fiber(to->tsan_fiber, 0);
#endif
  (void)from;
  (void)to;
  (void)dying;
}

/* On g, just switched in, from g0 or (direct) from another G. ASan reports the stack we came
 * from; only g0's is worth keeping, for the switches back to it. */
SP_FIBER_FN void sp__fiber_switched_to_g(sp_g *g, bool direct) {
#ifdef SP_FIBER_ASAN
  sp_m *m = sp__getm();
  if (direct)
    __sanitizer_finish_switch_fiber(g->asan_fake_stack, NULL, NULL);
  else
    __sanitizer_finish_switch_fiber(g->asan_fake_stack, &m->asan_g0_bottom, &m->asan_g0_size);
#endif
  (void)g;
  (void)direct;
}

/* On g0, just switched back from a G. */
SP_FIBER_FN void sp__fiber_switched_to_g0(sp_m *m) {
#ifdef SP_FIBER_ASAN
  __sanitizer_finish_switch_fiber(m->asan_g0_fake_stack, NULL, NULL);
#endif
  (void)m;
}

/* A dead G's stack goes to another G: its frames never returned, so ASan's poisoned redzones of
 * those frames are still there and would trip the next G. */
SP_FIBER_FN void sp__fiber_stack_recycled(void *base, size_t size) {
#ifdef SP_FIBER_ASAN
  __asan_unpoison_memory_region(base, size);
#endif
  (void)base;
  (void)size;
}

#endif /* SP_FIBERS */
