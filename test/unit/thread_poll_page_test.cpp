// thread_poll_page_test.cpp - the page thread-page polls read: one per thread, in its static TLS,
// page-aligned, and never left protected by an M that exits (glibc hands an exited thread's stack
// and TLS to the next pthread_create, which writes the TLS image into it).
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <thread>

#include "runtime_test_util.h"
#include "test_polls.h"

extern "C" {
extern __thread char __sp_thread_poll_page[4096] __attribute__((tls_model("initial-exec")));
}

using sp_test::Go;
using sp_test::RunGreen;

namespace {

uintptr_t ThisThreadsPage() { return reinterpret_cast<uintptr_t>(__sp_thread_poll_page); }

TEST(ThreadPollPage, EveryThreadHasAPageAlignedPageOfItsOwn) {
  uintptr_t main_page = ThisThreadsPage();
  uintptr_t other_page = 0;
  std::thread([&] { other_page = ThisThreadsPage(); }).join();
  EXPECT_EQ(main_page % 4096, 0u);
  EXPECT_EQ(other_page % 4096, 0u);
  EXPECT_NE(main_page, other_page);
}

// The protection of the mapping that holds addr, from /proc/self/maps ("---p", "rw-p"), or "" if
// nothing is mapped there any more.
std::string ProtectionAt(uintptr_t addr) {
  FILE *maps = fopen("/proc/self/maps", "r");
  char line[512];
  std::string protection;
  while (maps && fgets(line, sizeof(line), maps)) {
    unsigned long lo, hi;
    char perms[8];
    if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3 && addr >= lo && addr < hi) {
      protection = perms;
      break;
    }
  }
  if (maps)
    fclose(maps);
  return protection;
}

class ThreadPollPageProcs : public sp_test::ProcsTest {};

// Hogs preempted through their thread-page polls on every M, then the runtime shuts down (which
// arms every M to stop it): no M's page may stay PROT_NONE after its thread is gone.
TEST_P(ThreadPollPageProcs, NoPageStaysProtectedAfterTheRuntimeStops) {
  constexpr int kHogs = 8;
  std::atomic<uintptr_t> pages[kHogs] = {};
  std::atomic<bool> stop{false};
  std::atomic<int> done{0};
  RunGreen(
      procs(),
      [&] {
        for (int i = 0; i < kHogs; i++)
          Go([&, i] {
            while (!stop.load()) {
              sp_test_thread_page_poll();
              pages[i].store(ThisThreadsPage());
            }
            done++;
          });
        // The main G runs again only once a hog was preempted: wait for a few more.
        int64_t give_up = sp_now_ns() + 5000000000LL;
        for (;;) {
          sp_stats stats;
          sp_stats_get(&stats);
          if (stats.preemptions_signal >= uint64_t(2 * kHogs) || sp_now_ns() > give_up)
            break;
          sp_yield();
        }
        stop = true;
        while (done.load() < kHogs)
          sp_yield();
      },
      "quantum=200");
  sp_stats stats;
  sp_stats_get(&stats);
  EXPECT_GT(stats.preemptions_signal, 0u);
  int checked = 0;
  for (auto &page : pages) {
    if (page.load() == 0)
      continue;  // a hog that never ran before the others were preempted enough
    checked++;
    EXPECT_NE(ProtectionAt(page.load()).rfind("---", 0), 0u)
        << "page " << std::hex << page.load() << " is " << ProtectionAt(page.load());
  }
  EXPECT_GT(checked, 0);
}

SP_INSTANTIATE_PROCS(ThreadPollPageProcs);

}  // namespace
