/* loop_edge_workload.c - loops with unusual induction variables, for the pass's loop rewriting
 * (plugin/LoopPollChunks.h: strip-mined and counted-down loops; plugin/DispatchLoops.h: a poll on
 * each back-edge): steps of +-1, +-2, +-3 and +-2^j up to 2^30 on signed and unsigned variables of
 * 8, 16, 32 and 64 bits, limits at the types' ends and loops that wrap around them, `<`, `>`, `!=`
 * and "stop after the limit" exits, early exits, stores indexed by the variable, pointer loops,
 * nested loops whose inner trip count depends on the outer variable, and interpreter dispatch loops
 * of 2 to 8 opcodes, as `switch` and as computed goto. Compiled once per poll mode and once without
 * the pass; loop_edges_test.cpp runs both builds on the same inputs (trip counts around the chunk
 * size, starts and ends at the types' limits) under preemption and compares.
 *
 * Every loop is well-defined C for the inputs the test gives it: a signed variable of 32 or 64 bits
 * never overflows (the test keeps every value it takes in range); one of 8 or 16 bits wraps through
 * int and a conversion, which clang defines as modulo 2^bits. */
#include "loop_edge_workload.h"

#define SP_CAT2(a, b) a##b
#define SP_CAT(a, b) SP_CAT2(a, b)
#define SP_NAME(name) SP_CAT(SP_HOG_PREFIX, name)

extern const struct sp_edge_loop SP_NAME(_loops)[];
extern const unsigned SP_NAME(_loop_count);

/* Two instructions a step (FNV-1a's): short enough that every poll mode strip-mines the loop, and
 * no closed form ScalarEvolution could put in place of the loop. */
#define MIX(h, v) (((h) ^ (uint64_t)(v)) * 0x100000001b3ull)
#define SEED 14695981039346656037ull

#define SP_EDGE_NE_LOOP(T, id, STEP)                            \
  static uint64_t id(uint64_t start, uint64_t end, uint32_t *buf) { \
    (void)buf;                                                  \
    uint64_t h = SEED;                                          \
    for (T i = (T)start; i != (T)end; i += (STEP))              \
      h = MIX(h, i);                                            \
    return h;                                                   \
  }
#define SP_EDGE_INCLUSIVE_LOOP(T, id, STEP)                     \
  static uint64_t id(uint64_t start, uint64_t end, uint32_t *buf) { \
    (void)buf;                                                  \
    uint64_t h = SEED;                                          \
    for (T i = (T)start;; i += (STEP)) {                        \
      h = MIX(h, i);                                            \
      if (i == (T)end)                                          \
        break;                                                  \
    }                                                           \
    return h;                                                   \
  }
#define SP_EDGE_LT_LOOP(T, id, STEP)                            \
  static uint64_t id(uint64_t start, uint64_t end, uint32_t *buf) { \
    (void)buf;                                                  \
    uint64_t h = SEED;                                          \
    for (T i = (T)start; i < (T)end; i += (STEP))               \
      h = MIX(h, i);                                            \
    return h;                                                   \
  }
#define SP_EDGE_GT_LOOP(T, id, STEP)                            \
  static uint64_t id(uint64_t start, uint64_t end, uint32_t *buf) { \
    (void)buf;                                                  \
    uint64_t h = SEED;                                          \
    for (T i = (T)start; i > (T)end; i += (STEP))               \
      h = MIX(h, i);                                            \
    return h;                                                   \
  }
#define SP_EDGE_EARLY_EXIT_LOOP(T, id, STEP)                    \
  static uint64_t id(uint64_t start, uint64_t end, uint32_t *buf) { \
    (void)buf;                                                  \
    uint64_t h = SEED;                                          \
    for (T i = (T)start; i != (T)end; i += (STEP)) {            \
      h = MIX(h, i);                                            \
      if ((h >> 54) == 0x155)                                   \
        break;                                                  \
    }                                                           \
    return h;                                                   \
  }
