/* lua_threads.c: Lua interpreters that never yield, sharing one processor, all making progress.
 *
 * Each green thread owns a lua_State running a `while true do ... end` loop with some work in it and
 * no coroutine.yield, no I/O, nothing that could give the processor away. The Lua core is compiled
 * with sp-cc, so its interpreter loop has safepoint polls, and the runtime preempts whichever
 * interpreter has had the processor for a quantum: on one P (SPMAXPROCS=1) every thread makes steady
 * progress, printed as it goes. With SPDEBUG=asyncpreemptoff=1 the first interpreter keeps the
 * processor until its time is up and starves the rest, as it would with any cooperative green-thread
 * library. scripts/lua-demo.sh fetches and builds Lua, then runs this.
 *
 *   SPMAXPROCS=1 ./lua_threads [threads] [milliseconds]
 *
 * The last line counts the threads that made any progress: "N of N Lua green threads made progress". */
#include <safepoint.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

enum { MAX_THREADS = 16, REPORT_MS = 100 };

/* The script never yields: progress() only records how far it got, and raises an error when the
 * demo's time is up, which unwinds the loop through lua_pcall (a longjmp across instrumented frames). */
static const char script[] =
    "local id = ...\n"
    "local t, n = {}, 0\n"
    "while true do\n"
    "  local s = 0\n"
    "  for i = 1, 200 do t[i] = (i * id) % 13; s = s + t[i] end\n"
    "  n = n + 1\n"
    "  progress(n, s)\n"
    "end\n";

static int64_t deadline_ns;
static _Atomic long iterations[MAX_THREADS];
static sp_waitgroup running = SP_WAITGROUP_INIT;

static int progress(lua_State *L) {
  if (sp_now_ns() >= deadline_ns)
    return luaL_error(L, "time is up");
  int id = (int)lua_tointeger(L, lua_upvalueindex(1));
  atomic_store_explicit(&iterations[id], (long)luaL_checkinteger(L, 1), memory_order_relaxed);
  return 0;
}

static void interpreter(void *arg) {
  int id = (int)(intptr_t)arg;
  lua_State *L = luaL_newstate();
  luaL_openlibs(L);
  lua_pushinteger(L, id);
  lua_pushcclosure(L, progress, 1);
  lua_setglobal(L, "progress");
  if (luaL_loadstring(L, script) != LUA_OK) {
    fprintf(stderr, "lua_threads: %s\n", lua_tostring(L, -1));
    exit(1);
  }
  lua_pushinteger(L, id + 1);
  lua_pcall(L, 1, 0, 0); /* ends with "time is up" */
  lua_close(L);
  sp_wg_done(&running);
}

static void print_row(int threads, long ms) {
  printf("%6ld", ms);
  for (int i = 0; i < threads; i++)
    printf(" %10ld", atomic_load_explicit(&iterations[i], memory_order_relaxed));
  printf("\n");
  fflush(stdout);
}

static int run(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 4;
  int ms = argc > 2 ? atoi(argv[2]) : 1000;
  if (threads < 1 || threads > MAX_THREADS || ms <= 0) {
    fprintf(stderr, "usage: lua_threads [threads 1..%d] [milliseconds > 0]\n", MAX_THREADS);
    return 2;
  }
  printf("%d Lua interpreters, each looping without ever yielding in its own green thread, on %d P, "
         "for %d ms.\nLoop iterations so far:\n    ms",
         threads, sp_maxprocs(), ms);
  for (int i = 0; i < threads; i++) {
    char label[16];
    snprintf(label, sizeof label, "thread %d", i + 1);
    printf(" %10s", label);
  }
  printf("\n");
  int64_t start = sp_now_ns();
  deadline_ns = start + (int64_t)ms * 1000000;
  sp_wg_add(&running, threads);
  for (int i = 0; i < threads; i++)
    sp_go(interpreter, (void *)(intptr_t)i);
  /* This reporter is one more green thread on the same P: it wakes only if the interpreters are
   * preempted. */
  while (sp_now_ns() < deadline_ns) {
    sp_sleep_ns(REPORT_MS * 1000000);
    print_row(threads, (long)((sp_now_ns() - start) / 1000000));
  }
  sp_wg_wait(&running);
  int progressed = 0;
  for (int i = 0; i < threads; i++)
    progressed += atomic_load_explicit(&iterations[i], memory_order_relaxed) > 0;
  printf("%d of %d Lua green threads made progress\n", progressed, threads);
  return 0;
}

int main(int argc, char **argv) { return sp_main(run, argc, argv); }
