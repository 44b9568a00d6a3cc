/* A shared library whose destructor takes a while, for exit-while-running.test: at exit it runs
 * after the executable's own destructors, while the executable's green threads keep polling. */
#include <unistd.h>

__attribute__((destructor)) static void slow_destructor(void) { usleep(20000); }

int exit_slow_dtor_linked(void) { return 1; }
