/* site_registry.c - the site tables of every linked image, as the pass's constructors register
 * them, and the PC -> site lookup the fault handler uses to accept a fault as a poll.
 *
 * Registration happens in constructors (possibly later, from dlopen) and may allocate and lock;
 * lookup happens in the SIGSEGV handler and must be async-signal-safe, so it takes no lock: an
 * image is filled in completely, then published by a release store of the image count, and
 * images are never removed (a dlclose'd library's table stays; its PCs simply never fault). Each
 * image's records are indexed by absolute PC in a sorted array, searched by bisection. */
#include <pthread.h>
#include <stdlib.h>

#include "internal.h"

#define SP_MAX_IMAGES 1024

struct indexed_site {
  uintptr_t pc;
  const struct sp_site_record *record;
};

struct image {
  const void *table;
  uintptr_t lo, hi; /* PC range */
  size_t count;
  struct indexed_site *sites;
};

static struct image images[SP_MAX_IMAGES];
static _Atomic size_t image_count;
static sp__lock_t register_lock;
static _Atomic bool global_page_sites;
static _Atomic bool other_sites; /* any poll mode but global-page (entry checks aside) */

/* Whether any registered image polls the shared page directly: only then does asking one thread
 * to stop need the shared page protected (poll_pages.c). */
bool sp__have_global_page_sites(void) {
  return atomic_load_explicit(&global_page_sites, memory_order_relaxed);
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
  for (size_t i = 0; i < count; i++) {
    if (images[i].table == start) { /* the same image registered twice */
      sp__unlock(&register_lock);
      return;
    }
  }
  if (count == SP_MAX_IMAGES)
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
  }
  qsort(sites, n, sizeof(*sites), by_pc);
  images[count] = (struct image){start, sites[0].pc, sites[n - 1].pc, n, sites};
  atomic_store_explicit(&image_count, count + 1, memory_order_release);
  sp__unlock(&register_lock);
}

const struct sp_site_record *sp__site_lookup(uintptr_t pc) {
  size_t count = atomic_load_explicit(&image_count, memory_order_acquire);
  for (size_t i = 0; i < count; i++) {
    const struct image *im = &images[i];
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
