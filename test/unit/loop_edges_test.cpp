// loop_edges_test.cpp - the pass's loop rewriting (strip-mined and counted-down loops, polls on each
// back-edge of a dispatch loop) against loops with unusual induction variables
// (loop_edge_workload.c): every loop of the workload, compiled in each poll mode, gives what the
// same source compiled without the pass (at -O0) gives, on starts and ends at its type's limits,
// across its wrap-around, and on trip counts around the chunk size, in green threads preempted every
// 100 us that migrate between Ps. The site table shows that the loops did get their polls.
#include "loop_edge_workload.h"
#include "runtime_test_util.h"
#include "safepoint_abi.h"

#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <unistd.h>
#include <vector>

extern "C" {
#define SP_DECLARE_EDGE_LOOPS(id, Name)                    \
  extern const sp_edge_loop sp_edges_##id##_loops[];        \
  extern const unsigned sp_edges_##id##_loop_count;
SP_FOR_EACH_POLL_MODE(SP_DECLARE_EDGE_LOOPS)
#define SP_DECLARE_CHUNK3_LOOPS(id, Name) SP_DECLARE_EDGE_LOOPS(chunk3_##id, Name)
SP_FOR_EACH_POLL_MODE(SP_DECLARE_CHUNK3_LOOPS)
SP_DECLARE_EDGE_LOOPS(plain, Plain)
#define SP_DECLARE_ENDLESS_LOOPS(id, Name)                                                      \
  void sp_edges_##id##_endless_up(uint64_t start, uint64_t end, volatile uint64_t *sink);      \
  void sp_edges_##id##_endless_down(uint64_t start, uint64_t end, volatile uint64_t *sink);
SP_FOR_EACH_POLL_MODE(SP_DECLARE_ENDLESS_LOOPS)
#define SP_DECLARE_CHUNK3_ENDLESS_LOOPS(id, Name) SP_DECLARE_ENDLESS_LOOPS(chunk3_##id, Name)
SP_FOR_EACH_POLL_MODE(SP_DECLARE_CHUNK3_ENDLESS_LOOPS)

extern const struct sp_site_record __start_sp_sites[] __attribute__((weak, visibility("hidden")));
extern const struct sp_site_record __stop_sp_sites[] __attribute__((weak, visibility("hidden")));
}

