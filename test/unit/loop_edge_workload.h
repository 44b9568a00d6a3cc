/* loop_edge_workload.h - the table of loops loop_edge_workload.c exports once per build (each poll
 * mode, and a plain build without the pass), for loop_edges_test.cpp. */
#ifndef SP_LOOP_EDGE_WORKLOAD_H
#define SP_LOOP_EDGE_WORKLOAD_H

#include <stdint.h>

/* How a loop runs its induction variable i (of `bits` bits, signed or not) from start to end, i += step:
 * the caller picks start and end so that the C source is well-defined and terminates. */
enum sp_edge_shape {
  SP_EDGE_NE = 1,       /* for (i = start; i != end; i += step) */
  SP_EDGE_INCLUSIVE,    /* for (i = start;; i += step) { ...; if (i == end) break; } */
  SP_EDGE_LT,           /* for (i = start; i < end; i += step), step > 0 */
  SP_EDGE_GT,           /* for (i = start; i > end; i += step), step < 0 */
  SP_EDGE_EARLY_EXIT,   /* as NE, and a break when the running hash takes some values */
  SP_EDGE_STORE,        /* as NE, i indexes buf: buf[i] = f(buf[i], i) */
  SP_EDGE_STORE_LT,     /* as LT, i indexes buf */
  SP_EDGE_POINTER,      /* for (p = buf + start; p != buf + end; p += step) *p = f(*p) */
  SP_EDGE_NESTED,       /* for (i = start; i != end; i += step) for (j = i; j != end; j += step) */
  SP_EDGE_NESTED_MASK,  /* for (i = start; i != end; i += step) for (j = 0; j < (i & 63) * 3; j += 3) */
  SP_EDGE_TO_ZERO,      /* for (i = start; i != 0; i += step): the limit a constant (end is 0) */
  SP_EDGE_FROM_ZERO,    /* for (i = 0; i != end; i += step): the start a constant (start is 0) */
  SP_EDGE_TWO_VARIABLES, /* as NE, with a second variable j = 0, -3, -6, ... beside i */
  SP_EDGE_DISPATCH,     /* an interpreter of `ops` opcodes: buf[0..end) the program, buf[end] = 0
                           ends a pass over it, start passes (start >= 1); opcodes 1..ops-1 */
};

struct sp_edge_loop {
  const char *name;
  /* Returns a hash of what the loop saw; a loop that indexes buf also changes it. */
  uint64_t (*run)(uint64_t start, uint64_t end, uint32_t *buf);
  int64_t step;
  uint8_t bits;
  uint8_t is_signed;
  uint8_t shape; /* enum sp_edge_shape */
  uint8_t ops;   /* SP_EDGE_DISPATCH: opcodes, each a back-edge of its own */
};

#endif
