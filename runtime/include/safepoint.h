/* safepoint.h - the public C API of the Safepoint runtime: green threads preempted at safepoints.
 *
 * A program calls sp_main() once from an ordinary thread; everything else runs on green threads
 * (Gs) that the runtime multiplexes over SPMAXPROCS processors. Blocking operations below park the
 * calling green thread, never the OS thread. Calling them outside sp_main is a fatal error, except
 * where a function says otherwise.
 *
 * Misuse ends the process with a `fatal error: ...` line on stderr, in the words Go uses. */
#ifndef SAFEPOINT_H
#define SAFEPOINT_H

#include <stddef.h>
#include <stdint.h>

/* The runtime is built with hidden visibility; everything declared here is its exported API. */
#pragma GCC visibility push(default)

/* ---- Attributes ------------------------------------------------------------------------------
 *
 * Go's no-preemption function attributes (docs/pass.md, "Attributes"), checked by the Safepoint pass:
 *   SP_NOSPLIT            the function gets no poll and no entry check.
 *   SP_NOWRITEBARRIER     the function must not reach a point where its green thread may switch (a
 *                         poll, an entry check, or a call to a runtime function below that may block
 *                         or yield); it gets no polls itself. Violations are compile errors.
 *   SP_NOWRITEBARRIERREC  the same for every function it reaches by direct calls in the module,
 *   SP_YESWRITEBARRIERREC stopping at functions marked SP_YESWRITEBARRIERREC.
 * With the clang plugin loaded (-fplugin=SafepointPlugin.so, as sp-cc does) they are the attributes
 * [[safepoint::nosplit]] & co.; without it, the annotation those attributes become. Either way the
 * pass sees the same, so a header means the same to every compiler that loads the pass. */
#if defined(__has_attribute)
#if __has_attribute(safepoint_nosplit)
#define SP_NOSPLIT __attribute__((safepoint_nosplit))
#define SP_NOWRITEBARRIER __attribute__((safepoint_nowritebarrier))
#define SP_NOWRITEBARRIERREC __attribute__((safepoint_nowritebarrierrec))
#define SP_YESWRITEBARRIERREC __attribute__((safepoint_yeswritebarrierrec))
#elif __has_attribute(annotate)
#define SP_NOSPLIT __attribute__((annotate("safepoint.nosplit")))
#define SP_NOWRITEBARRIER __attribute__((annotate("safepoint.nowritebarrier")))
#define SP_NOWRITEBARRIERREC __attribute__((annotate("safepoint.nowritebarrierrec")))
#define SP_YESWRITEBARRIERREC __attribute__((annotate("safepoint.yeswritebarrierrec")))
#endif
#endif
#ifndef SP_NOSPLIT /* a compiler that cannot carry the annotation does not run the pass either */
#define SP_NOSPLIT
#define SP_NOWRITEBARRIER
#define SP_NOWRITEBARRIERREC
#define SP_YESWRITEBARRIERREC
#endif

/* What the pass must know of the runtime's own entry points, by annotation rather than by name:
 * SP__MAY_SWITCH marks a function that may block or yield (a write barrier, for the checks above);
 * SP__SELECT_SITE and SP__DEFER_SITE ask for a poll (kinds select and defer) before every call. */
#if defined(__has_attribute) && __has_attribute(annotate)
#define SP__MAY_SWITCH __attribute__((annotate("safepoint.writebarrier")))
#define SP__SELECT_SITE __attribute__((annotate("safepoint.select")))
#define SP__DEFER_SITE __attribute__((annotate("safepoint.defer")))
#else
#define SP__MAY_SWITCH
#define SP__SELECT_SITE
#define SP__DEFER_SITE
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Green threads ------------------------------------------------------------------------- */

/* sp_main() starts the runtime and runs fn(argc, argv) as the first green thread. It returns fn's
 * result when fn returns; other green threads are abandoned, as when Go's main returns. The
 * environment configures it: SPMAXPROCS (processors, default: CPUs) and SPDEBUG (docs/runtime.md). */
int sp_main(int (*fn)(int argc, char **argv), int argc, char **argv);

/* sp_go() starts fn(arg) on a new green thread. */
void sp_go(void (*fn)(void *), void *arg);

/* sp_yield() lets other green threads run; the caller stays runnable. */
SP__MAY_SWITCH void sp_yield(void);

/* sp_sleep_ns() parks the calling green thread for at least ns nanoseconds. */
SP__MAY_SWITCH void sp_sleep_ns(int64_t ns);

/* sp_now_ns() is a monotonic clock in nanoseconds. Usable anywhere. */
int64_t sp_now_ns(void);

/* sp_maxprocs() is the number of processors the running runtime uses (0 outside sp_main). */
int sp_maxprocs(void);

/* sp_self_id() is the calling green thread's id (1 for the one sp_main starts; 0 outside one). */
uint64_t sp_self_id(void);

