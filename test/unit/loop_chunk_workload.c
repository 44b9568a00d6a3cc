/* loop_chunk_workload.c - loops of bounded work that the pass makes poll once per chunk of iterations
 * (plugin/LoopPollChunks.h), compiled once per poll mode: counted loops it strip-mines (a vectorized
 * one among them), loops without a trip count it counts down, and a counted loop too long to
 * strip-mine in the page modes. loop_chunks_test.cpp checks their
 * results against plain code at chunk boundaries and that their long runs are preempted. */
#include <stdint.h>

#define SP_CAT2(a, b) a##b
#define SP_CAT(a, b) SP_CAT2(a, b)
#define SP_NAME(name) SP_CAT(SP_HOG_PREFIX, name)

uint64_t SP_NAME(_vector_sum)(uint64_t n);
uint64_t SP_NAME(_lcg_steps)(uint64_t seed, uint64_t n);
uint64_t SP_NAME(_down_by_four)(int64_t from, int64_t to);
uint64_t SP_NAME(_wrapping_u16)(uint16_t from, uint16_t to);
uint64_t SP_NAME(_lcg_until)(uint64_t seed, uint64_t target);
uint64_t SP_NAME(_long_body)(uint64_t seed, uint64_t n);

/* Vectorized: an add reduction of values ScalarEvolution cannot sum in closed form. */
uint64_t SP_NAME(_vector_sum)(uint64_t n) {
  uint64_t sum = 0;
  for (uint64_t i = 0; i < n; ++i)
    sum += (i * 2654435761u) >> 7;
  return sum;
}

/* A scalar counted loop with a dependent multiply: n steps of an LCG. */
uint64_t SP_NAME(_lcg_steps)(uint64_t seed, uint64_t n) {
  uint64_t x = seed;
  for (uint64_t i = 0; i != n; ++i)
    x = x * 6364136223846793005ull + 1442695040888963407ull;
  return x;
}

/* A negative power-of-two step. */
uint64_t SP_NAME(_down_by_four)(int64_t from, int64_t to) {
  uint64_t x = 0;
  for (int64_t i = from; i != to; i -= 4)
    x = x * 31 + (uint64_t)i;
  return x;
}

/* A 16-bit induction variable that wraps around before it reaches its limit. */
uint64_t SP_NAME(_wrapping_u16)(uint16_t from, uint16_t to) {
  uint64_t x = 0;
  for (uint16_t i = from; i != to; i += 2)
    x = x * 31 + i;
  return x;
}

/* No trip count: runs the LCG until it reaches target, and returns how many steps that took. */
uint64_t SP_NAME(_lcg_until)(uint64_t seed, uint64_t target) {
  uint64_t steps = 0;
  for (uint64_t x = seed; x != target; x = x * 6364136223846793005ull + 1442695040888963407ull)
    ++steps;
  return steps;
}

/* A counted loop whose body is longer than strip-mining pays for (more than strip-mining-max-body
 * instructions): in the page modes it polls on every back-edge, in the others it is strip-mined. */
uint64_t SP_NAME(_long_body)(uint64_t seed, uint64_t n) {
  uint64_t x = seed;
  for (uint64_t i = 0; i != n; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    x ^= x >> 17;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 29;
    x += i;
    x ^= x << 7;
    x *= 31;
    x ^= x >> 11;
    x += 977;
    x *= 5;
    x ^= x >> 3;
    x += x << 13;
    x ^= x >> 23;
    x *= 0x9e3779b97f4a7c15ull;
  }
  return x;
}
