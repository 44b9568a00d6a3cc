/* Calls a shared library built with sp-cc, and never starts the runtime. */
#include <stdio.h>

unsigned long lib_mix(unsigned long x, unsigned long rounds);

int main(void) {
  printf("%lu\n", lib_mix(1, 1000));
  return 0;
}
