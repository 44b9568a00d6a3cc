/* debug_env.c - the runtime's configuration from the environment: SPMAXPROCS and SPDEBUG.
 *
 * SPDEBUG is a comma-separated list of key=value pairs, like GODEBUG. An unknown key or a value
 * that does not parse is reported on stderr (a typo must not silently leave a knob at its
 * default) and otherwise ignored. Keys (docs/runtime.md):
 *   quantum=<µs>        how long a green thread runs before sysmon asks it to stop (10000)
 *   asyncpreemptoff=1   never force preemption; only blocking calls and sp_yield switch
 *   schedtrace=<ms>     print a SCHED line every <ms> milliseconds
 *   scheddetail=1       with schedtrace, also print every P, M and G
 *   stacksize=<KiB>     size of each green-thread stack (256) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

struct sp__config sp__config;

static bool parse_int(const char *s, size_t n, int64_t *out) {
  if (n == 0 || n > 18)
    return false;
  int64_t v = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

static void apply(const char *key, size_t klen, const char *val, size_t vlen) {
  int64_t v;
  bool ok = parse_int(val, vlen, &v);
#define KEY(name) (klen == sizeof(name) - 1 && memcmp(key, name, klen) == 0)
  if (KEY("quantum")) {
    ok = ok && v > 0;
    if (ok)
      sp__config.quantum_ns = v * 1000;
  } else if (KEY("asyncpreemptoff")) {
    if (ok)
      sp__config.asyncpreemptoff = v != 0;
  } else if (KEY("schedtrace")) {
    if (ok)
      sp__config.schedtrace_ms = v;
  } else if (KEY("scheddetail")) {
    if (ok)
      sp__config.scheddetail = v != 0;
  } else if (KEY("stacksize")) {
    ok = ok && v >= 32 && v <= 1024 * 1024;
    if (ok)
      sp__config.stack_size = (size_t)(v * 1024 + 4095) & ~(size_t)4095;
  } else {
    fprintf(stderr, "safepoint: SPDEBUG: unknown key \"%.*s\" (known: quantum, asyncpreemptoff, "
                    "schedtrace, scheddetail, stacksize)\n", (int)klen, key);
    return;
  }
#undef KEY
  if (!ok)
    fprintf(stderr, "safepoint: SPDEBUG: bad value \"%.*s\" for %.*s, ignored\n", (int)vlen, val,
            (int)klen, key);
}

void sp__config_load(void) {
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  sp__config.maxprocs = cpus > 0 ? (int)cpus : 1;
  sp__config.quantum_ns = 10 * 1000 * 1000;
  sp__config.asyncpreemptoff = false;
  sp__config.schedtrace_ms = 0;
  sp__config.scheddetail = false;
  sp__config.stack_size = 256 * 1024;

  const char *procs = getenv("SPMAXPROCS");
  if (procs && *procs) {
    int64_t v;
    if (parse_int(procs, strlen(procs), &v) && v >= 1)
      sp__config.maxprocs = v > SP_MAX_PROCS ? SP_MAX_PROCS : (int)v;
    else
      fprintf(stderr, "safepoint: SPMAXPROCS=\"%s\" is not a positive number, ignored\n", procs);
  }

  const char *dbg = getenv("SPDEBUG");
  while (dbg && *dbg) {
    const char *end = strchr(dbg, ',');
    size_t len = end ? (size_t)(end - dbg) : strlen(dbg);
    const char *eq = memchr(dbg, '=', len);
    if (len > 0) {
      if (eq)
        apply(dbg, (size_t)(eq - dbg), eq + 1, len - (size_t)(eq - dbg) - 1);
      else
        apply(dbg, len, "", 0);
    }
    dbg = end ? end + 1 : NULL;
  }
}
