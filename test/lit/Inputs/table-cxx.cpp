// C++ with exceptions (invoke, landing pads, a retry loop through a catch) and a C++20 coroutine
// (split into ramp, resume and destroy functions), plus inline functions in COMDAT groups.
#include <coroutine>
#include <cstdio>
#include <stdexcept>

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

volatile long sink;

__attribute__((noinline)) void may_throw(long i) {
  if (i % 3 == 2)
    throw std::runtime_error("odd");
  sink = i;
}

Task producer(int n) {
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < i; ++j)
      sink = j;
    co_await std::suspend_always{};
  }
}

__attribute__((noinline)) int retry(long attempts) {
  int failures = 0;
  for (long i = 0; i < attempts; ++i) {
    try {
      may_throw(i);
    } catch (const std::exception &) {
      ++failures;
    }
  }
  return failures;
}

int main() {
  Task t = producer(5);
  int resumed = 0;
  while (!t.handle.done()) {
    t.handle.resume();
    ++resumed;
  }
  t.handle.destroy();
  std::printf("%d %d\n", resumed, retry(9));
  return 0;
}
