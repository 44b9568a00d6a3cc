/* A shared library that starts the runtime itself: an executable that only calls lib_start must still
 * get the runtime, because the library's reference to sp_main is resolved in the executable. */
#include <safepoint.h>

#include <stdio.h>

static int run(int argc, char **argv) {
  (void)argc;
  (void)argv;
  printf("green thread %llu on %d P\n", (unsigned long long)sp_self_id(), sp_maxprocs());
  return 0;
}

int lib_start(void) { return sp_main(run, 0, NULL); }
