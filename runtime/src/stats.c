/* stats.c - runtime statistics: counters and latency histograms (sp_stats).
 *
 * Histograms have four buckets per power of two of nanoseconds, so a percentile is exact to
 * within 25% over the whole range from 1 ns to centuries, in a fixed 2 KiB. Updates are relaxed
 * atomic increments: cheap, and a reader sees each counter exactly, though not all at one instant. */
#include <string.h>

#include "internal.h"

static sp_stats stats;

static int bucket_of(uint64_t v) {
  if (v < 4)
    return (int)v;
  int e = 63 - __builtin_clzll(v);
  int sub = (int)((v >> (e - 2)) & 3);
  return 4 * (e - 1) + sub;
}

static uint64_t bucket_lower(int b) {
  if (b < 4)
    return (uint64_t)b;
  int e = b / 4 + 1;
  return (uint64_t)(4 + b % 4) << (e - 2);
}

static void add(uint64_t *p, uint64_t v) { __atomic_fetch_add(p, v, __ATOMIC_RELAXED); }

static void hist_record(sp_histogram *h, uint64_t v) {
  add(&h->count, 1);
  add(&h->sum_ns, v);
  add(&h->buckets[bucket_of(v)], 1);
  uint64_t max = __atomic_load_n(&h->max_ns, __ATOMIC_RELAXED);
  while (v > max && !__atomic_compare_exchange_n(&h->max_ns, &max, v, true, __ATOMIC_RELAXED,
                                                 __ATOMIC_RELAXED)) {
  }
}

/* Switches are counted per P (a shared counter would be a contended atomic on every switch) and
 * added up when read, and when the runtime stops. */
static uint64_t running_switches(void) {
  uint64_t n = 0;
  if (atomic_load(&sp__sched.running))
    for (int i = 0; i < sp__sched.nprocs; i++) {
      sp_p *p = __atomic_load_n(&sp__sched.allp[i], __ATOMIC_ACQUIRE); /* swapped by sysmon */
      if (p)
        n += __atomic_load_n(&p->switches, __ATOMIC_RELAXED);
    }
  return n;
}

static uint64_t switches_base; /* subtracted: the P counters' value at the last reset */

void sp__stats_fold_switches(void) {
  add(&stats.switches, running_switches() - switches_base);
  switches_base = 0;
}

void sp__stats_preempt(int via, int64_t latency_ns, const struct sp_site_record *site) {
  (void)site;
  add(&stats.preemptions, 1);
  switch (via) {
  case SP_VIA_SIGNAL: add(&stats.preemptions_signal, 1); break;
  case SP_VIA_FLAG: add(&stats.preemptions_flag, 1); break;
  case SP_VIA_CALL: add(&stats.preemptions_call, 1); break;
  default: add(&stats.preemptions_entry, 1); break;
  }
  if (latency_ns >= 0)
    hist_record(&stats.preempt_latency, (uint64_t)latency_ns);
}

void sp__stats_preempt_deferred(void) { add(&stats.preemptions_deferred, 1); }

void sp__stats_stw(int64_t tts_ns) {
  add(&stats.stop_the_worlds, 1);
  hist_record(&stats.time_to_safepoint, tts_ns > 0 ? (uint64_t)tts_ns : 0);
}

void sp__stats_reset(void) {
  uint64_t *w = (uint64_t *)&stats;
  for (size_t i = 0; i < sizeof(stats) / sizeof(uint64_t); i++)
    __atomic_store_n(&w[i], 0, __ATOMIC_RELAXED);
  switches_base = running_switches();
}

void sp_stats_get(sp_stats *out) {
  const uint64_t *r = (const uint64_t *)&stats;
  uint64_t *w = (uint64_t *)out;
  for (size_t i = 0; i < sizeof(stats) / sizeof(uint64_t); i++)
    w[i] = __atomic_load_n(&r[i], __ATOMIC_RELAXED);
  out->switches += running_switches() - switches_base;
}

void sp_stats_reset(void) { sp__stats_reset(); }

int64_t sp_histogram_percentile_ns(const sp_histogram *h, double q) {
  if (h->count == 0)
    return 0;
  if (q < 0)
    q = 0;
  if (q > 1)
    q = 1;
  uint64_t rank = (uint64_t)(q * (double)(h->count - 1)) + 1, seen = 0;
  for (int b = 0; b < SP_HIST_BUCKETS; b++) {
    seen += h->buckets[b];
    if (seen >= rank) {
      /* The middle of the bucket, but never above the largest value seen. */
      uint64_t lo = bucket_lower(b), hi = b + 1 < SP_HIST_BUCKETS ? bucket_lower(b + 1) : lo;
      uint64_t v = lo + (hi - lo) / 2;
      return (int64_t)(v > h->max_ns ? h->max_ns : v);
    }
  }
  return (int64_t)h->max_ns;
}
