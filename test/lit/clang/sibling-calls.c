// Calls in tail position stay sibling calls (jmp) after the pass, in every mode, when clang -O2 has
// merged the returns into one block fed by a phi: the epilogue poll must not sit before that shared
// ret, or every tail call becomes a real call and mutual recursion grows the stack until it crashes.
// RUN: %clang-sp -mllvm -sp-epilogue-polls=1 -O2 -S %s -o - | FileCheck %s
// RUN: %clang-sp -mllvm -sp-epilogue-polls=1 -O2 -S -mllvm -sp-poll=global-page %s -o - | FileCheck %s
// RUN: %clang-sp -mllvm -sp-epilogue-polls=1 -O2 -S -mllvm -sp-poll=flag %s -o - | FileCheck %s
// RUN: %clang-sp -mllvm -sp-epilogue-polls=1 -O2 -S -mllvm -sp-poll=call %s -o - | FileCheck %s
// The returns still poll: every function that makes calls has an epilogue site.
// RUN: %clang-sp -mllvm -sp-epilogue-polls=1 -O2 -c -Rpass=safepoint %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=REMARK
// 10^8 steps of mutual tail recursion run in constant stack, with and without the runtime linked,
// in every mode.
// RUN: %clang-sp -mllvm -sp-epilogue-polls=1 -O2 %s -o %t.tp && %t.tp | FileCheck %s --check-prefix=OUT
// RUN: %clang-sp -mllvm -sp-epilogue-polls=1 -O2 -mllvm -sp-poll=global-page %s -o %t.gp && %t.gp | FileCheck %s --check-prefix=OUT
// RUN: %clang-sp -mllvm -sp-epilogue-polls=1 -O2 -mllvm -sp-poll=flag %s -o %t.flag && %t.flag | FileCheck %s --check-prefix=OUT
// RUN: %spcc -mllvm -sp-epilogue-polls=1 -O2 -mllvm -sp-poll=call %s -o %t.call && %t.call | FileCheck %s --check-prefix=OUT
// RUN: %spcc -mllvm -sp-epilogue-polls=1 -O2 %s -o %t.spcc && %t.spcc | FileCheck %s --check-prefix=OUT
#include <stdio.h>

__attribute__((noinline)) long ping(long n, long acc);

// CHECK-LABEL: pong:
// CHECK:         j{{[a-z]+}} ping{{(@PLT)?}} # TAILCALL
__attribute__((noinline)) long pong(long n, long acc) {
  if (n == 0)
    return acc;
  return ping(n - 1, acc + 1);
  // Both returns poll, the one that jumps to ping before the jump.
  // REMARK-COUNT-2: sibling-calls.c:[[@LINE+1]]:1: remark: safepoint poll at epilogue
}

// CHECK-LABEL: ping:
// CHECK:         j{{[a-z]+}} pong{{(@PLT)?}} # TAILCALL
__attribute__((noinline)) long ping(long n, long acc) {
  if (n == 0)
    return acc;
  return pong(n - 1, acc + 1);
}

// A void state machine: each state ends in a call to the next one or in a plain return.
static long steps;
__attribute__((noinline)) void state_b(long n);
__attribute__((noinline)) void state_c(long n);

// CHECK-LABEL: state_a:
// CHECK:     j{{[a-z]+}} state_b{{(@PLT)?}} # TAILCALL
__attribute__((noinline)) void state_a(long n) {
  steps++;
  if (n > 0)
    state_b(n - 1);
}

// CHECK-LABEL: state_b:
// CHECK-DAG:     j{{[a-z]+}} state_a{{(@PLT)?}} # TAILCALL
// CHECK-DAG:     j{{[a-z]+}} state_c{{(@PLT)?}} # TAILCALL
__attribute__((noinline)) void state_b(long n) {
  steps++;
  if (n <= 0)
    return;
  if (n & 1)
    state_c(n - 1);
  else
    state_a(n - 1);
}

// CHECK-LABEL: state_c:
// CHECK:     j{{[a-z]+}} state_a{{(@PLT)?}} # TAILCALL
__attribute__((noinline)) void state_c(long n) {
  steps++;
  if (n > 0)
    state_a(n - 1);
}

// Continuation passing through a function pointer: an indirect sibling call.
typedef long (*cont_fn)(long n, long acc, void *k);
__attribute__((noinline)) long countdown(long n, long acc, void *k);

// CHECK-LABEL: countdown:
// CHECK:         jmpq *{{.*}} # TAILCALL
__attribute__((noinline)) long countdown(long n, long acc, void *k) {
  if (n == 0)
    return acc;
  return ((cont_fn)k)(n - 1, acc + 2, k);
}

// OUT: 100000000 100000001 200000000
int main(int argc, char **argv) {
  long n = 100000000L + argc - 1;
  long pp = ping(n, 0);
  state_a(n);
  long cd = countdown(n, 0, (void *)countdown);
  printf("%ld %ld %ld\n", pp, steps, cd);
  return 0;
}
