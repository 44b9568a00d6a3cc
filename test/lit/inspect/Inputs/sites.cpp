// A small C++ program for the sp-inspect tests: loops the pass must poll (their trip counts are not
// known), a template instantiation (emitted in a COMDAT group, so its site records are too), calls,
// and namespaces, so the tests see demangled names.
#include <cstdio>
#include <cstdlib>

namespace work {
template <typename T> __attribute__((noinline)) T weighted_sum(const T *values, long n) {
  T sum = 0;
  for (long i = 0; i < n; ++i)
    sum += values[i] * T(i);
  return sum;
}

__attribute__((noinline)) long spin(long n) {
  long x = 1;
  for (long i = 0; i < n; ++i)
    x = x * 31 + i;
  return x;
}
} // namespace work

int main(int argc, char **argv) {
  long n = argc > 1 ? std::atol(argv[1]) : 1000;
  long values[64];
  for (long i = 0; i < 64; ++i)
    values[i] = i ^ n;
  std::printf("%ld %ld\n", work::spin(n), work::weighted_sum(values, 64));
  return 0;
}
