// The end of Inputs/nosplit-chain.c's chain, in a translation unit of its own.
#include "safepoint.h"

#ifndef FRAME // the tests give it; other builds of every test source (robustness/) do not
#define FRAME 3000
#endif

void sink(volatile char *buffer); // in the other translation unit: the array stays

SP_NOSPLIT int chain_c(void) {
  volatile char buffer[FRAME];
  sink(buffer);
  return buffer[1] + 0;
}
