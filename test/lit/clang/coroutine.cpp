// C++20 coroutines: the pass runs after CoroSplit (at -O0 and -O2 alike), so it sees the ramp and the
// split resume/destroy functions, never a presplit coroutine. Code between two suspensions runs in
// the resume function: a loop there with no suspension in it polls on its back-edge. Everything
// compiles in every mode, with valid IR.
// RUN: %clang-sp -std=c++20 -O0 -S -emit-llvm %s -o %t.O0.ll
// RUN: FileCheck %s < %t.O0.ll
// RUN: opt -passes=verify -disable-output %t.O0.ll
// RUN: %clang-sp -std=c++20 -O2 -S -emit-llvm %s -o %t.O2.ll
// RUN: FileCheck %s < %t.O2.ll
// RUN: opt -passes=verify -disable-output %t.O2.ll
// RUN: %clang-sp -std=c++20 -O0 -S %s -o /dev/null -mllvm -sp-poll=flag
// RUN: %clang-sp -std=c++20 -O2 -S %s -o /dev/null -mllvm -sp-poll=flag
// RUN: %clang-sp -std=c++20 -O2 -S %s -o /dev/null -mllvm -sp-poll=call
// RUN: %clang-sp -std=c++20 -O2 -S %s -o /dev/null -Rpass=safepoint -Rpass-missed=safepoint 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REMARK

#include <coroutine>

struct Task {
  struct promise_type {
    Task get_return_object() {
      return Task{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept {}
  };
  std::coroutine_handle<promise_type> handle;
};

void use(int);

Task producer(int n) {
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < i; ++j)
      use(j);
    co_await std::suspend_always{};
  }
}

// The ramp (allocates the frame, runs to the initial suspend) is instrumented as a plain function.
// Entry polls are thread-page loads (mode byte 1), the ramp's and the resume function's too.
// CHECK-LABEL: define {{.*}}@_Z8produceri(
// CHECK:         call void asm sideeffect "8201:\0A\09testl %eax, $0{{.*}}.byte 3, 1,
// CHECK-LABEL: define internal fastcc void @_Z8produceri.resume(
// CHECK:         call void asm sideeffect "8201:\0A\09testl %eax, $0{{.*}}.byte 3, 1,
// CHECK:         {{call|invoke}} void @_Z3usei(
// CHECK:         call void asm sideeffect "8201:{{.*}}.byte 1, 1,
// CHECK-LABEL: define internal fastcc void @_Z8produceri.destroy(
// CHECK:       !"safepoint.instrumented"

// REMARK-NOT: coroutine not yet split
// REMARK: coroutine.cpp:[[@LINE-18]]:{{[0-9]+}}: remark: safepoint poll at loop back-edge (thread-page)
// REMARK-NOT: coroutine not yet split
