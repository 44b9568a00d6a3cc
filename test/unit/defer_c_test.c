/* defer_c_test.c - SP_DEFER in C: cleanups run at scope exit, last declared first. */
#include "safepoint.h"

static void push_digit(void *arg) {
  int *acc = arg;
  *acc = *acc * 10 + (*acc == 0 ? 2 : 1);
}

int sp_test_defer_c(void);

int sp_test_defer_c(void) {
  int acc = 0;
  {
    SP_DEFER(push_digit, &acc); /* runs second: appends 1 */
    SP_DEFER(push_digit, &acc); /* runs first: acc == 0, appends 2 */
  }
  return acc; /* 21 */
}
