/* locks.c - the locks a green thread holds, counted so that it is never preempted while holding
 * one, and the no-preemption region (sp_preempt_disable/sp_preempt_enable).
 *
 * Why: a green thread preempted while it holds a pthread mutex leaves the mutex locked, and the
 * next green thread on the same OS thread that wants it blocks in the kernel (or spins, for a
 * spin lock, in code with no safepoint): the OS thread, and its P, are gone. On one P nothing
 * else can run and the program hangs; the same happens inside pthread_once and C++ static-init
 * guards. Go's runtime never preempts an M that holds a runtime lock (m.locks > 0, acquirem); we
 * do the same for the locks real code takes.
 *
 * How: this file interposes the lock entry points of the C library (and the C++ ABI's static-init
 * guards): each forwards to the next definition (the C library's, or a sanitizer's interceptor) and
 * counts what the calling OS thread holds. A green thread holding a lock never switches (blocking
 * then is a fatal error, sched.c), so the count of its M is its own. preempt.c reads the counts
 * where it decides to stop a green thread at a poll: with a lock held or preemption disabled it
 * defers (sp__preempt_deferred) and the last release asks again (sp__preempt_resume), so the green
 * thread stops at its first safepoint after the release (Go's releasem). The release never switches
 * itself: it may run inside an uninstrumented library, which must not see its thread change.
 *
 * Interposition covers every call that goes through the dynamic symbol table: instrumented code,
 * uninstrumented libraries, std::mutex (inline calls to pthread_mutex_lock). Not covered: a C
 * library's own internal locks (stdio's, the dynamic loader's), and locks built from atomics. They
 * matter only when code holding one reaches a poll, which means calling back into instrumented
 * code under the lock (docs/runtime.md, "Locks and the no-preemption region").
 *
 * This file needs nothing else of the runtime but fatal.c, and the scheduler only through a weak
 * reference, so a program that links it but never starts the runtime only pays for the counting. */
#include <dlfcn.h>
#include <errno.h>
#include <threads.h>

#include <stdatomic.h>

#include "internal.h"

/* Written only by the thread itself (relaxed: plain moves); read by sysmon when it hands off the
 * thread's P (syscall_handoff.c), hence atomic. */
__thread _Atomic uint32_t sp__locks_held __attribute__((tls_model("initial-exec")));
__thread uint32_t sp__preempt_off __attribute__((tls_model("initial-exec")));
__thread uint8_t sp__preempt_deferred __attribute__((tls_model("initial-exec")));
/* Set by sysmon while this thread's P is handed off (syscall_handoff.c), and whether this thread
 * is counted as a lock holder on such a P (lock_handoff.c). */
__thread _Atomic uint8_t sp__on_detached_p __attribute__((tls_model("initial-exec")));
__thread _Atomic uint8_t sp__counted_detached_holder __attribute__((tls_model("initial-exec")));
/* Set while this thread waits in a blocking lock interposer; read by sysmon (lock_handoff.c). */
__thread _Atomic uint8_t sp__waiting_in_lock __attribute__((tls_model("initial-exec")));

/* preempt.c and lock_handoff.c; weak, so that locks.o does not pull the runtime into a program
 * without it. Only a running scheduler sets sp__preempt_deferred and sp__on_detached_p, so the
 * functions are there when those flags are set. */
extern void sp__preempt_resume(void) __attribute__((weak));
extern bool sp__lock_handoff_announce(void) __attribute__((weak));
extern void sp__lock_handoff_released(void) __attribute__((weak));
extern void sp__lock_handoff_wait_for_world(void) __attribute__((weak));


/* ---- Counting ------------------------------------------------------------------------------- */

static inline uint32_t locks_held(void) {
  return atomic_load_explicit(&sp__locks_held, memory_order_relaxed);
}

static inline void acquired(void) {
  atomic_store_explicit(&sp__locks_held, locks_held() + 1, memory_order_relaxed);
}

/* A release of a lock this thread did not count (one taken through a C library's internal alias,
 * say) is not counted either: the count never goes below zero. */
