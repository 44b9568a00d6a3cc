/* A fully static program that takes the locks the C library's start-up links in, with the runtime
 * linked but never started: it behaves as without the runtime. */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t rwlock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int inits;

static void init(void) { inits++; }

int main(void) {
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