/* sp_lock_os_thread() wires the calling green thread to its current OS thread until the matching
 * sp_unlock_os_thread(): it then always resumes there (for thread-local state held across
 * safepoints) and no other green thread runs on that OS thread. Calls nest. */
void sp_lock_os_thread(void);
void sp_unlock_os_thread(void);

/* sp_preempt_disable() starts a no-preemption region, as Go's runtime has (acquirem): until the
 * matching sp_preempt_enable() the calling green thread is not stopped at its safepoints, neither
 * for another green thread nor for sp_stop_the_world; a preemption asked for meanwhile happens at
 * the first safepoint after the region ends. Regions nest. Blocking inside one (a channel operation,
 * a sleep, sp_yield, a contended sp_mutex_lock) is a fatal error, and so is an enable without a
 * disable. The runtime does the same by itself while a green thread holds a pthread mutex, rwlock,
 * spin lock, C11 mutex, pthread_once or C++ static-init guard (docs/runtime.md, "Locks"). Usable
 * anywhere; outside a green thread it only counts. */
void sp_preempt_disable(void);
void sp_preempt_enable(void);

/* ---- Channels ------------------------------------------------------------------------------ */

typedef struct sp_chan sp_chan;

/* sp_chan_make() creates a channel of elem_size-byte values; capacity 0 makes it unbuffered. */
sp_chan *sp_chan_make(size_t elem_size, size_t capacity);

/* sp_chan_send() copies *elem into the channel, blocking until a receiver or a buffer slot takes
 * it. Sending on a closed channel is fatal. */
SP__MAY_SWITCH void sp_chan_send(sp_chan *c, const void *elem);

/* sp_chan_recv() blocks for a value and copies it to *elem (elem may be NULL to drop it). Returns 1
 * when a value was received, 0 when the channel is closed and drained (then *elem is zeroed). */
SP__MAY_SWITCH int sp_chan_recv(sp_chan *c, void *elem);

/* sp_chan_try_send() sends only if that does not block. Returns 1 when sent, 0 otherwise. */
int sp_chan_try_send(sp_chan *c, const void *elem);

/* sp_chan_try_recv() receives only if that does not block. Returns 1 when a value was received,
 * 0 when it would block, -1 when the channel is closed and drained. */
int sp_chan_try_recv(sp_chan *c, void *elem);

/* sp_chan_close() closes the channel: receivers drain it, then see 0. Closing twice is fatal. */
void sp_chan_close(sp_chan *c);

/* sp_chan_free() releases a channel nobody uses any more. */
void sp_chan_free(sp_chan *c);

/* sp_chan_len() and sp_chan_cap() are the buffered count and the capacity. */
size_t sp_chan_len(sp_chan *c);
size_t sp_chan_cap(sp_chan *c);

/* ---- Select -------------------------------------------------------------------------------- */

enum sp_select_dir {
  SP_SELECT_SEND = 1,
  SP_SELECT_RECV = 2,
};

/* One case of sp_select. A case with chan == NULL is never ready (Go's nil channel). */
typedef struct sp_select_case {
  sp_chan *chan;
  int dir;    /* enum sp_select_dir */
  void *elem; /* send: the value to send; receive: where to store it (may be NULL) */
  int ok;     /* set for the chosen receive case: 1 = value received, 0 = channel closed */
} sp_select_case;

#define SP_SELECT_FOREVER (-1) /* timeout_ns: wait as long as it takes */
#define SP_SELECT_DEFAULT (-1) /* result: nothing was ready and timeout_ns was 0 (Go's default:) */
#define SP_SELECT_TIMEOUT (-2) /* result: the timeout expired */

/* sp_select() waits until one of the cases can proceed, performs it and returns its index; when
 * several are ready it picks one uniformly at random. timeout_ns == 0 makes it non-blocking (a
 * default case), > 0 bounds the wait, SP_SELECT_FOREVER waits forever. */
SP__MAY_SWITCH SP__SELECT_SITE int sp_select(sp_select_case *cases, size_t ncases,
                                           int64_t timeout_ns);

/* ---- Defer --------------------------------------------------------------------------------- */

/* SP_DEFER(fn, arg) calls fn(arg) when the enclosing scope exits (C: cleanup attribute; C++: RAII),
 * in reverse order of declaration. fn has type void (*)(void *). */
struct sp_defer {
  void (*fn)(void *);
  void *arg;
};

/* sp_defer_run() runs one deferred call; SP_DEFER's cleanup calls it. */
SP__MAY_SWITCH SP__DEFER_SITE void sp_defer_run(struct sp_defer *d);

#define SP__CONCAT2(a, b) a##b
#define SP__CONCAT(a, b) SP__CONCAT2(a, b)

#ifdef __cplusplus
} /* extern "C" */
namespace sp {
// sp::Defer runs one deferred call when it goes out of scope.
class Defer {
 public:
  Defer(void (*fn)(void *), void *arg) : d_{fn, arg} {}
  ~Defer() { sp_defer_run(&d_); }
  Defer(const Defer &) = delete;
  Defer &operator=(const Defer &) = delete;

