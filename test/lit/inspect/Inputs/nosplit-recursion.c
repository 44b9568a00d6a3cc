// Nosplit functions that call each other: the stack they use has no bound. And one with a dynamic
// alloca, whose frame has no fixed size.
#include "safepoint.h"

#define NOINLINE __attribute__((noinline))

void sink(volatile char *buffer);
SP_NOSPLIT NOINLINE int pong(int n);

SP_NOSPLIT NOINLINE int ping(int n) {
  volatile char buffer[16];
  sink(buffer);
  return n ? pong(n - 1) + buffer[1] : 0;
}

SP_NOSPLIT NOINLINE int pong(int n) {
  volatile char buffer[16];
  sink(buffer);
  return n ? ping(n - 1) + buffer[1] : 0;
}

#ifdef WITH_VLA
SP_NOSPLIT NOINLINE int sized_at_run_time(int n) {
  volatile char buffer[n];
  sink(buffer);
  return buffer[1];
}
#endif

int main(int argc, char **argv) {
  (void)argv;
#ifdef WITH_VLA
  argc += sized_at_run_time(argc + 2);
#endif
  return ping(argc);
}