static inline void released(void) {
  uint32_t held = locks_held();
  if (held == 0)
    return;
  atomic_store_explicit(&sp__locks_held, held - 1, memory_order_relaxed);
  if (held != 1)
    return;
  if (__builtin_expect(atomic_load_explicit(&sp__counted_detached_holder, memory_order_relaxed), 0))
    sp__lock_handoff_released();
  if (__builtin_expect(sp__preempt_deferred, 0) && sp__preempt_off == 0)
    sp__preempt_resume();
}

/* Whether this thread's P was handed off (sysmon took it while the thread slept in the kernel)
 * and the thread holds no lock yet: then its first lock must reckon with stop-the-world, which
 * does not wait for a handed-off P (lock_handoff.c). */
static inline bool first_lock_on_detached_p(void) {
  return __builtin_expect(atomic_load_explicit(&sp__on_detached_p, memory_order_relaxed), 0) &&
         locks_held() == 0;
}

/* Before any attempt to take a lock: the lock counts as held from here, through the wait in the
 * kernel, until the attempt fails or the lock is released. So a thread that waits in a lock
 * interposer (sp__waiting_in_lock) is counted like a holder: sysmon, handing off the P of a thread
 * asleep in such a wait, counts it for stop-the-world (lock_handoff.c), which then waits for it;
 * the lock, once taken, is never held inside a stopped world. On a handed-off P, the first lock is
 * announced to stop-the-world first, and waits while a stop is pending. */
static inline void before_lock(void) {
  while (first_lock_on_detached_p() && !sp__lock_handoff_announce())
    sp__lock_handoff_wait_for_world();
  acquired();
}

/* A try never waits: on a handed-off P with a stop pending it fails at once, as if the lock were
 * taken. */
static inline bool before_trylock(void) {
  if (first_lock_on_detached_p() && !sp__lock_handoff_announce())
    return false;
  acquired();
  return true;
}

/* After the attempt: r is 0 when the lock was taken; a robust mutex whose owner died (EOWNERDEAD)
 * is taken all the same. */
static inline int after_lock(int r) {
  if (r != 0 && r != EOWNERDEAD)
    released();
  return r;
}

void sp_preempt_disable(void) { sp__preempt_off++; }

void sp_preempt_enable(void) {
  uint32_t off = sp__preempt_off;
  if (off == 0)
    sp__fatal("sp_preempt_enable without sp_preempt_disable");
  sp__preempt_off = off - 1;
  if (__builtin_expect(sp__preempt_deferred, 0) && off == 1 && locks_held() == 0)
    sp__preempt_resume();
}

/* Called by sp__mcall when a green thread that holds a lock or disabled preemption is about to
 * switch for another reason than preemption. */
void sp__fatal_blocked_holding(sp_g *g, int reason) {
  unsigned long long id = (unsigned long long)g->id;
  const char *why = reason == SP_SWITCH_YIELD ? "yield"
                    : reason == SP_SWITCH_PARK && g->wait_reason ? g->wait_reason
                                                                 : "park";
  uint32_t held = locks_held();
  if (reason == SP_SWITCH_EXIT && held)
    sp__fatalf("goroutine %llu exited while holding %u lock%s (a pthread mutex, rwlock or spin "
               "lock, C11 mutex, pthread_once or C++ static-init guard it never released)",
               id, held, held == 1 ? "" : "s");
  if (reason == SP_SWITCH_EXIT)
    sp__fatalf("goroutine %llu exited with preemption disabled (sp_preempt_disable without "
               "sp_preempt_enable)", id);
  if (held)
    sp__fatalf("goroutine %llu blocked (%s) while holding %u lock%s (a pthread mutex, rwlock or "
               "spin lock, C11 mutex, pthread_once or C++ static-init guard): another green "
               "thread waiting for it could hold this OS thread forever",
               id, why, held, held == 1 ? "" : "s");
  sp__fatalf("goroutine %llu blocked (%s) with preemption disabled (sp_preempt_disable)", id, why);
}

/* ---- The next definitions ------------------------------------------------------------------ */

