/* The C library's own frames near the bottom of a green thread's stack, where nothing but the
 * guard region stops them: execvp() of a file the kernel refuses with ENOEXEC (a script without
 * "#!") runs it with /bin/sh, and glibc builds that shell's argument list in a variable-length
 * array of argc + 2 pointers on the stack (posix/execvpe.c, maybe_script_execute), with no limit
 * but argc, and without stack probes. It writes the array's low end first (the shell's name), then
 * calls memcpy for the rest: with 20000 arguments the array is 160 KiB, larger than the guard region,
 * so its first writes land below the region, where the next green thread's stack would be mapped.
 *
 * The recursion of descend() (guard-neighbour.h: an entry poll and no stack compare in thread-page
 * mode, it calls no nosplit function) stands ABOVE bytes above the guard region (argv[3]; an alloca
 * in its last level places the stack pointer to the byte) and calls execvp(argv[1]) with argv[2] arguments. The
 * program maps a region below the guard region (guard-neighbour.h); its SIGSEGV handler, which the
 * runtime calls after naming an overflow, reports whether anything was written there first. */
#define _GNU_SOURCE
#include <safepoint.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guard-neighbour.h"

static struct guard_neighbour guard;
static const char *script;
static char **args;

__attribute__((noinline)) static long run_script(void) { return execvp(script, args); }

static int body(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s SCRIPT NARGS ABOVE\n", argv[0]);
    return 2;
  }
  script = argv[1];
  /* Once high on the stack first, where it fails: the dynamic linker's lazy binding of execvp
   * (which saves the vector registers on the stack) is not what is measured. */
  char *none[] = {"none", NULL};
  execvp("/nonexistent/none", none);
  guard = map_below_guard();
  report_writes_below_on_segv(&guard);
  /* After the neighbour is mapped: an argument list of 128 KiB or more is mmap'd by malloc, and the
   * kernel would place it right below the guard region, where the neighbour goes. */
  int nargs = atoi(argv[2]);
  args = calloc((size_t)nargs + 1, sizeof *args);
  for (int i = 0; i < nargs; i++)
    args[i] = "a";
  long r = call_at_height(guard.guard_top + (uintptr_t)atol(argv[3]), run_script);
  printf("execvp returned %ld\n", r);
  report_writes_below(&guard);
  return 0;
}

int main(int argc, char **argv) { return sp_main(body, argc, argv); }
