/* site_registry.c - the site tables of every linked image, as the pass's constructors register
 * them and its destructors withdraw them, and the PC -> site lookup the fault handler uses to
 * accept a fault as a poll.
 *
 * Registration happens in constructors (possibly later, from dlopen) and unregistration in
 * destructors (dlclose, exit); both may allocate and lock. Lookup happens in the SIGSEGV handler
 * and must be async-signal-safe, so it takes no lock: a slot is filled in completely, then
 * published by a release store of its `live` flag (and of the slot count, when it is new).
 * Unregistering clears `live`, then waits until no lookup is in progress (`lookups` counts them)
 * before it frees the slot's index: a lookup that saw the slot live may still be reading it, and
 * one that starts later skips it. The slot is then reused by the next registration, so
 * dlopen/dlclose cycles never run out of slots. Without unregistration, a library mapped where a
 * closed one was would have its polls looked up in the closed one's table (which is searched
 * first), and its records are gone. Each image's records are indexed by absolute PC in a sorted
 * array, searched by bisection. */
#include <pthread.h>
#include <stdlib.h>

#include "internal.h"

#define SP_MAX_IMAGES 1024

struct indexed_site {
  uintptr_t pc;
  const struct sp_site_record *record;
};

struct image {
  _Atomic bool live;
  const void *table; /* NULL: a free slot */
  uintptr_t lo, hi;  /* PC range */
  size_t count;
  struct indexed_site *sites;
};

static struct image images[SP_MAX_IMAGES];
static _Atomic size_t image_count; /* slots ever used; free ones among them have table == NULL */
static _Atomic int lookups;        /* sp__site_lookup calls in progress, in any thread */
static sp__lock_t register_lock;
static _Atomic bool global_page_sites;
static _Atomic bool thread_page_sites;
static _Atomic bool other_sites; /* any poll mode but global-page (entry checks aside) */

/* Whether any registered image polls the shared page directly: only then does asking one thread
 * to stop need the shared page protected (poll_pages.c). */
bool sp__have_global_page_sites(void) {
  return atomic_load_explicit(&global_page_sites, memory_order_relaxed);
}

/* Whether any registered image has thread-page polls: only then is arming a thread worth an
 * mprotect of its thread page (poll_pages.c); flag mode's arming stays a store. */
bool sp__have_thread_page_sites(void) {
  return atomic_load_explicit(&thread_page_sites, memory_order_relaxed);
}

/* Whether global-page polls are the only kind registered: then nothing cheaper can stop a G. */
bool sp__only_global_page_sites(void) {
  return sp__have_global_page_sites() && !atomic_load_explicit(&other_sites, memory_order_relaxed);
}

uintptr_t sp__site_pc(const struct sp_site_record *r) {
  return (uintptr_t)sp_site_field_address(&r->pc);
}

static int by_pc(const void *a, const void *b) {
  uintptr_t x = ((const struct indexed_site *)a)->pc, y = ((const struct indexed_site *)b)->pc;
  return x < y ? -1 : x > y;
}

