/* defer.c - the out-of-line half of SP_DEFER (the macro itself is in safepoint.h).
 *
 * A real function rather than an inline one, so every deferred call goes through one entry point
 * that the pass can recognise (site kind SP_SITE_DEFER) and tools can break on. */
#include "safepoint.h"

void sp_defer_run(struct sp_defer *d) {
  if (d->fn)
    d->fn(d->arg);
}