 private:
  struct sp_defer d_;
};

// sp::go() starts any callable (a lambda with captures, say) on a new green thread. The callable is
// moved to the heap and freed when it returns.
template <typename F>
void go(F f) {
  F *heap = new F(static_cast<F &&>(f));
  sp_go(
      [](void *arg) {
        F *fn = static_cast<F *>(arg);
        (*fn)();
        delete fn;
      },
      heap);
}
}  // namespace sp
#define SP_DEFER(fn, arg) ::sp::Defer SP__CONCAT(sp_defer_, __COUNTER__)((fn), (arg))
extern "C" {
#else
#define SP_DEFER(fn, arg)                                                                      \
  __attribute__((cleanup(sp_defer_run))) struct sp_defer SP__CONCAT(sp_defer_, __COUNTER__) = \
      {(fn), (arg)}
#endif

/* ---- Synchronisation ----------------------------------------------------------------------- */

/* A mutual exclusion lock for green threads; contended lockers park. Zero-initialise it
 * (SP_MUTEX_INIT) before use. Fields are private. */
typedef struct sp_mutex {
  uint32_t state;   /* 0 unlocked, 1 locked */
  uint32_t guard;   /* protects the waiter list */
  void *waiters;    /* FIFO of parked green threads */
  void *waiters_tail;
} sp_mutex;
#define SP_MUTEX_INIT {0, 0, 0, 0}

SP__MAY_SWITCH void sp_mutex_lock(sp_mutex *mu);
/* sp_mutex_trylock() returns 1 when it took the lock. */
int sp_mutex_trylock(sp_mutex *mu);
/* sp_mutex_unlock() hands the lock to the longest waiter. Unlocking an unlocked mutex is fatal. */
void sp_mutex_unlock(sp_mutex *mu);

/* A wait group: sp_wg_wait() parks until the counter that sp_wg_add() moves drops to zero.
 * Zero-initialise it (SP_WAITGROUP_INIT). Fields are private. */
typedef struct sp_waitgroup {
  int64_t counter;
  uint32_t guard;
  uint32_t reserved;
  void *waiters;
} sp_waitgroup;
#define SP_WAITGROUP_INIT {0, 0, 0, 0}

/* sp_wg_add() adds delta to the counter; a negative counter is fatal. */
void sp_wg_add(sp_waitgroup *wg, int64_t delta);
/* sp_wg_done() is sp_wg_add(wg, -1). */
void sp_wg_done(sp_waitgroup *wg);
/* sp_wg_wait() parks until the counter is zero. */
SP__MAY_SWITCH void sp_wg_wait(sp_waitgroup *wg);

/* ---- Stop the world ------------------------------------------------------------------------ */

/* sp_stop_the_world() returns once every other running green thread is parked at a safepoint and
 * no other green thread runs until sp_start_the_world(). The caller must not block in between.
 * Green threads spinning in code without safepoints delay it (there is no way to stop them). */
SP__MAY_SWITCH void sp_stop_the_world(void);
void sp_start_the_world(void);

/* ---- Statistics ---------------------------------------------------------------------------- */

/* A latency histogram: bucket b counts values in [lower(b), lower(b+1)) nanoseconds, four buckets
 * per power of two (sp_histogram_percentile_ns reads it). */
#define SP_HIST_BUCKETS 256
typedef struct sp_histogram {
  uint64_t count;
  uint64_t sum_ns;
  uint64_t max_ns;
  uint64_t buckets[SP_HIST_BUCKETS];
} sp_histogram;

/* Counters since the runtime started (or since sp_stats_reset). */
typedef struct sp_stats {
  uint64_t switches;              /* green-thread switches (into a G) */
  uint64_t preemptions;           /* forced stops at a safepoint, all mechanisms */
  uint64_t preemptions_signal;    /* ... by a poll-page fault (thread-page, global-page) */
  uint64_t preemptions_flag;      /* ... by __sp_poll_slow (flag mode) */
  uint64_t preemptions_call;      /* ... by __sp_poll (call mode) */
  uint64_t preemptions_entry;     /* ... by a poisoned function-entry stack guard */
  uint64_t preemptions_deferred;  /* requests that found the green thread holding a lock or in a
                                     no-preemption region: they take effect after the release */
  uint64_t stop_the_worlds;
  sp_histogram preempt_latency;   /* from sysmon's request to the G stopping */
  sp_histogram time_to_safepoint; /* from sp_stop_the_world's request to the world stopped */
} sp_stats;

/* sp_stats_get() copies the current statistics. Usable anywhere. */
void sp_stats_get(sp_stats *out);
/* sp_stats_reset() zeroes them. */
void sp_stats_reset(void);
/* sp_histogram_percentile_ns() estimates the q-quantile (0 <= q <= 1) of h; 0 when h is empty. */
int64_t sp_histogram_percentile_ns(const sp_histogram *h, double q);

#ifdef __cplusplus
}
#endif

#pragma GCC visibility pop

#endif /* SAFEPOINT_H */
