// The end of Inputs/nosplit-chain.c's chain, in a translation unit of its own.
#include "safepoint.h"

void sink(volatile char *buffer); // in the other translation unit: the array stays

SP_NOSPLIT int chain_c(void) {
  volatile char buffer[FRAME];
  sink(buffer);
  return buffer[1] + 0;
}