namespace {

using EndlessLoop = void (*)(uint64_t start, uint64_t end, volatile uint64_t *sink);

struct Variant {
  const char *name;
  const char *prefix;  // of its functions' names
  const sp_edge_loop *loops;
  const unsigned &count;
  sp_poll_mode mode;
  EndlessLoop endless_up, endless_down;
};

#define SP_EDGE_VARIANT(id, Name, mode)                                                     \
  {#Name, "sp_edges_" #id "_", sp_edges_##id##_loops, sp_edges_##id##_loop_count, mode, sp_edges_##id##_endless_up, \
   sp_edges_##id##_endless_down}
// Each poll mode at -O2, and again with chunks of 3 iterations (-sp-max-elided-trips=3).
const Variant kVariants[] = {
    SP_EDGE_VARIANT(thread_page, ThreadPage, SP_MODE_THREAD_PAGE),
    SP_EDGE_VARIANT(global_page, GlobalPage, SP_MODE_GLOBAL_PAGE),
    SP_EDGE_VARIANT(flag, Flag, SP_MODE_FLAG),
    SP_EDGE_VARIANT(call, Call, SP_MODE_CALL),
    SP_EDGE_VARIANT(chunk3_thread_page, ThreadPageChunk3, SP_MODE_THREAD_PAGE),
    SP_EDGE_VARIANT(chunk3_global_page, GlobalPageChunk3, SP_MODE_GLOBAL_PAGE),
    SP_EDGE_VARIANT(chunk3_flag, FlagChunk3, SP_MODE_FLAG),
    SP_EDGE_VARIANT(chunk3_call, CallChunk3, SP_MODE_CALL),
};

// Words of the buffer that loops indexing memory (and interpreters, for their code) get.
constexpr int64_t kBufWords = (1 << 20) + (1 << 13);
// Words either side of what a loop should touch that the test also compares, to catch stray stores.
constexpr int64_t kMargin = 16;

using i128 = __int128;

i128 TypeMin(const sp_edge_loop &l) { return l.is_signed ? -(i128(1) << (l.bits - 1)) : 0; }
i128 TypeMax(const sp_edge_loop &l) {
  return l.is_signed ? (i128(1) << (l.bits - 1)) - 1 : (i128(1) << l.bits) - 1;
}
bool InRange(const sp_edge_loop &l, i128 v) { return v >= TypeMin(l) && v <= TypeMax(l); }
// v modulo 2^bits, as the type holds it.
i128 Wrap(const sp_edge_loop &l, i128 v) {
  i128 period = i128(1) << l.bits;
  v %= period;
  if (v < 0)
    v += period;
  return v > TypeMax(l) ? v - period : v;
}
// Whether `i += step` may wrap in C without undefined behaviour: unsigned variables, and signed ones
// narrower than int (the addition is in int; clang converts the result back modulo 2^bits).
bool MayWrap(const sp_edge_loop &l) { return !l.is_signed || l.bits < 32; }
bool IndexesBuffer(const sp_edge_loop &l) {
  return l.shape == SP_EDGE_STORE || l.shape == SP_EDGE_STORE_LT || l.shape == SP_EDGE_POINTER;
}

// How many values the loop's variable takes before it repeats: 2^bits over |step|'s largest
// power-of-two divisor.
i128 Values(const sp_edge_loop &l) {
  return (i128(1) << l.bits) >> __builtin_ctzll(uint64_t(l.step < 0 ? -l.step : l.step));
}

struct Case {
  unsigned loop;
  uint64_t start, end;
  int64_t lo, hi;  // buf[lo, hi) is prepared before the call and compared after it
};

// The loop's end for `trips` iterations from start, if the C source is well-defined and terminates
// for it; lo and hi get the words of the buffer it may touch.
bool EndFor(const sp_edge_loop &l, i128 start, uint64_t trips, i128 &end, int64_t &lo, int64_t &hi) {
  i128 step = l.step, last = start + i128(trips) * step;  // the variable's value after `trips` steps
  lo = hi = 0;
  switch (l.shape) {
    case SP_EDGE_TO_ZERO:
    case SP_EDGE_FROM_ZERO:
      // The loop's constant end or start must be the case's.
      if ((l.shape == SP_EDGE_TO_ZERO && Wrap(l, last) != 0) ||
          (l.shape == SP_EDGE_FROM_ZERO && start != 0))
        return false;
      [[fallthrough]];
    case SP_EDGE_NE:
    case SP_EDGE_TWO_VARIABLES:
    case SP_EDGE_EARLY_EXIT:
    case SP_EDGE_NESTED:
    case SP_EDGE_NESTED_MASK:
      if (!MayWrap(l) && !InRange(l, last))
        return false;
      end = Wrap(l, last);
      return true;
    case SP_EDGE_INCLUSIVE:
      if (trips == 0 || (!MayWrap(l) && !InRange(l, last - step)))
        return false;
      end = Wrap(l, last - step);
      return true;
    case SP_EDGE_LT:
    case SP_EDGE_GT:
    case SP_EDGE_STORE_LT:
      // The variable must not wrap past the limit (it would start over, or overflow).
      if (!InRange(l, last))
        return false;
      end = trips == 0 ? start : last - step + (step > 0 ? 1 : -1);
      break;
    case SP_EDGE_STORE:
    case SP_EDGE_POINTER:
      if (MayWrap(l) && l.shape == SP_EDGE_STORE && !InRange(l, last) && l.bits <= 16) {
        // Wraps around the type, whose every value indexes the buffer.
        end = Wrap(l, last);
        lo = 0, hi = i128(1) << l.bits;
        return true;
      }
      if (!InRange(l, last))
        return false;
      end = last;
      break;
    default:
      return false;
  }
  if (IndexesBuffer(l)) {
    if (trips == 0) {
      lo = hi = 0;
      return start >= 0 && start <= kBufWords;
    }
    i128 first = start, final = start + i128(trips - 1) * step;
    i128 low = first < final ? first : final, high = first < final ? final : first;
    if (low < 0 || high >= kBufWords || end < 0 || end > kBufWords)
      return false;
    lo = int64_t(low > kMargin ? low - kMargin : 0);
    hi = int64_t(high + kMargin < kBufWords ? high + kMargin + 1 : kBufWords);
  }
  return true;
}

// Trip counts around the strip-mined chunk (1000 iterations) and the counter (1024 back-edges).
const uint64_t kTrips[] = {0, 1, 2, 3, 999, 1000, 1001, 1023, 1024, 1025, 1999, 2000, 2001,
                           (1u << 20) + 1};

std::vector<Case> Cases(const sp_edge_loop *loops, unsigned count) {
  std::vector<Case> cases;
  for (unsigned k = 0; k < count; k++) {
    const sp_edge_loop &l = loops[k];
    if (l.shape == SP_EDGE_DISPATCH) {
      // Passes over a program of `end` opcodes: around the counters and chunk sizes in dispatches.
      const uint64_t shapes[][2] = {{1, 0},    {1, 1},    {2, 1},   {1, 999}, {1, 1000},
                                    {1, 1001}, {1, 2047}, {3, 333}, {1000, 0}, {1000, 1},
                                    {2, 2001}, {24, 32768}};
      for (auto &s : shapes)
        cases.push_back({k, s[0], s[1], 0, int64_t(s[1]) + 1});
      continue;
    }
    for (uint64_t trips : kTrips) {
      if ((l.shape == SP_EDGE_NESTED || l.shape == SP_EDGE_NESTED_MASK) && trips > 2001)
        continue;
      // Starts that put the start, the end or the middle of the run at the type's limits, at 0 and
      // at -1, or at the buffer's ends and middle.
      i128 span = i128(trips) * l.step;
      std::vector<i128> anchors = {0, 1, -1, TypeMax(l), TypeMin(l)};
      if (IndexesBuffer(l)) {
        anchors = {0, 5, kBufWords / 2, kBufWords - 1, kBufWords};
        if (TypeMax(l) < kBufWords)
          anchors.push_back(TypeMax(l));
      }
      std::vector<i128> starts;
      for (i128 a : anchors)
        for (i128 s : {a, a - span, a - span + l.step, a - span / 2})
          if (!IndexesBuffer(l))
            starts.push_back(Wrap(l, s));
          else if (InRange(l, s))
            starts.push_back(s);
      // One long run per loop is enough, the short ones find the edges; a nested loop's inner trip
      // counts already run through every count up to the outer one's, so two starts do.
      bool nested = l.shape == SP_EDGE_NESTED || l.shape == SP_EDGE_NESTED_MASK;
      size_t max_starts = trips > 100000 ? 1 : nested ? 2 : starts.size();
      size_t before = cases.size();
      std::map<i128, bool> seen;
      for (i128 s : starts) {
        i128 end;
        int64_t lo, hi;
        if (seen[s] || !EndFor(l, s, trips, end, lo, hi))
          continue;
        seen[s] = true;
        cases.push_back({k, uint64_t(int64_t(s)), uint64_t(int64_t(end)), lo, hi});
        if (cases.size() - before == max_starts)
          break;
      }
    }
  }
  return cases;
}

// Deterministic contents for buf[lo, hi): data for loops that store, a program of opcodes
// 1..ops-1 ended by 0 for interpreters.
void Prepare(const sp_edge_loop &l, const Case &c, uint32_t *buf) {
  for (int64_t w = c.lo; w < c.hi; w++)
    buf[w] = l.shape == SP_EDGE_DISPATCH ? (w + 1 == c.hi ? 0 : 1 + uint32_t(w * 2654435761u >> 7) %
                                                                    (l.ops - 1))
                                         : uint32_t(w * 2654435761u + 12345);
}

uint64_t RunCase(const sp_edge_loop &l, const Case &c, uint32_t *buf) {
  Prepare(l, c, buf);
  uint64_t h = l.run(c.start, c.end, buf);
  for (int64_t w = c.lo; w < c.hi; w++)
    h = (h ^ buf[w]) * 0x100000001b3ull;
  return h;
}

struct Expected {
  std::vector<Case> cases;
  std::vector<uint64_t> results;
};

// The plain build's results, computed once per process.
const Expected &PlainResults() {
  static const Expected expected = [] {
    Expected e;
    e.cases = Cases(sp_edges_plain_loops, sp_edges_plain_loop_count);
    std::vector<uint32_t> buf(kBufWords);
    for (const Case &c : e.cases)
      e.results.push_back(RunCase(sp_edges_plain_loops[c.loop], c, buf.data()));
    return e;
  }();
  return expected;
}

using LoopEdges = sp_test::VariantsAndProcsTest<kVariants>;

// Every loop on every case, split over four green threads preempted every 100 us, until the runtime
// has counted 50 preemptions.
TEST_P(LoopEdges, ResultsMatchPlainBuild) {
  const Variant &v = variant();
  ASSERT_EQ(v.count, sp_edges_plain_loop_count);
  const Expected &want = PlainResults();
  std::vector<std::string> wrong[4];
  std::vector<uint32_t> bufs[4];
  for (auto &buf : bufs)
    buf.resize(kBufWords);
  unsigned long mistakes = sp_test::MistakesWhilePreempted(procs(), 4, 50, 1, [&](int worker) {
    std::vector<uint32_t> &buf = bufs[worker];
    unsigned long bad = 0;
    for (size_t k = worker; k < want.cases.size(); k += 4) {
      const Case &c = want.cases[k];
      if (RunCase(v.loops[c.loop], c, buf.data()) != want.results[k]) {
        bad++;
        if (wrong[worker].size() < 20)
          wrong[worker].push_back(std::string(v.loops[c.loop].name) + "(" +
                                  std::to_string(int64_t(c.start)) + ", " +
                                  std::to_string(int64_t(c.end)) + ")");
      }
    }
    return bad;
  });
  EXPECT_EQ(mistakes, 0u);
  for (auto &w : wrong)
    for (auto &call : w)
      ADD_FAILURE() << "differs from the plain build: " << call;
}

SP_INSTANTIATE_VARIANTS_AND_PROCS(LoopEdges, kVariants, 1, 2, 4);

// The cases reach what they are meant to: limits of each type, wrap-around, long runs.
TEST(LoopEdgeCases, CoverTheLimits) {
  const Expected &want = PlainResults();
  unsigned at_max = 0, at_min = 0, wrapping = 0, long_runs = 0, dispatch = 0;
  for (const Case &c : want.cases) {
    const sp_edge_loop &l = sp_edges_plain_loops[c.loop];
    if (l.shape == SP_EDGE_DISPATCH) {
      dispatch++;
      continue;
    }
    i128 s = l.is_signed ? i128(int64_t(c.start)) : i128(c.start);
    i128 e = l.is_signed ? i128(int64_t(c.end)) : i128(c.end);
    at_max += e == TypeMax(l) || s == TypeMax(l);
    at_min += e == TypeMin(l) || s == TypeMin(l);
    wrapping += MayWrap(l) && (l.step > 0 ? e < s : e > s);
    long_runs += (l.step > 0 ? e - s : s - e) / (l.step > 0 ? l.step : -l.step) > (1 << 20);
  }
  // A tenth of the cases start or end at each limit, a fifth wrap around, and some run a million
  // iterations.
  EXPECT_GT(at_max, want.cases.size() / 10);
  EXPECT_GT(at_min, want.cases.size() / 10);
  EXPECT_GT(wrapping, want.cases.size() / 5);
  EXPECT_GT(long_runs, 50u);
  EXPECT_EQ(dispatch, 14u * 12u);
}

// Every loop of the workload that may run more than 1000 iterations polls in every mode (none lost
// its poll in the rewriting; one whose variable takes at most 1000 values may be elided, rule E1), and
// in the page modes the 8-opcode interpreters poll on each of
// their 8 back-edges: the loops under test were really rewritten. Which loops are strip-mined, counted
// down or polled on each back-edge at -O2: test/lit/clang/loop-edges.c.
TEST(LoopEdgeSites, EveryLoopPollsAndInterpretersPollOnEachBackEdge) {
  std::map<std::pair<std::string, int>, unsigned> loop_sites;
  for (const sp_site_record *r = __start_sp_sites; r != __stop_sp_sites; r++)
    if (r->kind == SP_SITE_LOOP)
      loop_sites[{static_cast<const char *>(sp_site_field_address(&r->function)), r->mode}]++;
  for (const Variant &v : kVariants)
    for (unsigned k = 0; k < v.count; k++) {
      const sp_edge_loop &l = v.loops[k];
      unsigned sites = loop_sites[{v.prefix + std::string(l.name), v.mode}];
      bool page = v.mode == SP_MODE_THREAD_PAGE || v.mode == SP_MODE_GLOBAL_PAGE;
      if (l.shape == SP_EDGE_DISPATCH && page && l.ops == 8)
        EXPECT_GE(sites, 8u) << v.name << " " << l.name;
      else if (Values(l) > 1000)
        EXPECT_GE(sites, 1u) << v.name << " " << l.name;
    }
}

// A strip-mined loop that never reaches its limit (1 and 7 are not a multiple of its step of 4
// apart, so i never equals 7) must still end chunks, and poll: on one P, a green thread that sleeps
// beside it gets to run again and ends the process. The chunk's end is the limit itself when the
// limit is less than a chunk away; unless it is rounded down to whole steps, the variable runs past
// it and the loop never polls again. A loop that never polls hangs the child, which alarm() then
// kills: the test fails instead of hanging.
class EndlessLoopHogs : public ::testing::TestWithParam<int> {};

void SleepBesideThenExit(EndlessLoop loop, uint64_t start, uint64_t end) {
  alarm(30);
  sp_test::RunGreen(
      1,
      [&] {
        static volatile uint64_t sink;
        sp_test::Go([&] { loop(start, end, &sink); });
        for (int naps = 0; naps < 3; naps++)
          sp_sleep_ns(200000);
        _exit(0);
      },
      "quantum=200");
  _exit(1);
}

TEST_P(EndlessLoopHogs, LoopThatNeverReachesItsLimitIsPreempted) {
  const Variant &v = kVariants[GetParam()];
  EXPECT_EXIT(SleepBesideThenExit(v.endless_up, 1, 7), ::testing::ExitedWithCode(0), "");
  EXPECT_EXIT(SleepBesideThenExit(v.endless_down, 7, 1), ::testing::ExitedWithCode(0), "");
}

INSTANTIATE_TEST_SUITE_P(Modes, EndlessLoopHogs,
                         ::testing::Range(0, static_cast<int>(std::size(kVariants))),
                         [](const ::testing::TestParamInfo<int> &info) {
                           return std::string(kVariants[info.param].name);
                         });

}  // namespace
