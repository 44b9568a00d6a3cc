/* A fully static program that takes mutexes, rwlocks and pthread_once in a green thread: the
 * runtime's interposers, linked in with sp_main, find the static C library's definitions. */
#include <pthread.h>
#include <safepoint.h>
#include <stdio.h>

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t rwlock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int inits;

static void init(void) { inits++; }

static int green_main(int argc, char **argv) {
  (void)argc;
  (void)argv;
  int busy;
  pthread_mutex_lock(&mutex);
  busy = pthread_mutex_trylock(&mutex) != 0;
  pthread_mutex_unlock(&mutex);
  pthread_rwlock_rdlock(&rwlock);
  pthread_rwlock_unlock(&rwlock);
  pthread_rwlock_wrlock(&rwlock);
  pthread_rwlock_unlock(&rwlock);
  pthread_once(&once, init);
  pthread_once(&once, init);
  printf("busy: %d\ninits: %d\n", busy, inits);
  return 0;
}

int main(int argc, char **argv) { return sp_main(green_main, argc, argv); }
