/* blocking_calls.c - green threads that block in the kernel outside the runtime (read on a pipe,
 * nanosleep, a contended pthread mutex or rwlock), compiled with the pass once per poll mode. Each counts
 * itself in *in_call right around the blocking call, with no poll in between: a ticker that sees
 * every blocker counted is running while all of them sit in the kernel. After the call comes a
 * loop with polls, where an M whose P was handed away stops. The counters are plain ints used
 * through atomic builtins, so that C++ shares them. */
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#define SP_CAT2(a, b) a##b
#define SP_CAT(a, b) SP_CAT2(a, b)
#define SP_NAME(name) SP_CAT(SP_HOG_PREFIX, name)

unsigned long SP_NAME(_mix)(unsigned long seed, long n);
unsigned long SP_NAME(_read_then_mix)(int fd, int *in_call, long n);
long SP_NAME(_sleep_until)(int *stop, int *in_call);
unsigned long SP_NAME(_lock_then_mix)(pthread_mutex_t *mu, int *in_call, long n);
unsigned long SP_NAME(_rdlock_then_mix)(pthread_rwlock_t *l, int *in_call, long n);
unsigned long SP_NAME(_wrlock_then_mix)(pthread_rwlock_t *l, int *in_call, long n);

/* Work with a poll at every iteration whose result the test recomputes. */
unsigned long SP_NAME(_mix)(unsigned long seed, long n) {
  unsigned long s = seed;
  for (long i = 0; i < n; i++)
    s = s * 31 + ((unsigned long)i ^ (s >> 7));
  return s;
}

/* Blocks in read() for one byte, then mixes it: 0 if read failed. */
unsigned long SP_NAME(_read_then_mix)(int fd, int *in_call, long n) {
  unsigned char byte = 0;
  __atomic_fetch_add(in_call, 1, __ATOMIC_SEQ_CST);
  ssize_t r = read(fd, &byte, 1);
  __atomic_fetch_sub(in_call, 1, __ATOMIC_SEQ_CST);
  if (r != 1)
    return 0;
  return SP_NAME(_mix)(byte, n);
}

/* Sleeps 5 ms at a time until *stop; returns how many sleeps it made. */
long SP_NAME(_sleep_until)(int *stop, int *in_call) {
  long sleeps = 0;
  while (!__atomic_load_n(stop, __ATOMIC_SEQ_CST)) {
    struct timespec ts = {0, 5 * 1000 * 1000};
    __atomic_fetch_add(in_call, 1, __ATOMIC_SEQ_CST);
    nanosleep(&ts, NULL);
    __atomic_fetch_sub(in_call, 1, __ATOMIC_SEQ_CST);
    sleeps++;
  }
  return sleeps;
}

/* Waits (at most 3 s) for a mutex another thread holds, then mixes: 0 if the wait timed out. */
unsigned long SP_NAME(_lock_then_mix)(pthread_mutex_t *mu, int *in_call, long n) {
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += 3;
  __atomic_fetch_add(in_call, 1, __ATOMIC_SEQ_CST);
  int err = pthread_mutex_timedlock(mu, &deadline);
  __atomic_fetch_sub(in_call, 1, __ATOMIC_SEQ_CST);
  if (err != 0)
    return 0;
  pthread_mutex_unlock(mu);
  return SP_NAME(_mix)(1, n);
}

/* Waits for a read lock on an rwlock another thread write-locks (plain rdlock: the holder gives it
 * up within 3 s), then mixes. */
unsigned long SP_NAME(_rdlock_then_mix)(pthread_rwlock_t *l, int *in_call, long n) {
  __atomic_fetch_add(in_call, 1, __ATOMIC_SEQ_CST);
  int err = pthread_rwlock_rdlock(l);
  __atomic_fetch_sub(in_call, 1, __ATOMIC_SEQ_CST);
  if (err != 0)
    return 0;
  pthread_rwlock_unlock(l);
  return SP_NAME(_mix)(1, n);
}

/* Waits for the write lock on an rwlock another thread read-locks, then mixes. */
unsigned long SP_NAME(_wrlock_then_mix)(pthread_rwlock_t *l, int *in_call, long n) {
  __atomic_fetch_add(in_call, 1, __ATOMIC_SEQ_CST);
  int err = pthread_rwlock_wrlock(l);
  __atomic_fetch_sub(in_call, 1, __ATOMIC_SEQ_CST);
  if (err != 0)
    return 0;
  pthread_rwlock_unlock(l);
  return SP_NAME(_mix)(1, n);
}
