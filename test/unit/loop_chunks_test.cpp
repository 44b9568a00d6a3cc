// loop_chunks_test.cpp - loops the pass makes poll once per chunk of iterations (strip-mined counted
// loops, counted-down loops without a trip count; loop_chunk_workload.c, compiled in every poll mode)
// give the results of plain code at and around every chunk boundary while green threads are
// preempted and migrate, and a long run of each is still preempted on one P.
#include "runtime_test_util.h"

#include <cstdint>
#include <vector>

extern "C" {
#define SP_DECLARE_CHUNK_LOOPS(prefix)                           \
  uint64_t prefix##_vector_sum(uint64_t n);                      \
  uint64_t prefix##_lcg_steps(uint64_t seed, uint64_t n);        \
  uint64_t prefix##_down_by_four(int64_t from, int64_t to);      \
  uint64_t prefix##_wrapping_u16(uint16_t from, uint16_t to);    \
  uint64_t prefix##_lcg_until(uint64_t seed, uint64_t target);   \
  uint64_t prefix##_long_body(uint64_t seed, uint64_t n);
SP_DECLARE_CHUNK_LOOPS(sp_chunks_thread_page)
SP_DECLARE_CHUNK_LOOPS(sp_chunks_global_page)
SP_DECLARE_CHUNK_LOOPS(sp_chunks_flag)
SP_DECLARE_CHUNK_LOOPS(sp_chunks_call)
}