__attribute__((visibility("default"))) void __sp_register_sites(const void *start,
                                                                const void *stop) {
  const struct sp_site_record *first = start, *last = stop;
  if (!first || last <= first)
    return;
  size_t n = (size_t)(last - first);
  sp__lock(&register_lock);
  size_t count = atomic_load(&image_count);
  size_t slot = count;
  for (size_t i = 0; i < count; i++) {
    if (images[i].table == start) { /* the same image registered twice */
      sp__unlock(&register_lock);
      return;
    }
    if (!images[i].table && slot == count)
      slot = i;
  }
  if (slot == SP_MAX_IMAGES)
    sp__fatal("runtime: too many images registered site tables");
  struct indexed_site *sites = malloc(n * sizeof(*sites));
  if (!sites)
    sp__fatal("out of memory (site registry)");
  for (size_t i = 0; i < n; i++) {
    sites[i].pc = sp__site_pc(&first[i]);
    sites[i].record = &first[i];
    /* Entry checks come with every mode and only stop a G that calls, so they do not count as a
     * cheaper way to stop a looping one. */
    if (first[i].mode == SP_MODE_GLOBAL_PAGE)
      atomic_store(&global_page_sites, true);
    else if (first[i].mode != SP_MODE_STACK_GUARD)
      atomic_store(&other_sites, true);
    if (first[i].mode == SP_MODE_THREAD_PAGE)
      atomic_store(&thread_page_sites, true);
  }
  qsort(sites, n, sizeof(*sites), by_pc);
  struct image *im = &images[slot];
  im->table = start;
  im->lo = sites[0].pc;
  im->hi = sites[n - 1].pc;
  im->count = n;
  im->sites = sites;
  atomic_store_explicit(&im->live, true, memory_order_release);
  if (slot == count)
    atomic_store_explicit(&image_count, count + 1, memory_order_release);
  sp__unlock(&register_lock);
}

/* Set by an atexit handler. exit() runs every atexit handler before any image's destructors (the
 * dynamic linker's own finaliser was registered first), so once destructors run at exit this is
 * set. Images stay mapped until the process is gone, and green threads on other Ms keep polling
 * while exit runs: their tables must stay too. */
static _Atomic bool process_exiting;

static void note_process_exit(void) { atomic_store(&process_exiting, true); }

__attribute__((constructor)) static void watch_process_exit(void) { atexit(note_process_exit); }

/* The image whose table is [start, stop) is going away (dlclose): forget its sites. At exit, it
 * stays. The flags for global-page, thread-page and other sites stay as they are: a stale
 * "yes" only makes sysmon escalate to the shared page, or arming mprotect a thread page, when it
 * need not. */
__attribute__((visibility("default"))) void __sp_unregister_sites(const void *start,
                                                                  const void *stop) {
  if (!start || stop <= start || atomic_load(&process_exiting))
    return;
  sp__lock(&register_lock);
  size_t count = atomic_load(&image_count);
  for (size_t i = 0; i < count; i++) {
    struct image *im = &images[i];
    if (im->table != start)
      continue;
    atomic_store(&im->live, false);
    while (atomic_load(&lookups) != 0)
      sched_yield(); /* a fault handler is reading some slot, perhaps this one: it is quick */
    free(im->sites);
    im->sites = NULL;
    im->table = NULL;
    break;
  }
  sp__unlock(&register_lock);
}

static const struct sp_site_record *lookup_live(uintptr_t pc) {
  size_t count = atomic_load_explicit(&image_count, memory_order_acquire);
  for (size_t i = 0; i < count; i++) {
    const struct image *im = &images[i];
    if (!atomic_load_explicit(&im->live, memory_order_acquire))
      continue;
    if (pc < im->lo || pc > im->hi)
      continue;
    size_t lo = 0, hi = im->count;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (im->sites[mid].pc < pc)
        lo = mid + 1;
      else
        hi = mid;
    }
    /* Several records may share a PC (e.g. an entry check and a loop poll); prefer a page-mode
     * one, the only kind a fault can come from. */
    const struct sp_site_record *any = NULL;
    for (; lo < im->count && im->sites[lo].pc == pc; lo++) {
      const struct sp_site_record *r = im->sites[lo].record;
      if (r->mode == SP_MODE_THREAD_PAGE || r->mode == SP_MODE_GLOBAL_PAGE)
        return r;
      any = r;
    }
    if (any)
      return any;
  }
  return NULL;
}

const struct sp_site_record *sp__site_lookup(uintptr_t pc) {
  /* Counted before any slot is read, so an unregistration that cleared `live` and then sees no
   * lookup in progress knows that nobody still reads the slot it frees (both sequentially
   * consistent). */
  atomic_fetch_add(&lookups, 1);
  const struct sp_site_record *r = lookup_live(pc);
  atomic_fetch_sub(&lookups, 1);
  return r;
}
