// runtime_bench.cpp - what the runtime's operations cost, and how fast preemption is.
//
// Every benchmark body runs as the main green thread of a fresh runtime (sp_main per run), with
// SPMAXPROCS=1 unless the name says otherwise, like the Go anchors (GOMAXPROCS=1) in
// docs/benchmarks.md. bench/go/ has the same workloads in Go.
#include <benchmark/benchmark.h>

#include <dirent.h>
#include <dlfcn.h>
#include <pthread.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "context_layout.h"
#include "safepoint.h"

extern "C" {
struct sp__context {
  void *rsp;
};
void sp__ctx_switch(sp__context *from, const sp__context *to);
}

namespace {

std::function<void()> *g_body;

int BodyTrampoline(int, char **) {
  (*g_body)();
  return 0;
}

void RunGreen(int procs, std::function<void()> body, const char *spdebug = "") {
  setenv("SPMAXPROCS", std::to_string(procs).c_str(), 1);
  setenv("SPDEBUG", spdebug, 1);
  g_body = &body;
  char arg0[] = "bench";
  char *argv[] = {arg0, nullptr};
  sp_main(BodyTrampoline, 1, argv);
}

template <typename F>
void Go(F f) {
  sp::go(std::move(f));
}

// ---- The bare context switch (context_x86_64.S), outside the scheduler. ----

sp__context bench_main_ctx, bench_partner_ctx;

[[noreturn]] void PartnerEntry() {
  for (;;)
    sp__ctx_switch(&bench_partner_ctx, &bench_main_ctx);
}

// Switches back and forth between this thread and a partner context whose frame holds x87 status
// word x87_status (0: the same flags as this thread, none, which is the common case).
void ContextSwitches(benchmark::State &state, uint16_t x87_status) {
  const size_t size = 64 * 1024;
  char *stack = static_cast<char *>(
      mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  uintptr_t top = (reinterpret_cast<uintptr_t>(stack) + size) & ~uintptr_t(15);
  // A first frame that "returns" into PartnerEntry with the stack as after a call.
  char *frame = reinterpret_cast<char *>(top - 16 - SP_CTX_FRAME_SIZE);
  memset(frame, 0, SP_CTX_FRAME_SIZE + 16);
  uint32_t csr = 0x1f80;
  uint16_t fcw = 0x037f;
  memcpy(frame + SP_CTX_FRAME_CSR, &csr, 4);
  memcpy(frame + SP_CTX_FRAME_FCW, &fcw, 2);
  memcpy(frame + SP_CTX_FRAME_FSW, &x87_status, 2);
  void (*entry)() = PartnerEntry;
  memcpy(frame + SP_CTX_FRAME_RET, &entry, 8);
  bench_partner_ctx.rsp = frame;
  __asm__ volatile("fnclex");
  for (auto _ : state)
    sp__ctx_switch(&bench_main_ctx, &bench_partner_ctx);  // there and back: two switches
  state.SetItemsProcessed(state.iterations() * 2);
  state.counters["ns_per_switch"] = benchmark::Counter(
      double(state.iterations() * 2), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  __asm__ volatile("fnclex");
  munmap(stack, size);
}

void BM_ContextSwitch(benchmark::State &state) { ContextSwitches(state, 0); }
BENCHMARK(BM_ContextSwitch);

// The partner has raised FE_INEXACT in the x87 unit and this thread has not: every switch sets
// the status word (fnstenv and fldenv one way, fnclex the other).
void BM_ContextSwitchX87FlagsDiffer(benchmark::State &state) { ContextSwitches(state, 0x20); }
BENCHMARK(BM_ContextSwitchX87FlagsDiffer);

// ---- Scheduler and channels (SPMAXPROCS=1). ----

// Two green threads taking turns: one sp_yield is one switch to the other (through g0).
void BM_Yield(benchmark::State &state) {
  RunGreen(1, [&] {
    std::atomic<bool> stop{false};
    Go([&] {
      while (!stop.load(std::memory_order_relaxed))
        sp_yield();
    });
    for (auto _ : state)
      sp_yield();
    stop = true;
    sp_yield();
  });
}
BENCHMARK(BM_Yield);

// Go's spawn-and-report: start a green thread that sends one value back.
void BM_SpawnAndReport(benchmark::State &state) {
  RunGreen(1, [&] {
    sp_chan *c = sp_chan_make(sizeof(int), 0);
    for (auto _ : state) {
      sp_go(
          [](void *arg) {
            int v = 1;
            sp_chan_send(static_cast<sp_chan *>(arg), &v);
          },
          c);
      int v;
      sp_chan_recv(c, &v);
    }
    sp_chan_free(c);
  });
}
BENCHMARK(BM_SpawnAndReport);

// One round trip over two unbuffered channels.
void BM_ChanPingPong(benchmark::State &state) {
  RunGreen(1, [&] {
    sp_chan *ping = sp_chan_make(sizeof(int), 0), *pong = sp_chan_make(sizeof(int), 0);
    Go([&] {
      int v;
      while (sp_chan_recv(ping, &v))
        sp_chan_send(pong, &v);
    });
    int v = 0;
    for (auto _ : state) {
      sp_chan_send(ping, &v);
      sp_chan_recv(pong, &v);
    }
    sp_chan_close(ping);
    sp_yield();
  });
}
BENCHMARK(BM_ChanPingPong);

// A ping-pong round trip where the echoing side waits in a two-case select.
void BM_SelectPingPong(benchmark::State &state) {
  RunGreen(1, [&] {
    sp_chan *ping = sp_chan_make(sizeof(int), 0), *pong = sp_chan_make(sizeof(int), 0),
            *quit = sp_chan_make(sizeof(int), 0);
    Go([&] {
      int v;
      for (;;) {
        sp_select_case cases[] = {{ping, SP_SELECT_RECV, &v, 0}, {quit, SP_SELECT_RECV, &v, 0}};
        if (sp_select(cases, 2, SP_SELECT_FOREVER) == 1)
          return;
        sp_chan_send(pong, &v);
      }
    });
    int v = 0;
    for (auto _ : state) {
      sp_chan_send(ping, &v);
      sp_chan_recv(pong, &v);
    }
    sp_chan_close(quit);
    sp_yield();
  });
}
BENCHMARK(BM_SelectPingPong);

// A non-blocking select over two channels, one of which is ready.
void BM_SelectReady(benchmark::State &state) {
  RunGreen(1, [&] {
    sp_chan *a = sp_chan_make(sizeof(int), 1), *b = sp_chan_make(sizeof(int), 1);
    int v = 0;
    for (auto _ : state) {
      sp_chan_try_send(a, &v);
      sp_select_case cases[] = {{a, SP_SELECT_RECV, &v, 0}, {b, SP_SELECT_RECV, &v, 0}};
      benchmark::DoNotOptimize(sp_select(cases, 2, 0));
    }
    sp_chan_free(a);
    sp_chan_free(b);
  });
}
BENCHMARK(BM_SelectReady);

// ---- The lock hook: an uncontended lock/unlock pair through the runtime's interposers (which count
// the locks a green thread holds, runtime/src/locks.c) and straight to the C library's definitions.
// Run inside a green thread, where the hook matters.

template <typename Lock, typename LockFn>
void LockUnlockPairs(benchmark::State &state, LockFn lock, LockFn unlock, Lock *l) {
  RunGreen(1, [&] {
    for (auto _ : state) {
      lock(l);
      unlock(l);
    }
  });
}

template <typename Fn>
Fn Libc(const char *name) {
  return reinterpret_cast<Fn>(dlsym(RTLD_NEXT, name));
}

void BM_MutexLockUnlock(benchmark::State &state) {
  pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  LockUnlockPairs(state, &pthread_mutex_lock, &pthread_mutex_unlock, &mu);
}
BENCHMARK(BM_MutexLockUnlock);

void BM_MutexLockUnlockLibc(benchmark::State &state) {
  using Fn = int (*)(pthread_mutex_t *);
  pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
  LockUnlockPairs(state, Libc<Fn>("pthread_mutex_lock"), Libc<Fn>("pthread_mutex_unlock"), &mu);
}
BENCHMARK(BM_MutexLockUnlockLibc);

void BM_SpinLockUnlock(benchmark::State &state) {
  pthread_spinlock_t sl;
  pthread_spin_init(&sl, PTHREAD_PROCESS_PRIVATE);
  LockUnlockPairs(state, &pthread_spin_lock, &pthread_spin_unlock, &sl);
}
BENCHMARK(BM_SpinLockUnlock);

void BM_SpinLockUnlockLibc(benchmark::State &state) {
  using Fn = int (*)(pthread_spinlock_t *);
  pthread_spinlock_t sl;
  pthread_spin_init(&sl, PTHREAD_PROCESS_PRIVATE);
  LockUnlockPairs(state, Libc<Fn>("pthread_spin_lock"), Libc<Fn>("pthread_spin_unlock"), &sl);
}
BENCHMARK(BM_SpinLockUnlockLibc);

#ifdef SP_BENCH_HAVE_HOGS
// ---- Preemption, per poll mode, with hogs compiled by the pass. ----

extern "C" {
unsigned long sp_bench_hog_thread_page_until(volatile int *stop);
unsigned long sp_bench_hog_global_page_until(volatile int *stop);
unsigned long sp_bench_hog_flag_until(volatile int *stop);
unsigned long sp_bench_hog_call_until(volatile int *stop);
}

unsigned long (*const kHogs[])(volatile int *) = {
    sp_bench_hog_thread_page_until, sp_bench_hog_global_page_until, sp_bench_hog_flag_until,
    sp_bench_hog_call_until};
const char *const kModeNames[] = {"thread-page", "global-page", "flag", "call"};

double Percentile(std::vector<int64_t> v, double q) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  return double(v[std::min(v.size() - 1, size_t(q * double(v.size())))]);
}

// Time-to-safepoint: sp_stop_the_world with a hog spinning on the other P (SPMAXPROCS=2), from
// the request until the hog is parked at its poll.
void BM_TimeToSafepoint(benchmark::State &state) {
  auto hog = kHogs[state.range(0)];
  state.SetLabel(kModeNames[state.range(0)]);
  std::vector<int64_t> tts;
  RunGreen(2, [&] {
    volatile int stop = 0;
    sp_waitgroup wg = SP_WAITGROUP_INIT;
    sp_wg_add(&wg, 1);
    Go([&] {
      hog(&stop);
      sp_wg_done(&wg);
    });
    sp_sleep_ns(2000000);
    for (auto _ : state) {
      int64_t t0 = sp_now_ns();
      sp_stop_the_world();
      tts.push_back(sp_now_ns() - t0);
      sp_start_the_world();
      state.PauseTiming();
      sp_sleep_ns(200000);  // let the hog get back onto its P
      state.ResumeTiming();
    }
    stop = 1;
    sp_wg_wait(&wg);
  }, "quantum=1000000");
  state.counters["tts_p50_ns"] = Percentile(tts, 0.5);
  state.counters["tts_p99_ns"] = Percentile(tts, 0.99);
}
BENCHMARK(BM_TimeToSafepoint)->DenseRange(0, 3)->Iterations(300)->UseRealTime();

// Preemption latency on one P with a 1 ms quantum: a hog spins beside a ticker that sleeps 1 ms at
// a time. Reports sysmon's request-to-stop latency, how late the ticker woke beyond what the
// quantum allows (its period plus one quantum: p99 and max), and how many of its ticks the hog got
// more than one quantum in.
void BM_PreemptionLatency(benchmark::State &state) {
  auto hog = kHogs[state.range(0)];
  state.SetLabel(kModeNames[state.range(0)]);
  std::vector<int64_t> beyond;
  int behind_two = 0;
  const int64_t period = 1000000, quantum = 1000000;
  sp_stats stats{};
  RunGreen(1, [&] {
    sp_stats_reset();
    volatile int stop = 0;
    sp_waitgroup wg = SP_WAITGROUP_INIT;
    sp_wg_add(&wg, 2);
    Go([&] {
      hog(&stop);
      sp_wg_done(&wg);
    });
    Go([&] {
      for (auto _ : state) {
        sp_stats before, after;
        sp_stats_get(&before);
        int64_t due = sp_now_ns() + period;
        sp_sleep_ns(period);
        int64_t late = sp_now_ns() - due - quantum;
        beyond.push_back(late > 0 ? late : 0);
        sp_stats_get(&after);
        // The hog was preempted twice or more while the ticker slept: it got another quantum
        // while the woken ticker waited (run-queue order), or sysmon missed a quantum's end.
        if (after.preemptions - before.preemptions >= 2)
          behind_two++;
      }
      stop = 1;
      sp_wg_done(&wg);
    });
    sp_wg_wait(&wg);
    sp_stats_get(&stats);
  }, "quantum=1000");
  state.counters["preempt_p50_ns"] = double(sp_histogram_percentile_ns(&stats.preempt_latency, 0.5));
  state.counters["preempt_p99_ns"] = double(sp_histogram_percentile_ns(&stats.preempt_latency, 0.99));
  state.counters["tick_beyond_quantum_p99_ns"] = Percentile(beyond, 0.99);
  state.counters["tick_beyond_quantum_max_ns"] = Percentile(beyond, 1.0);
  state.counters["ticks_with_two_hog_preemptions"] = behind_two;
  state.counters["preemptions"] = double(stats.preemptions);
}
BENCHMARK(BM_PreemptionLatency)->DenseRange(0, 3)->Iterations(300)->UseRealTime();

// sysmon's CPU time, from the kernel's per-thread accounting (schedstat: ns on a CPU) of the thread
// named sp-sysmon.
int64_t SysmonCpuNs() {
  DIR *d = opendir("/proc/self/task");
  int64_t ns = -1;
  while (dirent *e = d ? readdir(d) : nullptr) {
    std::string dir = std::string("/proc/self/task/") + e->d_name;
    std::ifstream comm(dir + "/comm");
    std::string name;
    if (!std::getline(comm, name) || name != "sp-sysmon")
      continue;
    std::ifstream schedstat(dir + "/schedstat");
    schedstat >> ns;
  }
  if (d)
    closedir(d);
  return ns;
}

// What sysmon costs beside two hogs on one P (so a runnable G always waits, and every time slice
// is watched for a blocking call): sysmon's CPU time per second of the run, default 10 ms quantum.
void BM_SysmonCpuBesideHogs(benchmark::State &state) {
  double per_s = 0;
  RunGreen(1, [&] {
    for (auto _ : state) {
      volatile int stop = 0;
      sp_waitgroup wg = SP_WAITGROUP_INIT;
      sp_wg_add(&wg, 2);
      for (int i = 0; i < 2; i++)
        Go([&] {
          kHogs[0](&stop);
          sp_wg_done(&wg);
        });
      int64_t cpu0 = SysmonCpuNs(), t0 = sp_now_ns();
      sp_sleep_ns(500 * 1000 * 1000);
      per_s = double(SysmonCpuNs() - cpu0) / (double(sp_now_ns() - t0) / 1e9);
      stop = 1;
      sp_wg_wait(&wg);
    }
  });
  state.counters["sysmon_cpu_us_per_s"] = per_s / 1000;
}
BENCHMARK(BM_SysmonCpuBesideHogs)->Iterations(1)->UseRealTime();
#endif

// ---- Blocking system calls: the ticker beside a green thread blocked in the kernel. ----

// On one P, a green thread blocks for 300 ms in read() on a pipe (an OS thread writes after
// 300 ms), nanosleep(), or a pthread mutex an OS thread holds for 300 ms, while a ticker sleeps
// 1 ms at a time. Reports the ticks made during the call, as a share of those it makes in 300 ms
// with its P free.
void BM_TickerBesideBlockingCall(benchmark::State &state) {
  static const char *const kCalls[] = {"read", "nanosleep", "pthread_mutex"};
  const int call = int(state.range(0));
  state.SetLabel(kCalls[call]);
  const int64_t block_ns = 300 * 1000 * 1000;
  double kept_sum = 0;
  int runs = 0;
  RunGreen(1, [&] {
    for (auto _ : state) {
      int fds[2];
      if (pipe(fds) != 0)
        abort();
      pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
      std::atomic<int> in_call{0}, done{0};
      std::atomic<bool> held{false};
      std::thread outside([&] {
        if (call == 2) {
          pthread_mutex_lock(&mu);
          held = true;
        }
        struct timespec ts = {0, block_ns};
        nanosleep(&ts, nullptr);
        if (call == 0)
          (void)!write(fds[1], "x", 1);
        if (call == 2)
          pthread_mutex_unlock(&mu);
      });
      while (call == 2 && !held)
        sp_yield();
      sp_waitgroup wg = SP_WAITGROUP_INIT;
      sp_wg_add(&wg, 2);
      int ticks = 0;
      Go([&] {
        in_call = 1;
        char c;
        struct timespec ts = {0, block_ns};
        if (call == 0)
          (void)!read(fds[0], &c, 1);
        else if (call == 1)
          nanosleep(&ts, nullptr);
        else
          pthread_mutex_lock(&mu), pthread_mutex_unlock(&mu);
        in_call = 0;
        done = 1;
        sp_wg_done(&wg);
      });
      Go([&] {
        while (!done) {
          sp_sleep_ns(1000 * 1000);
          if (in_call)
            ticks++;
        }
        sp_wg_done(&wg);
      });
      sp_wg_wait(&wg);
      outside.join();
      close(fds[0]);
      close(fds[1]);
      // As many 1 ms sleeps as the same ticker makes in 300 ms with its P free (on a loaded
      // machine, fewer than 300).
      int free_ticks = 0;
      for (int64_t end = sp_now_ns() + block_ns; sp_now_ns() < end; free_ticks++)
        sp_sleep_ns(1000 * 1000);
      kept_sum += double(ticks) / double(free_ticks);
      runs++;
    }
  });
  state.counters["ticks_kept_pct"] = 100 * kept_sum / runs;
}
BENCHMARK(BM_TickerBesideBlockingCall)->DenseRange(0, 2)->Iterations(3)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