#define SP_EDGE_STORE_LOOP(T, id, STEP)                         \
  static uint64_t id(uint64_t start, uint64_t end, uint32_t *buf) { \
    for (T i = (T)start; i != (T)end; i += (STEP))              \
      buf[i] = buf[i] * 3u + (uint32_t)i;                       \
    return 0;                                                   \
  }
#define SP_EDGE_STORE_LT_LOOP(T, id, STEP)                      \
  static uint64_t id(uint64_t start, uint64_t end, uint32_t *buf) { \
    for (T i = (T)start; i < (T)end; i += (STEP))               \
      buf[i] += (uint32_t)i * 7u;                               \
    return 0;                                                   \
  }
#define SP_EDGE_POINTER_LOOP(T, id, STEP)                       \
  static uint64_t id(uint64_t start, uint64_t end, uint32_t *buf) { \
    uint64_t h = SEED;                                          \
    for (T *p = buf + start, *stop = buf + end; p != stop; p += (STEP)) { \
      *p = *p * 5u + 1u;                                        \
      h = MIX(h, p - buf);                                      \
    }                                                           \
    return h;                                                   \
  }
#define SP_EDGE_NESTED_LOOP(T, id, STEP)                        \
  static uint64_t id(uint64_t start, uint64_t end, uint32_t *buf) { \
    (void)buf;                                                  \
    uint64_t h = SEED;                                          \
    for (T i = (T)start; i != (T)end; i += (STEP))              \
      for (T j = i; j != (T)end; j += (STEP))                   \
        h = MIX(h, j);                                          \
    return h;                                                   \
  }
#define SP_EDGE_NESTED_MASK_LOOP(T, id, STEP)                   \
  static uint64_t id(uint64_t start, uint64_t end, uint32_t *buf) { \
    (void)buf;                                                  \
    uint64_t h = SEED;                                          \
    for (T i = (T)start; i != (T)end; i += (STEP))              \
      for (uint32_t j = 0; j < ((uint32_t)i & 63) * 3; j += 3)   \
        h = MIX(h, j + (uint64_t)i);                            \
    return h;                                                   \
  }
#define SP_EDGE_TO_ZERO_LOOP(T, id, STEP)                       \
  static uint64_t id(uint64_t start, uint64_t end, uint32_t *buf) { \
    (void)end, (void)buf;                                       \
    uint64_t h = SEED;                                          \
    for (T i = (T)start; i != 0; i += (STEP))                   \
      h = MIX(h, i);                                            \
    return h;                                                   \
  }
#define SP_EDGE_FROM_ZERO_LOOP(T, id, STEP)                     \
  static uint64_t id(uint64_t start, uint64_t end, uint32_t *buf) { \
    (void)start, (void)buf;                                     \
    uint64_t h = SEED;                                          \
    for (T i = 0; i != (T)end; i += (STEP))                     \
      h = MIX(h, i);                                            \
    return h;                                                   \
  }
#define SP_EDGE_TWO_VARIABLES_LOOP(T, id, STEP)                 \
  static uint64_t id(uint64_t start, uint64_t end, uint32_t *buf) { \
    (void)buf;                                                  \
    uint64_t h = SEED, j = 0;                                   \
    for (T i = (T)start; i != (T)end; i += (STEP), j -= 3)      \
      h = MIX(h, (uint64_t)i ^ j);                              \
    return MIX(h, j);                                           \
  }

/* X(shape, type, bits, signed, step, name suffix): every loop of the table but the interpreters. */
#define SP_EDGE_STEPS_SMALL(X, shape, T, bits, sgn)                                              \
  X(shape, T, bits, sgn, 1, p1) X(shape, T, bits, sgn, -1, m1) X(shape, T, bits, sgn, 2, p2)     \
  X(shape, T, bits, sgn, -2, m2) X(shape, T, bits, sgn, 3, p3) X(shape, T, bits, sgn, -3, m3)    \
  X(shape, T, bits, sgn, 4, p4) X(shape, T, bits, sgn, 64, p64) X(shape, T, bits, sgn, -64, m64)
