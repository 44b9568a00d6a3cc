// A chain of nosplit calls in C++: a member function, a function template and a function in a
// namespace, marked with the [[safepoint::nosplit]] spelling, each with a FRAME-byte array.
#include "safepoint.h"

#ifndef FRAME // the tests give it; other builds of every test source (robustness/) do not
#define FRAME 3000
#endif

extern "C" void sink(volatile char *buffer); // Inputs/nosplit-sink.c: the arrays stay

namespace deep {
template <int N> [[safepoint::nosplit]] __attribute__((noinline)) int level() {
  volatile char buffer[FRAME];
  sink(buffer);
  return buffer[1] + N;
}

struct Walker {
  [[safepoint::nosplit]] __attribute__((noinline)) int walk() {
    volatile char buffer[FRAME];
    sink(buffer);
    return level<2>() + buffer[1];
  }
};
} // namespace deep

[[safepoint::nosplit]] __attribute__((noinline)) int start() {
  volatile char buffer[FRAME];
  sink(buffer);
  deep::Walker w;
  return w.walk() + buffer[1];
}

int main() { return start() == 5 ? 0 : 1; }