/* Under ThreadSanitizer the lock functions are weak aliases of its interceptors, which our strong
 * definitions replace: forward to the interceptors, so it still sees every lock. Without one (or
 * for functions it does not intercept) forward to the next definition in lookup order, the C
 * library's. */
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SP_LOCKS_TSAN 1
#endif
#endif

typedef void (*sp__any_fn)(void);

/* Each function with, last, the name under which a static C library (libc.a) also defines it: in a
 * fully static executable RTLD_NEXT finds nothing, and our definitions replace the C library's
 * public names (weak there), but its internal names stay. */
#define SP_FOR_EACH_INTERCEPTED(X)                                                               \
  X(pthread_mutex_lock, int, (pthread_mutex_t * m), ___pthread_mutex_lock)                       \
  X(pthread_mutex_trylock, int, (pthread_mutex_t * m), ___pthread_mutex_trylock)                 \
  X(pthread_mutex_timedlock, int, (pthread_mutex_t * m, const struct timespec *t),               \
    ___pthread_mutex_timedlock)                                                                  \
  X(pthread_mutex_clocklock, int, (pthread_mutex_t * m, clockid_t c, const struct timespec *t),  \
    ___pthread_mutex_clocklock)                                                                  \
  X(pthread_mutex_unlock, int, (pthread_mutex_t * m), ___pthread_mutex_unlock)                   \
  X(pthread_rwlock_rdlock, int, (pthread_rwlock_t * l), ___pthread_rwlock_rdlock)                \
  X(pthread_rwlock_tryrdlock, int, (pthread_rwlock_t * l), ___pthread_rwlock_tryrdlock)          \
  X(pthread_rwlock_timedrdlock, int, (pthread_rwlock_t * l, const struct timespec *t),           \
    ___pthread_rwlock_timedrdlock)                                                               \
  X(pthread_rwlock_wrlock, int, (pthread_rwlock_t * l), ___pthread_rwlock_wrlock)                \
  X(pthread_rwlock_trywrlock, int, (pthread_rwlock_t * l), ___pthread_rwlock_trywrlock)          \
  X(pthread_rwlock_timedwrlock, int, (pthread_rwlock_t * l, const struct timespec *t),           \
    ___pthread_rwlock_timedwrlock)                                                               \
  X(pthread_rwlock_unlock, int, (pthread_rwlock_t * l), ___pthread_rwlock_unlock)                \
  X(pthread_spin_lock, int, (pthread_spinlock_t * l), __pthread_spin_lock)                       \
  X(pthread_spin_trylock, int, (pthread_spinlock_t * l), __pthread_spin_trylock)                 \
  X(pthread_spin_unlock, int, (pthread_spinlock_t * l), __pthread_spin_unlock)                   \
  X(pthread_once, int, (pthread_once_t * o, void (*init)(void)), ___pthread_once)

#define SP_FOR_EACH_OTHER(X)                                                                     \
  X(pthread_rwlock_clockrdlock, int,                                                             \
    (pthread_rwlock_t * l, clockid_t c, const struct timespec *t), ___pthread_rwlock_clockrdlock) \
  X(pthread_rwlock_clockwrlock, int,                                                             \
    (pthread_rwlock_t * l, clockid_t c, const struct timespec *t), ___pthread_rwlock_clockwrlock) \
  X(mtx_lock, int, (mtx_t * m), __mtx_lock)                                                      \
  X(mtx_trylock, int, (mtx_t * m), __mtx_trylock)                                                \
  X(mtx_timedlock, int, (mtx_t *__restrict m, const struct timespec *__restrict t),              \
    __mtx_timedlock)                                                                             \
  X(mtx_unlock, int, (mtx_t * m), __mtx_unlock)                                                  \
  X(call_once, void, (once_flag * o, void (*init)(void)), __call_once)

/* ThreadSanitizer defines the C++ guards itself, strongly: they cannot be wrapped there. A static
 * libstdc++ has no other name for them. */