namespace {

struct Variant {
  const char *name;
  uint64_t (*vector_sum)(uint64_t);
  uint64_t (*lcg_steps)(uint64_t, uint64_t);
  uint64_t (*down_by_four)(int64_t, int64_t);
  uint64_t (*wrapping_u16)(uint16_t, uint16_t);
  uint64_t (*lcg_until)(uint64_t, uint64_t);
  uint64_t (*long_body)(uint64_t, uint64_t);
};

#define SP_CHUNK_VARIANT(name, prefix)                                                      \
  {name, prefix##_vector_sum, prefix##_lcg_steps, prefix##_down_by_four, prefix##_wrapping_u16, \
   prefix##_lcg_until, prefix##_long_body}
const Variant kVariants[] = {
    SP_CHUNK_VARIANT("ThreadPage", sp_chunks_thread_page),
    SP_CHUNK_VARIANT("GlobalPage", sp_chunks_global_page),
    SP_CHUNK_VARIANT("Flag", sp_chunks_flag),
    SP_CHUNK_VARIANT("Call", sp_chunks_call),
};

// The same loops, in this file, which the pass does not instrument. volatile keeps the compiler
// from turning them into the shapes under test (or into closed forms).
uint64_t PlainVectorSum(uint64_t n) {
  uint64_t sum = 0;
  for (volatile uint64_t i = 0; i < n; i = i + 1)
    sum += (i * 2654435761u) >> 7;
  return sum;
}
uint64_t Lcg(uint64_t x) { return x * 6364136223846793005ull + 1442695040888963407ull; }
uint64_t PlainLcgSteps(uint64_t seed, uint64_t n) {
  for (volatile uint64_t i = 0; i != n; i = i + 1)
    seed = Lcg(seed);
  return seed;
}
uint64_t PlainDownByFour(int64_t from, int64_t to) {
  uint64_t x = 0;
  for (volatile int64_t i = from; i != to; i = i - 4)
    x = x * 31 + (uint64_t)i;
  return x;
}
uint64_t PlainWrappingU16(uint16_t from, uint16_t to) {
  uint64_t x = 0;
  for (volatile uint16_t i = from; i != to; i = uint16_t(i + 2))
    x = x * 31 + i;
  return x;
}
uint64_t PlainLongBody(uint64_t seed, uint64_t n) {
  uint64_t x = seed;
  for (volatile uint64_t i = 0; i != n; i = i + 1) {
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

// Trip counts around the chunk boundaries: strip-mined chunks of 1000 iterations (the default
// max-elided-trips; a vector iteration counts as one), counters of 1024 back-edges.
std::vector<uint64_t> BoundaryCounts() {
  std::vector<uint64_t> counts;
  for (uint64_t base : {0ull, 1000ull, 1024ull, 2000ull, 2048ull, 3000ull, 4000ull, 8000ull,
                        16000ull, 32000ull})
    for (int64_t delta = -9; delta <= 9; delta++)
      if ((int64_t)base + delta >= 0)
        counts.push_back(base + delta);
  counts.push_back(123457);
  return counts;
}

class LoopChunks : public ::testing::TestWithParam<std::tuple<int, int>> {
 protected:
  const Variant &variant() const { return kVariants[std::get<0>(GetParam())]; }
  int procs() const { return std::get<1>(GetParam()); }
};

// Every loop, at every boundary count, in four green threads preempted every 100 us, as often as it
// takes for the runtime to count 50 preemptions.
TEST_P(LoopChunks, ResultsMatchPlainCodeAtChunkBoundaries) {
  const Variant &v = variant();
  std::vector<uint64_t> counts = BoundaryCounts();
  std::atomic<int> mismatches{0};
  sp_test::RunGreen(
      procs(),
      [&] {
        sp_test::RepeatUntilPreempted(50, 1, [&] {
          sp_waitgroup wg = SP_WAITGROUP_INIT;
          sp_wg_add(&wg, 4);
          for (int worker = 0; worker < 4; worker++)
            sp_test::Go([&, worker] {
              for (size_t k = worker; k < counts.size(); k += 4) {
                uint64_t n = counts[k];
                mismatches += v.vector_sum(n) != PlainVectorSum(n);
                mismatches += v.lcg_steps(n, n) != PlainLcgSteps(n, n);
                mismatches += v.lcg_until(n, PlainLcgSteps(n, n)) != n;
                mismatches += v.long_body(n, n) != PlainLongBody(n, n);
                mismatches += v.down_by_four(4 * (int64_t)n - 7, -7) != PlainDownByFour(4 * n - 7, -7);
                mismatches += v.down_by_four(-3, -3 - 4 * (int64_t)n) !=
                              PlainDownByFour(-3, -3 - 4 * (int64_t)n);
                uint16_t to = uint16_t(2 * n);
                mismatches += v.wrapping_u16(0, to) != PlainWrappingU16(0, to);
                // Starts above the limit: the variable wraps around 2^16 on the way.
                mismatches += v.wrapping_u16(uint16_t(to + 6), to) !=
                              PlainWrappingU16(uint16_t(to + 6), to);
              }
              sp_wg_done(&wg);
            });
          sp_wg_wait(&wg);
        });
      },
      "quantum=100");
  EXPECT_EQ(mismatches.load(), 0);
}

std::string Name(const ::testing::TestParamInfo<std::tuple<int, int>> &info) {
  return std::string(kVariants[std::get<0>(info.param)].name) + "Procs" +
         std::to_string(std::get<1>(info.param));
}

INSTANTIATE_TEST_SUITE_P(Modes, LoopChunks,
                         ::testing::Combine(::testing::Range(0, 4), ::testing::Values(1, 2, 4)),
                         Name);

// On one P beside a ticker: a long strip-mined loop (vectorized and scalar) and a long counted-down
// one each let the ticker tick, and still compute what plain code computes.
class LoopChunkHogs : public ::testing::TestWithParam<int> {
 protected:
  const Variant &variant() const { return kVariants[GetParam()]; }
};

constexpr uint64_t kHogSteps = 60000000;

TEST_P(LoopChunkHogs, StripMinedVectorLoopIsPreempted) {
  uint64_t got = 0;
  EXPECT_GE(sp_test::TicksBesideHog([&] { got = variant().vector_sum(4 * kHogSteps); }), 1);
  EXPECT_EQ(got, PlainVectorSum(4 * kHogSteps));
}

TEST_P(LoopChunkHogs, StripMinedScalarLoopIsPreempted) {
  uint64_t got = 0;
  EXPECT_GE(sp_test::TicksBesideHog([&] { got = variant().lcg_steps(1, kHogSteps); }), 1);
  EXPECT_EQ(got, PlainLcgSteps(1, kHogSteps));
}

// Polled on every back-edge in the page modes (its body is too long for strip-mining to pay),
// strip-mined in the others.
TEST_P(LoopChunkHogs, LongBodyLoopIsPreempted) {
  uint64_t got = 0;
  EXPECT_GE(sp_test::TicksBesideHog([&] { got = variant().long_body(1, kHogSteps / 4); }), 1);
  EXPECT_EQ(got, PlainLongBody(1, kHogSteps / 4));
}

TEST_P(LoopChunkHogs, CountedDownLoopIsPreempted) {
  uint64_t target = PlainLcgSteps(1, kHogSteps), got = 0;
  EXPECT_GE(sp_test::TicksBesideHog([&] { got = variant().lcg_until(1, target); }), 1);
  EXPECT_EQ(got, kHogSteps);
}

std::string HogName(const ::testing::TestParamInfo<int> &info) { return kVariants[info.param].name; }

INSTANTIATE_TEST_SUITE_P(Modes, LoopChunkHogs, ::testing::Range(0, 4), HogName);

}  // namespace
