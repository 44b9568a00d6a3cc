/* dlopen / preempt / dlclose cycles: each cycle opens one of two libraries (argv[1], argv[2],
 * alternately), runs its hog loop beside a ticker until the hog has been preempted at least
 * twice, then stops it and closes the library. The library opened next is mapped where the
 * closed one was: its polls must be found in its own site table, not the closed one's. */
#include <dlfcn.h>
#include <safepoint.h>
#include <stdio.h>
#include <stdlib.h>

static volatile int stop;
static unsigned long (*hog_fn)(volatile int *);

static void hog(void *done) {
  hog_fn(&stop);
  sp_wg_done(done);
}

static uint64_t preemptions(void) {
  sp_stats s;
  sp_stats_get(&s);
  return s.preemptions;
}

static int run(int argc, char **argv) {
  if (argc != 4)
    return 2;
  int cycles = atoi(argv[3]);
  for (int i = 0; i < cycles; i++) {
    void *lib = dlopen(argv[1 + i % 2], RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
      printf("dlopen: %s\n", dlerror());
      return 1;
    }
    hog_fn = (unsigned long (*)(volatile int *))dlsym(lib, "lib_hog");
    stop = 0;
    sp_waitgroup wg = SP_WAITGROUP_INIT;
    sp_wg_add(&wg, 1);
    uint64_t before = preemptions();
    sp_go(hog, &wg);
    int64_t give_up = sp_now_ns() + 10000000000LL;
    while (preemptions() < before + 2 && sp_now_ns() < give_up)
      sp_sleep_ns(200000);
    stop = 1;
    sp_wg_wait(&wg);
    printf("cycle %d: %s\n", i, preemptions() >= before + 2 ? "preempted" : "never preempted");
    dlclose(lib);
  }
  return 0;
}

int main(int argc, char **argv) { return sp_main(run, argc, argv); }