#define SP_EDGE_STEPS_16(X, shape, T, sgn)                                                       \
  SP_EDGE_STEPS_SMALL(X, shape, T, 16, sgn)                                                      \
  X(shape, T, 16, sgn, 128, p128) X(shape, T, 16, sgn, -1024, m1024) X(shape, T, 16, sgn, 16384, p16384)
#define SP_EDGE_STEPS_WIDE(X, shape, T, bits, sgn)                                               \
  X(shape, T, bits, sgn, 1, p1) X(shape, T, bits, sgn, -1, m1) X(shape, T, bits, sgn, 2, p2)     \
  X(shape, T, bits, sgn, -2, m2) X(shape, T, bits, sgn, 3, p3) X(shape, T, bits, sgn, -3, m3)    \
  X(shape, T, bits, sgn, 4, p4) X(shape, T, bits, sgn, -4, m4) X(shape, T, bits, sgn, 8, p8)     \
  X(shape, T, bits, sgn, 1024, p2e10) X(shape, T, bits, sgn, 65536, p2e16)                       \
  X(shape, T, bits, sgn, 1 << 20, p2e20) X(shape, T, bits, sgn, 1 << 22, p2e22)                  \
  X(shape, T, bits, sgn, 1 << 23, p2e23) X(shape, T, bits, sgn, 1 << 30, p2e30)                  \
  X(shape, T, bits, sgn, -(1 << 30), m2e30)
#define SP_EDGE_ALL_TYPES(X, shape)                                                              \
  SP_EDGE_STEPS_SMALL(X, shape, int8_t, 8, 1) SP_EDGE_STEPS_SMALL(X, shape, uint8_t, 8, 0)        \
  SP_EDGE_STEPS_16(X, shape, int16_t, 1) SP_EDGE_STEPS_16(X, shape, uint16_t, 0)                  \
  SP_EDGE_STEPS_WIDE(X, shape, int32_t, 32, 1) SP_EDGE_STEPS_WIDE(X, shape, uint32_t, 32, 0)      \
  SP_EDGE_STEPS_WIDE(X, shape, int64_t, 64, 1) SP_EDGE_STEPS_WIDE(X, shape, uint64_t, 64, 0)
