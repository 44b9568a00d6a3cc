// sink() for Inputs/nosplit-recursion.c, in a translation unit of its own so the arrays stay.
void sink(volatile char *buffer) { buffer[1] = 1; }
