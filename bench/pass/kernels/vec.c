/* vec.c - tight vectorizable loops: a float saxpy and an integer dot product.
 *
 * The loops the vectorizer is meant to own. A poll on their back-edge costs one load per vector
 * iteration when it goes in after vectorization, and can stop vectorization when it goes in before.
 * The length comes from argv so no pass can bound the trip count (and so elide the poll).
 *
 * With -DSP_BENCH_STRIP=K the loops are strip-mined by hand into chunks of at most K iterations: the
 * chunk loop has a constant maximum trip count, so the pass elides its poll and polls once per chunk
 * instead. This is what strip mining inside the pass would buy (run.py's strip-mining experiment). */
#include <stdio.h>
#include <stdlib.h>

#ifndef SP_BENCH_STRIP
static void saxpy(float a, const float *x, float *y, long n) {
  for (long i = 0; i < n; i++)
    y[i] = a * x[i] + y[i];
}

static long dot(const int *p, const int *q, long n) {
  long s = 0;
  for (long i = 0; i < n; i++)
    s += p[i] * q[i];
  return s;
}
#else
/* Full chunks have a constant trip count, which ScalarEvolution bounds even after vectorization (a
 * min(n - i0, K) bound it does not); only the last, partial chunk keeps a polled loop. */
static void saxpy(float a, const float *x, float *y, long n) {
  long i0 = 0;
  for (; n - i0 >= SP_BENCH_STRIP; i0 += SP_BENCH_STRIP)
    for (long i = i0; i < i0 + SP_BENCH_STRIP; i++)
      y[i] = a * x[i] + y[i];
  for (long i = i0; i < n; i++)
    y[i] = a * x[i] + y[i];
}

static long dot(const int *p, const int *q, long n) {
  long s = 0, i0 = 0;
  for (; n - i0 >= SP_BENCH_STRIP; i0 += SP_BENCH_STRIP)
    for (long i = i0; i < i0 + SP_BENCH_STRIP; i++)
      s += p[i] * q[i];
  for (long i = i0; i < n; i++)
    s += p[i] * q[i];
  return s;
}
#endif

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 4096;
  long reps = argc > 2 ? atol(argv[2]) : 60000;
  float *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
  int *p = malloc(n * sizeof *p), *q = malloc(n * sizeof *q);
  unsigned seed = 12345;
  for (long i = 0; i < n; i++) {
    seed = seed * 1103515245u + 12345u;
    x[i] = (float)(seed >> 16) / 65536.0f;
    y[i] = 1.0f - x[i];
    p[i] = (int)(seed >> 20) - 2048;
    q[i] = (int)(seed & 0xfff) - 2048;
  }
  long acc = 0;
  for (long r = 0; r < reps; r++) {
    /* Alternating signs keep y bounded over any number of repetitions. */
    saxpy(r & 1 ? 1e-3f : -1e-3f, x, y, n);
    acc += dot(p, q, n) ^ r;
  }
  double fsum = 0;
  for (long i = 0; i < n; i++)
    fsum += y[i];
  printf("vec: n=%ld reps=%ld dot=%ld ysum=%.9e\n", n, reps, acc, fsum);
  free(x), free(y), free(p), free(q);
  return 0;
}
