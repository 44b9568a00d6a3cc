/* Calls whose value the caller returns through a conversion that costs nothing (pointer <-> integer,
 * truncation, a field of an aggregate), or whose argument the callee returns (memcpy's destination,
 * strcpy's): clang -O2 makes each a sibling call. back (inttoptr) recurs through as_integer (ptrtoint)
 * and as_pointer in sibling-casts-main.c, so losing any of these jumps overflows the stack. */
#include <stdint.h>
#include <string.h>

typedef struct {
  long a, b;
} pair;
pair pext(long);
long lext(long);
uintptr_t as_integer(long n);
void *back(long n);

void *back(long n) { return (void *)as_integer(n); }

long first_field(long x) { return pext(x).a; }

int narrowed(long x) { return (int)lext(x); }

void *copy(void *d, const void *s, unsigned long n) { return memcpy(d, s, n); }

char *cat_or_cpy(char *d, const char *s, int k) {
  if (k)
    return strcpy(d, s);
  return strcat(d, s);
}