#define SP_EDGE_LOOPS(X)                                                                         \
  SP_EDGE_ALL_TYPES(X, NE)                                                                        \
  SP_EDGE_ALL_TYPES(X, EARLY_EXIT)                                                                \
  X(INCLUSIVE, int8_t, 8, 1, 1, p1) X(INCLUSIVE, int8_t, 8, 1, -1, m1)                           \
  X(INCLUSIVE, uint8_t, 8, 0, 1, p1) X(INCLUSIVE, uint8_t, 8, 0, -1, m1)                         \
  X(INCLUSIVE, int16_t, 16, 1, 1, p1) X(INCLUSIVE, uint16_t, 16, 0, -2, m2)                      \
  X(INCLUSIVE, int32_t, 32, 1, 1, p1) X(INCLUSIVE, int32_t, 32, 1, -1, m1)                       \
  X(INCLUSIVE, int32_t, 32, 1, 2, p2) X(INCLUSIVE, int32_t, 32, 1, -3, m3)                       \
  X(INCLUSIVE, uint32_t, 32, 0, 1, p1) X(INCLUSIVE, uint32_t, 32, 0, -1, m1)                     \
  X(INCLUSIVE, uint32_t, 32, 0, 4, p4) X(INCLUSIVE, uint32_t, 32, 0, 1 << 30, p2e30)             \
  X(INCLUSIVE, int64_t, 64, 1, 1, p1) X(INCLUSIVE, int64_t, 64, 1, -1, m1)                       \
  X(INCLUSIVE, int64_t, 64, 1, 8, p8) X(INCLUSIVE, int64_t, 64, 1, -(1 << 30), m2e30)            \
  X(INCLUSIVE, uint64_t, 64, 0, 1, p1) X(INCLUSIVE, uint64_t, 64, 0, -1, m1)                     \
  X(INCLUSIVE, uint64_t, 64, 0, 3, p3) X(INCLUSIVE, uint64_t, 64, 0, 1 << 20, p2e20)             \
  X(LT, int8_t, 8, 1, 1, p1) X(LT, uint8_t, 8, 0, 3, p3) X(LT, int16_t, 16, 1, 2, p2)            \
  X(LT, uint16_t, 16, 0, 1, p1) X(LT, int32_t, 32, 1, 1, p1) X(LT, int32_t, 32, 1, 2, p2)        \
  X(LT, int32_t, 32, 1, 3, p3) X(LT, int32_t, 32, 1, 1 << 30, p2e30) X(LT, uint32_t, 32, 0, 1, p1) \
  X(LT, uint32_t, 32, 0, 4, p4) X(LT, int64_t, 64, 1, 1, p1) X(LT, int64_t, 64, 1, 16, p16)      \
  X(LT, int64_t, 64, 1, 3, p3) X(LT, uint64_t, 64, 0, 1, p1) X(LT, uint64_t, 64, 0, 2, p2)       \
  X(LT, uint64_t, 64, 0, 1 << 30, p2e30)                                                          \
  X(GT, int8_t, 8, 1, -1, m1) X(GT, uint8_t, 8, 0, -2, m2) X(GT, int16_t, 16, 1, -3, m3)         \
  X(GT, int32_t, 32, 1, -1, m1) X(GT, int32_t, 32, 1, -2, m2) X(GT, int32_t, 32, 1, -(1 << 30), m2e30) \
  X(GT, uint32_t, 32, 0, -1, m1) X(GT, uint32_t, 32, 0, -3, m3) X(GT, int64_t, 64, 1, -1, m1)    \
  X(GT, int64_t, 64, 1, -4, m4) X(GT, uint64_t, 64, 0, -1, m1) X(GT, uint64_t, 64, 0, -8, m8)    \
  X(STORE, int64_t, 64, 1, 1, p1) X(STORE, int64_t, 64, 1, -1, m1) X(STORE, int64_t, 64, 1, 2, p2) \
  X(STORE, int64_t, 64, 1, -3, m3) X(STORE, uint32_t, 32, 0, 1, p1) X(STORE, uint32_t, 32, 0, -2, m2) \
  X(STORE, int32_t, 32, 1, 3, p3) X(STORE, int32_t, 32, 1, -4, m4) X(STORE, uint16_t, 16, 0, 1, p1) \
  X(STORE_LT, int64_t, 64, 1, 1, p1) X(STORE_LT, int64_t, 64, 1, 2, p2)                          \
  X(STORE_LT, uint32_t, 32, 0, 1, p1) X(STORE_LT, int32_t, 32, 1, 3, p3)                         \
  X(POINTER, uint32_t, 64, 0, 1, p1) X(POINTER, uint32_t, 64, 0, -1, m1)                         \
  X(POINTER, uint32_t, 64, 0, 2, p2) X(POINTER, uint32_t, 64, 0, -2, m2)                         \
  X(POINTER, uint32_t, 64, 0, 3, p3) X(POINTER, uint32_t, 64, 0, 4, p4)                          \
  X(POINTER, uint32_t, 64, 0, -16, m16)                                                           \
  X(TO_ZERO, int64_t, 64, 1, -1, m1) X(TO_ZERO, int64_t, 64, 1, 2, p2) X(TO_ZERO, uint64_t, 64, 0, -4, m4) \
  X(TO_ZERO, int32_t, 32, 1, -2, m2) X(TO_ZERO, uint32_t, 32, 0, 1, p1) X(TO_ZERO, uint16_t, 16, 0, -8, m8) \
  X(TO_ZERO, uint64_t, 64, 0, 3, p3) X(FROM_ZERO, int64_t, 64, 1, 1, p1) X(FROM_ZERO, uint64_t, 64, 0, -2, m2) \
  X(FROM_ZERO, int32_t, 32, 1, 4, p4) X(FROM_ZERO, uint32_t, 32, 0, -1, m1) X(FROM_ZERO, uint16_t, 16, 0, 2, p2) \
  X(FROM_ZERO, int64_t, 64, 1, -3, m3) X(TWO_VARIABLES, int64_t, 64, 1, 2, p2)                    \
  X(TWO_VARIABLES, uint32_t, 32, 0, -4, m4) X(TWO_VARIABLES, uint64_t, 64, 0, 1, p1)             \
  X(NESTED, int32_t, 32, 1, 1, p1) X(NESTED, uint64_t, 64, 0, -2, m2) X(NESTED, uint8_t, 8, 0, 3, p3) \
  X(NESTED, int64_t, 64, 1, 1 << 30, p2e30) X(NESTED_MASK, int64_t, 64, 1, 1, p1)                \
  X(NESTED_MASK, uint32_t, 32, 0, -3, m3) X(NESTED_MASK, uint16_t, 16, 0, 2, p2)