#ifdef SP_LOCKS_TSAN
#define SP_FOR_EACH_GUARD(X)
#else
#define SP_FOR_EACH_GUARD(X)                                                                     \
  X(__cxa_guard_acquire, int, (int64_t * g), sp__no_static_name)                                 \
  X(__cxa_guard_release, void, (int64_t * g), sp__no_static_name)                                \
  X(__cxa_guard_abort, void, (int64_t * g), sp__no_static_name)
#endif

#define SP_DECLARE_STATIC_NAME(name, ret, params, static_name) \
  extern ret static_name params __attribute__((weak));
SP_FOR_EACH_INTERCEPTED(SP_DECLARE_STATIC_NAME)
SP_FOR_EACH_OTHER(SP_DECLARE_STATIC_NAME)
#define sp__no_static_name ((sp__any_fn)0)

/* The definition after ours, or NULL. A guard function asked for by a library whose libstdc++ was
 * loaded privately (dlopen with RTLD_LOCAL) is not in the global scope that RTLD_NEXT searches:
 * look in libstdc++ itself. */
static sp__any_fn lookup_next(const char *name, sp__any_fn interceptor, sp__any_fn static_name) {
  if (interceptor)
    return interceptor;
  void *f = dlsym(RTLD_NEXT, name);
  if (!f && static_name)
    return static_name;
  /* dlopen found by name: a reference to it makes a static link warn that dlopen needs the shared
   * C library at run time (and a static program has no libstdc++.so to look into anyway). */
  void *(*open_loaded)(const char *, int) = NULL;
  if (!f && name[0] == '_')
    open_loaded = (void *(*)(const char *, int))dlsym(RTLD_DEFAULT, "dlopen");
  if (open_loaded) {
    void *libstdcxx = open_loaded("libstdc++.so.6", RTLD_LAZY | RTLD_NOLOAD);
    if (libstdcxx) {
      f = dlsym(libstdcxx, name);
      dlclose(libstdcxx);
    }
  }
  return (sp__any_fn)f;
}

/* Only a call can need a function the process does not have (a C program has no
 * __cxa_guard_acquire, and never calls it). */
static sp__any_fn lookup_next_to_call(const char *name, sp__any_fn interceptor,
                                      sp__any_fn static_name) {
  sp__any_fn f = lookup_next(name, interceptor, static_name);
  if (!f)
    sp__fatalf("runtime: cannot find the definition of %s after the runtime's interposer", name);
  return f;
}

#ifdef SP_LOCKS_TSAN
#define SP_INTERCEPTOR(name) ((sp__any_fn)__interceptor_##name)
#define SP_DECLARE_INTERCEPTOR(name, ret, params, static_name) \
  extern ret __interceptor_##name params __attribute__((weak));
SP_FOR_EACH_INTERCEPTED(SP_DECLARE_INTERCEPTOR)
#else
#define SP_INTERCEPTOR(name) ((sp__any_fn)0)
#endif

/* One pointer per function, resolved when the runtime starts (sp__locks_init) or at the first call,
 * whichever comes first; a race resolves it twice to the same value. */
