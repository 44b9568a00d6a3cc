/* A green thread that spins only where rule E6 removed entry polls, beside a ticker that sleeps 1 ms
 * at a time on the same P: it must be preempted while it spins (the ticker ticks). "qsort": the
 * comparator's first call is to key_of, which polls, so the comparator has no poll of its own, and
 * qsort's loops are the C library's. "mutual": a recursion across two translation units
 * (first-call-polls-other.c) whose functions first call a function that polls. */
#include <safepoint.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile int ticks;
static volatile int done;

static void ticker(void *arg) {
  (void)arg;
  while (!done) {
    sp_sleep_ns(1000000);
    ticks++;
  }
}

/* A key function that unseen code may call: it polls at entry. */
__attribute__((noinline)) unsigned key_of(const void *p) { return *(const unsigned *)p * 2654435761u; }

/* qsort's comparator: its first call is to key_of, so it has no poll of its own (E6). */
int by_key(const void *a, const void *b) {
  unsigned ka = key_of(a), kb = key_of(b);
  return ka < kb ? -1 : ka > kb;
}

/* Mutual recursion across two translation units (first-call-polls-other.c): each side first calls a
 * function that polls. */
long other_side(long n);
long other_mix(long x);
/* Polls at entry with the stack-guard compare: it calls the other module. */
__attribute__((noinline)) long mix(long x) { return other_mix(x * 31 + 7); }
long this_side(long n) {
  long m = mix(n);
  return n < 2 ? m & 1 : other_side(n - 1) + this_side(n - 2) + (m & 1);
}

static long spin(const char *what) {
  if (!strcmp(what, "qsort")) {
    size_t n = 1000000;
    unsigned *v = malloc(n * sizeof *v);
    for (size_t i = 0; i < n; i++)
      v[i] = (unsigned)(i * 7919u);
    qsort(v, n, sizeof *v, by_key);
    long r = v[0];
    free(v);
    return r;
  }
  if (!strcmp(what, "mutual"))
    return this_side(32);
  return -1;
}

static int body(int argc, char **argv) {
  (void)argc;
  sp_go(ticker, NULL);
  sp_sleep_ns(3000000);
  int before = ticks;
  long r = spin(argv[1]);
  int during = ticks - before;
  done = 1;
  printf("%s: result %ld, ticked while spinning: %s\n", argv[1], r, during > 2 ? "yes" : "no");
  return 0;
}

int main(int argc, char **argv) { return sp_main(body, argc, argv); }
