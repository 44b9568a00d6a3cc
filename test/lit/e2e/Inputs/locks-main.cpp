// Green threads that take locks real C++ takes - a mutex inside an uninstrumented library around an
// instrumented callback, std::mutex, and a function-local static whose constructor outlasts the
// quantum - around loops with polls. Each prints the total it expects; a preemption inside any of
// them would hang the program on one P.
#include <safepoint.h>

#include <atomic>
#include <cstdio>
#include <mutex>

extern "C" void lib_with_lock(void (*callback)(void *), void *arg);

static volatile long inner = 1000;
static volatile unsigned long sink;

static void spin(int64_t ns) {
  unsigned long x = 1;
  int64_t end = sp_now_ns() + ns;
  while (sp_now_ns() < end)
    for (long i = 0, n = inner; i < n; i++)
      x = x * 6364136223846793005ul + 1442695040888963407ul;
  sink = x;
}

static long in_library, in_std_mutex;
static std::mutex std_mutex;
static std::atomic<int> constructed;

static void add_slowly(void *counter) {
  long v = *static_cast<volatile long *>(counter);
  spin(300000);
  *static_cast<volatile long *>(counter) = v + 1;
}

struct Slow {
  Slow() {
    spin(3000000);
    constructed++;
  }
};

static int slow_static() {
  static Slow s;
  return constructed.load();
}

static int run(int, char **) {
  sp_waitgroup wg = SP_WAITGROUP_INIT;
  sp_wg_add(&wg, 4);
  for (int t = 0; t < 4; t++)
    sp::go([&] {
      slow_static();
      for (int i = 0; i < 5; i++) {
        lib_with_lock(add_slowly, &in_library);
        std::lock_guard<std::mutex> hold(std_mutex);
        add_slowly(&in_std_mutex);
      }
      sp_wg_done(&wg);
    });
  sp_wg_wait(&wg);
  sp_stats s;
  sp_stats_get(&s);
  std::printf("library: %ld\nstd::mutex: %ld\nconstructed: %d\ndeferred: %s\n", in_library,
              in_std_mutex, constructed.load(), s.preemptions_deferred > 0 ? "yes" : "no");
  return 0;
}

int main(int argc, char **argv) { return sp_main(run, argc, argv); }
