/* An uninstrumented library (plain clang) that calls back under its own pthread mutex, as a logging
 * or container library does: the callback, instrumented, has polls. */
#include <pthread.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void lib_with_lock(void (*callback)(void *), void *arg) {
  pthread_mutex_lock(&lock);
  callback(arg);
  pthread_mutex_unlock(&lock);
}
