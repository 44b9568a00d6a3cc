/* The other half of the mutual recursion in first-call-polls.c. */
long this_side(long n);
__attribute__((noinline)) long other_mix(long x) { return x ^ (x >> 3); }
__attribute__((noinline)) long mix2(long x) { return other_mix(x * 17 + 3); }
long other_side(long n) {
  long m = mix2(n);
  return n < 2 ? m & 1 : this_side(n - 1) + other_side(n - 2) + (m & 1);
}