/* Each loop's function is named for its build (SP_NAME), so the test can find its polls in the site
 * table. */
#define SP_EDGE_DEFINE(shape, T, bits, sgn, step, suffix) \
  SP_EDGE_##shape##_LOOP(T, SP_NAME(_##shape##_##T##_##suffix), step)
SP_EDGE_LOOPS(SP_EDGE_DEFINE)

/* Interpreters: opcode 0 ends a pass over the program (the last pass returns); 1..OPS-1 each do
 * something else, so that no two cases merge, and jump back to the dispatch. */
#define SP_EDGE_OP1 acc = acc * 3 + 1
#define SP_EDGE_OP2 acc ^= acc >> 7
#define SP_EDGE_OP3 acc = (acc << 13) | (acc >> 51)
#define SP_EDGE_OP4 acc += pc
#define SP_EDGE_OP5 acc -= code[pc + 1]
#define SP_EDGE_OP6 acc = ~acc * 5
#define SP_EDGE_OP7 acc = acc * acc + 11

#define SP_EDGE_CASE(k) \
  case k:               \
    SP_EDGE_OP##k;      \
    pc++;               \
    continue;
#define SP_EDGE_CASES2 SP_EDGE_CASE(1)
#define SP_EDGE_CASES3 SP_EDGE_CASES2 SP_EDGE_CASE(2)
#define SP_EDGE_CASES4 SP_EDGE_CASES3 SP_EDGE_CASE(3)
#define SP_EDGE_CASES5 SP_EDGE_CASES4 SP_EDGE_CASE(4)
#define SP_EDGE_CASES6 SP_EDGE_CASES5 SP_EDGE_CASE(5)
#define SP_EDGE_CASES7 SP_EDGE_CASES6 SP_EDGE_CASE(6)
#define SP_EDGE_CASES8 SP_EDGE_CASES7 SP_EDGE_CASE(7)

#define SP_EDGE_SWITCH(ops)                                                     \
  static uint64_t SP_NAME(_switch_##ops)(uint64_t passes, uint64_t end, uint32_t *code) { \
    (void)end;                                                                  \
    uint64_t acc = 1, pc = 0;                                                   \
    for (;;) {                                                                  \
      switch (code[pc]) {                                                       \
      case 0:                                                                   \
        if (--passes == 0)                                                      \
          return acc;                                                           \
        pc = 0;                                                                 \
        continue;                                                               \
        SP_EDGE_CASES##ops                                                      \
      default:                                                                  \
        return ~acc;                                                            \
      }                                                                         \
    }                                                                           \
  }