#define SP_DEFINE_NEXT(name, ret, params, static_name)                                          \
  typedef ret(*name##_fn) params;                                                               \
  static name##_fn next_##name;                                                                 \
  static name##_fn resolve_##name(sp__any_fn interceptor) {                                     \
    name##_fn f =                                                                               \
        (name##_fn)lookup_next_to_call(#name, interceptor, (sp__any_fn)static_name);            \
    __atomic_store_n(&next_##name, f, __ATOMIC_RELAXED);                                        \
    return f;                                                                                   \
  }                                                                                             \
  static void try_resolve_##name(sp__any_fn interceptor) {                                      \
    name##_fn f = (name##_fn)lookup_next(#name, interceptor, (sp__any_fn)static_name);          \
    __atomic_store_n(&next_##name, f, __ATOMIC_RELAXED);                                        \
  }                                                                                             \
  static inline name##_fn get_##name(sp__any_fn interceptor) {                                  \
    name##_fn f = __atomic_load_n(&next_##name, __ATOMIC_RELAXED);                              \
    return __builtin_expect(f != NULL, 1) ? f : resolve_##name(interceptor);                    \
  }
SP_FOR_EACH_INTERCEPTED(SP_DEFINE_NEXT)
SP_FOR_EACH_OTHER(SP_DEFINE_NEXT)
SP_FOR_EACH_GUARD(SP_DEFINE_NEXT)

#define NEXT_INTERCEPTED(name) get_##name(SP_INTERCEPTOR(name))
#define NEXT(name) get_##name(NULL)

/* Resolves what it can before the first green thread runs, so that the calls do not. */
void sp__locks_init(void) {
#define SP_RESOLVE_INTERCEPTED(name, ret, params, static_name) \
  try_resolve_##name(SP_INTERCEPTOR(name));
#define SP_RESOLVE(name, ret, params, static_name) try_resolve_##name(NULL);
  SP_FOR_EACH_INTERCEPTED(SP_RESOLVE_INTERCEPTED)
  SP_FOR_EACH_OTHER(SP_RESOLVE)
  SP_FOR_EACH_GUARD(SP_RESOLVE)
}

/* ---- The interposers ------------------------------------------------------------------------ */

#define SP_INTERPOSE __attribute__((visibility("default")))

static inline int count_unlock(int r) {
  if (r == 0)
    released();
  return r;
}

/* Each attempt to take a lock, blocking or not, between before_lock (before_trylock) and
 * after_lock. */
#define SP_TAKE_BLOCKING(take)                                                 \
  do {                                                                         \
    before_lock();                                                             \
    atomic_store_explicit(&sp__waiting_in_lock, 1, memory_order_relaxed);      \
    int r_ = (take);                                                           \
    atomic_store_explicit(&sp__waiting_in_lock, 0, memory_order_relaxed);      \
    return after_lock(r_);                                                     \
  } while (0)

#define SP_TAKE_TRY(take, busy)  \
  do {                           \
    if (!before_trylock())       \
      return (busy);             \
    return after_lock(take);     \
  } while (0)

SP_INTERPOSE int pthread_mutex_lock(pthread_mutex_t *m) {
  SP_TAKE_BLOCKING(NEXT_INTERCEPTED(pthread_mutex_lock)(m));
}
SP_INTERPOSE int pthread_mutex_trylock(pthread_mutex_t *m) {
  SP_TAKE_TRY(NEXT_INTERCEPTED(pthread_mutex_trylock)(m), EBUSY);
}
SP_INTERPOSE int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *t) {
  SP_TAKE_BLOCKING(NEXT_INTERCEPTED(pthread_mutex_timedlock)(m, t));
}
SP_INTERPOSE int pthread_mutex_clocklock(pthread_mutex_t *m, clockid_t c, const struct timespec *t) {
  SP_TAKE_BLOCKING(NEXT_INTERCEPTED(pthread_mutex_clocklock)(m, c, t));
}
SP_INTERPOSE int pthread_mutex_unlock(pthread_mutex_t *m) {
  return count_unlock(NEXT_INTERCEPTED(pthread_mutex_unlock)(m));
}

