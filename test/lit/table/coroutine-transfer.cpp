// C++20 coroutines with symmetric transfer: each await_suspend returns the next coroutine, which the
// resume function enters by a musttail call, so a chain of a million awaits runs in constant stack.
// The epilogue polls go before those musttail calls (the program would overflow its stack if one
// became a real call), and the table lists exactly the polls, in every mode, at -O0 and -O2. In
// call mode the two epilogues of a resume function end alike, and the backend merged their calls to
// __sp_poll, leaving one marker before a jmp to the other's call, until the call was made nomerge.
// RUN: rm -rf %t && mkdir %t
// RUN: %spcxx -mllvm -sp-epilogue-polls=1 -std=c++20 -O2 -mllvm -sp-poll=call -c %s -o %t/call.o
// RUN: %spcxx %t/call.o -Wl,--emit-relocs -o %t/call
// RUN: %t/call
// RUN: %python %inputs/check-site-table.py %sp-inspect %t/call %t/call.o | FileCheck %s --check-prefix=CALL
// RUN: %spcxx -mllvm -sp-epilogue-polls=1 -std=c++20 -O2 -c %s -o %t/page.o
// RUN: %spcxx %t/page.o -Wl,--emit-relocs -o %t/page
// RUN: %t/page
// RUN: %python %inputs/check-site-table.py %sp-inspect %t/page %t/page.o | FileCheck %s --check-prefix=PAGE
// RUN: %spcxx -mllvm -sp-epilogue-polls=1 -std=c++20 -O0 -mllvm -sp-poll=flag -c %s -o %t/flag.o
// RUN: %spcxx %t/flag.o -Wl,--emit-relocs -o %t/flag
// RUN: %t/flag
// RUN: %python %inputs/check-site-table.py %sp-inspect %t/flag %t/flag.o | FileCheck %s --check-prefix=FLAG

// Call and flag mode compare the stack at entry (stack-guard); in thread-page mode every poll, the
// entry polls too, is the page's load.
// CALL: ok: [[N:[0-9]+]] sites, [[N]] polls (call {{[1-9][0-9]*}}, stack-guard {{[1-9][0-9]*}})
// PAGE: ok: [[N:[0-9]+]] sites, [[N]] polls (thread-page [[N]]){{$}}
// FLAG: ok: [[N:[0-9]+]] sites, [[N]] polls (flag {{[1-9][0-9]*}}, stack-guard {{[1-9][0-9]*}})

#include <coroutine>

struct Task {
  struct promise_type {
    std::coroutine_handle<> next;
    Task get_return_object() {
      return Task{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    struct Final {
      bool await_ready() noexcept { return false; }
      std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> h) noexcept {
        std::coroutine_handle<> next = h.promise().next;
        return next ? next : std::noop_coroutine();
      }
      void await_resume() noexcept {}
    };
    Final final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept {}
  };
  std::coroutine_handle<promise_type> handle;
  bool await_ready() { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> caller) {
    handle.promise().next = caller;
    return handle;
  }
  void await_resume() {}
};

Task step(int) { co_return; }

Task chain(int n) {
  for (int i = 0; i < n; ++i)
    co_await step(i);
}

int main() {
  Task t = chain(1000000);
  t.handle.resume();
  return t.handle.done() ? 0 : 1;
}
