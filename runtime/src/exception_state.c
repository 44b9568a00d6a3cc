/* exception_state.c - the C++ runtime's per-thread exception state follows the green thread.
 *
 * The Itanium C++ ABI, which libstdc++ and libc++abi implement, keeps two words per thread in a
 * struct __cxa_eh_globals that __cxa_get_globals() returns: the stack of exceptions being handled
 * (caught, their catch block not left yet) and the number of exceptions thrown and not caught yet.
 * __cxa_begin_catch pushes on the stack and __cxa_end_catch pops; `throw;` and
 * std::current_exception read its top; __cxa_throw and std::rethrow_exception count up and
 * std::uncaught_exceptions reads the count. A green thread stopped inside a catch block, or in a
 * destructor that runs while an exception unwinds its stack, and resumed on another OS thread, or
 * after other green threads used its own, would read somebody else's: `throw;` rethrows another
 * green thread's exception or ends in "terminate called without an active exception". So, like
 * errno, the two words are saved in the G when it stops and written into its M's globals when it
 * starts (sched.c: stop_running, begin_running).
 *
 * The C++ runtime never keeps the globals' address across code that can switch: it fetches them
 * afresh in each of those functions and calls no user code while it holds them (__cxa_end_catch
 * pops before it runs the exception's destructor). Copying values in and out of the M's globals,
 * rather than pointing the thread at another block, is what keeps that true.
 *
 * The runtime is C and must work in programs without a C++ runtime: __cxa_get_globals is a weak
 * reference, null when no C++ runtime is linked or loaded with the program. A C++ runtime that
 * only a later dlopen brings in is not seen. Each M looks the address of its thread's globals up
 * once, when it starts (it never changes for a thread); then a switch costs two copies of two
 * words. */
#include "internal.h"

/* The layout the ABI specifies (libstdc++ and libc++abi may append fields on other targets). */
struct sp__cxa_eh_globals {
  void *caught_exceptions;
  unsigned int uncaught_exceptions;
};

extern struct sp__cxa_eh_globals *__cxa_get_globals(void)
    __attribute__((weak, visibility("default")));

_Static_assert(sizeof(struct sp__exception_state) == sizeof(struct sp__cxa_eh_globals) &&
                   offsetof(struct sp__exception_state, caught) ==
                       offsetof(struct sp__cxa_eh_globals, caught_exceptions) &&
                   offsetof(struct sp__exception_state, uncaught) ==
                       offsetof(struct sp__cxa_eh_globals, uncaught_exceptions),
               "struct sp__exception_state mirrors __cxa_eh_globals");

void sp__exception_state_m_start(sp_m *m) {
  m->exception_state = __cxa_get_globals ? (struct sp__exception_state *)__cxa_get_globals() : NULL;
}

/* The last G to run on m left its state in m's globals. g0 never throws, but the C++ runtime may
 * free what the globals point to when the thread exits (libstdc++ without TLS does): the exceptions
 * belong to that G, so the M leaves nothing behind. */
void sp__exception_state_m_exit(sp_m *m) {
  if (m->exception_state)
    *m->exception_state = (struct sp__exception_state){0};
}
