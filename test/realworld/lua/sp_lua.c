/* sp_lua.c: Lua's stand-alone interpreter (lua.c, its main renamed lua_main) run as the first green
 * thread of sp_main, so that the runtime preempts the interpreter at its polls and may resume it on
 * another OS thread. Built as C and as C++ (test/realworld/lua.mk). With SP_LUA_STATS set it prints
 * the number of preemptions to stderr, so a test can tell that preemption really happened. */
#include <safepoint.h>

#include <stdio.h>
#include <stdlib.h>

int lua_main(int argc, char **argv);

static int run(int argc, char **argv) {
  int status = lua_main(argc, argv);
  if (getenv("SP_LUA_STATS")) {
    sp_stats stats;
    sp_stats_get(&stats);
    fprintf(stderr, "preemptions: %llu\n", (unsigned long long)stats.preemptions);
  }
  return status;
}

int main(int argc, char **argv) { return sp_main(run, argc, argv); }