#define SP_EDGE_LABEL(k) &&op##k,
#define SP_EDGE_HANDLER(k) \
  op##k : SP_EDGE_OP##k;   \
  pc++;                    \
  goto *labels[code[pc]];
#define SP_EDGE_GOTO2(X) X(1)
#define SP_EDGE_GOTO3(X) SP_EDGE_GOTO2(X) X(2)
#define SP_EDGE_GOTO4(X) SP_EDGE_GOTO3(X) X(3)
#define SP_EDGE_GOTO5(X) SP_EDGE_GOTO4(X) X(4)
#define SP_EDGE_GOTO6(X) SP_EDGE_GOTO5(X) X(5)
#define SP_EDGE_GOTO7(X) SP_EDGE_GOTO6(X) X(6)
#define SP_EDGE_GOTO8(X) SP_EDGE_GOTO7(X) X(7)

#define SP_EDGE_COMPUTED_GOTO(ops)                                                     \
  static uint64_t SP_NAME(_computed_goto_##ops)(uint64_t passes, uint64_t end, uint32_t *code) { \
    (void)end;                                                                         \
    static const void *const labels[] = {&&op0, SP_EDGE_GOTO##ops(SP_EDGE_LABEL)};     \
    uint64_t acc = 1, pc = 0;                                                          \
    goto *labels[code[pc]];                                                            \
  op0:                                                                                 \
    if (--passes == 0)                                                                 \
      return acc;                                                                      \
    pc = 0;                                                                            \
    goto *labels[code[pc]];                                                            \
    SP_EDGE_GOTO##ops(SP_EDGE_HANDLER)                                                 \
  }

#define SP_EDGE_INTERPRETERS(X) X(2) X(3) X(4) X(5) X(6) X(7) X(8)
SP_EDGE_INTERPRETERS(SP_EDGE_SWITCH)
SP_EDGE_INTERPRETERS(SP_EDGE_COMPUTED_GOTO)

#define SP_EDGE_ENTRY(shape, T, bits, sgn, step, suffix) \
  {#shape "_" #T "_" #suffix, SP_NAME(_##shape##_##T##_##suffix), step, bits, sgn, SP_EDGE_##shape, 0},
#define SP_EDGE_SWITCH_ENTRY(ops) \
  {"switch_" #ops, SP_NAME(_switch_##ops), 1, 64, 0, SP_EDGE_DISPATCH, ops},
#define SP_EDGE_GOTO_ENTRY(ops) \
  {"computed_goto_" #ops, SP_NAME(_computed_goto_##ops), 1, 64, 0, SP_EDGE_DISPATCH, ops},

const struct sp_edge_loop SP_NAME(_loops)[] = {
    SP_EDGE_LOOPS(SP_EDGE_ENTRY) SP_EDGE_INTERPRETERS(SP_EDGE_SWITCH_ENTRY)
        SP_EDGE_INTERPRETERS(SP_EDGE_GOTO_ENTRY)};
const unsigned SP_NAME(_loop_count) = sizeof(SP_NAME(_loops)) / sizeof(SP_NAME(_loops)[0]);

/* Loops that never end: start and end are not a multiple of the step apart, so the variable, which
 * keeps its remainder modulo 4 through every wrap-around, never equals end. A strip-mined chunk must
 * then end where the variable does go (its end is rounded down to whole steps), not at end; the
 * test checks that these loops are preempted. The volatile store makes an endless loop
 * well-defined C. */
void SP_NAME(_endless_up)(uint64_t start, uint64_t end, volatile uint64_t *sink);
void SP_NAME(_endless_down)(uint64_t start, uint64_t end, volatile uint64_t *sink);
void SP_NAME(_endless_up)(uint64_t start, uint64_t end, volatile uint64_t *sink) {
  for (uint64_t i = start; i != end; i += 4)
    *sink = i;
}
void SP_NAME(_endless_down)(uint64_t start, uint64_t end, volatile uint64_t *sink) {
  for (uint64_t i = start; i != end; i -= 4)
    *sink = i;
}
