/* A program that never starts the runtime but calls every function the runtime interposes: pthread
 * and C11 locks, pthread_once, a C++ static-init guard, sigaction and signal. None of that may pull
 * runtime code into it; it must behave as a plain build does. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <threads.h>

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t rwlock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_spinlock_t spin;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static once_flag c11_once = ONCE_FLAG_INIT;
static int inits;

static void init(void) { inits++; }
static void on_usr1(int) {}

static int constructed;
struct Counted {
  Counted() { constructed++; }
};

static int use_static(void) {
  static Counted counted; // __cxa_guard_acquire / __cxa_guard_release
  return constructed;
}

int main() {
  pthread_mutex_lock(&mutex);
  int busy = pthread_mutex_trylock(&mutex) != 0;
  pthread_mutex_unlock(&mutex);
  pthread_rwlock_rdlock(&rwlock);
  pthread_rwlock_unlock(&rwlock);
  pthread_rwlock_wrlock(&rwlock);
  pthread_rwlock_unlock(&rwlock);
  pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
  pthread_spin_lock(&spin);
  pthread_spin_unlock(&spin);
  pthread_once(&once, init);
  call_once(&c11_once, init);
  mtx_t m;
  mtx_init(&m, mtx_plain);
  mtx_lock(&m);
  mtx_unlock(&m);
  struct sigaction sa = {};
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, nullptr);
  signal(SIGUSR2, SIG_IGN);
  struct sigaction back;
  sigaction(SIGUSR1, nullptr, &back);
  use_static();
  printf("busy: %d\ninits: %d\nconstructed: %d\nhandler kept: %d\n", busy, inits, use_static(),
         back.sa_handler == on_usr1);
  return 0;
}
