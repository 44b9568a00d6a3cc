/* fatal.c - fatal errors: one `fatal error: ...` line on stderr, then abort.
 *
 * Misuse (sending on a closed channel, unlocking an unlocked mutex, a deadlock) must end the
 * process loudly rather than hang or limp on; the wording follows Go's so people recognise it. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

void sp__fatal(const char *msg) {
  char buf[512];
  size_t n = 0;
  const char *prefix = "fatal error: ";
  size_t plen = strlen(prefix), mlen = strlen(msg);
  if (mlen > sizeof(buf) - plen - 2)
    mlen = sizeof(buf) - plen - 2;
  memcpy(buf, prefix, plen);
  n = plen;
  memcpy(buf + n, msg, mlen);
  n += mlen;
  /* In the child of a fork every green thread but the forking one is gone (fork.c): misuse there
   * is most likely a call that needs the scheduler, so say where we are. */
  static const char child_note[] = " (in the child of fork(): the runtime does not run there)";
  if (sp__in_fork_child() && n + sizeof(child_note) < sizeof(buf)) {
    memcpy(buf + n, child_note, sizeof(child_note) - 1);
    n += sizeof(child_note) - 1;
  }
  buf[n++] = '\n';
  /* write(2), not stdio: this may run on a nearly exhausted stack or with stdio locks held. */
  ssize_t w = write(STDERR_FILENO, buf, n);
  (void)w;
  abort();
}

void sp__fatalf(const char *fmt, ...) {
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  sp__fatal(msg);
}
