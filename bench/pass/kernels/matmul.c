/* matmul.c - nested loops: a dense double-precision matrix multiply in i-k-j order.
 *
 * The innermost j loop vectorizes; the k and i loops around it poll on their own back-edges.
 * -DSP_BENCH_STRIP=K strip-mines the j loop by hand, as in vec.c. */
#include <stdio.h>
#include <stdlib.h>

static void matmul(const double *a, const double *b, double *c, long n) {
  for (long i = 0; i < n; i++)
    for (long k = 0; k < n; k++) {
      double aik = a[i * n + k];
#ifndef SP_BENCH_STRIP
      for (long j = 0; j < n; j++)
        c[i * n + j] += aik * b[k * n + j];
#else
      long j0 = 0;
      for (; n - j0 >= SP_BENCH_STRIP; j0 += SP_BENCH_STRIP)
        for (long j = j0; j < j0 + SP_BENCH_STRIP; j++)
          c[i * n + j] += aik * b[k * n + j];
      for (long j = j0; j < n; j++)
        c[i * n + j] += aik * b[k * n + j];
#endif
    }
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 200;
  long reps = argc > 2 ? atol(argv[2]) : 40;
  double *a = malloc(n * n * sizeof *a), *b = malloc(n * n * sizeof *b);
  double *c = calloc(n * n, sizeof *c);
  unsigned seed = 777;
  for (long i = 0; i < n * n; i++) {
    seed = seed * 1103515245u + 12345u;
    a[i] = (double)(seed >> 16) / 65536.0 - 0.5;
    seed = seed * 1103515245u + 12345u;
    b[i] = (double)(seed >> 16) / 65536.0 - 0.5;
  }
  for (long r = 0; r < reps; r++)
    matmul(a, b, c, n);
  double trace = 0, sum = 0;
  for (long i = 0; i < n; i++)
    trace += c[i * n + i];
  for (long i = 0; i < n * n; i++)
    sum += c[i];
  printf("matmul: n=%ld reps=%ld trace=%.12e sum=%.12e\n", n, reps, trace, sum);
  free(a), free(b), free(c);
  return 0;
}
