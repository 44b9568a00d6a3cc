// A chain of nosplit calls with real frames: chain_a -> chain_b -> chain_c -> sink, each of the
// three with a FRAME-byte array on its stack. chain_c is in Inputs/nosplit-chain-leaf.c, so the
// chain crosses translation units and only the linked program shows all of it.
#include "safepoint.h"

#ifndef FRAME // the tests give it; other builds of every test source (robustness/) do not
#define FRAME 3000
#endif

#define NOINLINE __attribute__((noinline))

SP_NOSPLIT int chain_c(void);

NOINLINE void sink(volatile char *buffer) { buffer[1] = 1; }

SP_NOSPLIT NOINLINE int chain_b(void) {
  volatile char buffer[FRAME];
  sink(buffer);
  return chain_c() + buffer[1]; // not a tail call: chain_b's frame stays below chain_c's
}

SP_NOSPLIT NOINLINE int chain_a(void) {
  volatile char buffer[FRAME];
  sink(buffer);
  return chain_b() + buffer[1];
}

int main(void) { return chain_a() == 3 ? 0 : 1; }