SP_INTERPOSE int pthread_rwlock_rdlock(pthread_rwlock_t *l) {
  SP_TAKE_BLOCKING(NEXT_INTERCEPTED(pthread_rwlock_rdlock)(l));
}
SP_INTERPOSE int pthread_rwlock_tryrdlock(pthread_rwlock_t *l) {
  SP_TAKE_TRY(NEXT_INTERCEPTED(pthread_rwlock_tryrdlock)(l), EBUSY);
}
SP_INTERPOSE int pthread_rwlock_timedrdlock(pthread_rwlock_t *l, const struct timespec *t) {
  SP_TAKE_BLOCKING(NEXT_INTERCEPTED(pthread_rwlock_timedrdlock)(l, t));
}
SP_INTERPOSE int pthread_rwlock_clockrdlock(pthread_rwlock_t *l, clockid_t c,
                                            const struct timespec *t) {
  SP_TAKE_BLOCKING(NEXT(pthread_rwlock_clockrdlock)(l, c, t));
}
SP_INTERPOSE int pthread_rwlock_wrlock(pthread_rwlock_t *l) {
  SP_TAKE_BLOCKING(NEXT_INTERCEPTED(pthread_rwlock_wrlock)(l));
}
SP_INTERPOSE int pthread_rwlock_trywrlock(pthread_rwlock_t *l) {
  SP_TAKE_TRY(NEXT_INTERCEPTED(pthread_rwlock_trywrlock)(l), EBUSY);
}
SP_INTERPOSE int pthread_rwlock_timedwrlock(pthread_rwlock_t *l, const struct timespec *t) {
  SP_TAKE_BLOCKING(NEXT_INTERCEPTED(pthread_rwlock_timedwrlock)(l, t));
}
SP_INTERPOSE int pthread_rwlock_clockwrlock(pthread_rwlock_t *l, clockid_t c,
                                            const struct timespec *t) {
  SP_TAKE_BLOCKING(NEXT(pthread_rwlock_clockwrlock)(l, c, t));
}
SP_INTERPOSE int pthread_rwlock_unlock(pthread_rwlock_t *l) {
  return count_unlock(NEXT_INTERCEPTED(pthread_rwlock_unlock)(l));
}

SP_INTERPOSE int pthread_spin_lock(pthread_spinlock_t *l) {
  SP_TAKE_BLOCKING(NEXT_INTERCEPTED(pthread_spin_lock)(l));
}
SP_INTERPOSE int pthread_spin_trylock(pthread_spinlock_t *l) {
  SP_TAKE_TRY(NEXT_INTERCEPTED(pthread_spin_trylock)(l), EBUSY);
}
SP_INTERPOSE int pthread_spin_unlock(pthread_spinlock_t *l) {
  return count_unlock(NEXT_INTERCEPTED(pthread_spin_unlock)(l));
}

/* mtx_* return thrd_success (0) when they took or released the lock. */
SP_INTERPOSE int mtx_lock(mtx_t *m) { SP_TAKE_BLOCKING(NEXT(mtx_lock)(m)); }
SP_INTERPOSE int mtx_trylock(mtx_t *m) {
  SP_TAKE_TRY(NEXT(mtx_trylock)(m), thrd_busy);
}
SP_INTERPOSE int mtx_timedlock(mtx_t *__restrict m, const struct timespec *__restrict t) {
  SP_TAKE_BLOCKING(NEXT(mtx_timedlock)(m, t));
}
SP_INTERPOSE int mtx_unlock(mtx_t *m) { return count_unlock(NEXT(mtx_unlock)(m)); }

/* The initialiser runs, and other callers wait in the kernel, with the once-control held: the
 * whole call counts as holding a lock. A C++ initialiser (std::call_once's) may throw out of it:
 * the C library then releases the once-control as the exception unwinds, and the cleanup (this
 * file is built with -fexceptions) releases the count. */
static void release_on_exit(int *unused) {
  (void)unused;
  released();
}

SP_INTERPOSE int pthread_once(pthread_once_t *o, void (*init)(void)) {
  before_lock();
  __attribute__((cleanup(release_on_exit))) int held = 1;
  return NEXT_INTERCEPTED(pthread_once)(o, init);
}
SP_INTERPOSE void call_once(once_flag *o, void (*init)(void)) {
  before_lock();
  __attribute__((cleanup(release_on_exit))) int held = 1;
  NEXT(call_once)(o, init);
}

/* __cxa_guard_acquire returns 1 when the caller must construct the static: it then holds the guard
 * until __cxa_guard_release (constructed) or __cxa_guard_abort (the constructor threw). */
#ifndef SP_LOCKS_TSAN
SP_INTERPOSE int __cxa_guard_acquire(int64_t *g) {
  before_lock();
  int r = NEXT(__cxa_guard_acquire)(g);
  if (!r)
    released();
  return r;
}
SP_INTERPOSE void __cxa_guard_release(int64_t *g) {
  NEXT(__cxa_guard_release)(g);
  released();
}
SP_INTERPOSE void __cxa_guard_abort(int64_t *g) {
  NEXT(__cxa_guard_abort)(g);
  released();
}
#endif
