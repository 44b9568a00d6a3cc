/* list.c - a linked-list walk: every load depends on the one before.
 *
 * The nodes are shuffled across a buffer that fits in L2, so each step is a cache-latency-bound
 * pointer chase. The walk's length is data-dependent, so its loop can never be elided. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct node {
  struct node *next;
  uint64_t value;
};

static uint64_t walk(const struct node *n, uint64_t sum) {
  for (; n; n = n->next)
    sum = sum * 31 + n->value;
  return sum;
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 16384;
  long reps = argc > 2 ? atol(argv[2]) : 12000;
  struct node *nodes = malloc(n * sizeof *nodes);
  long *order = malloc(n * sizeof *order);
  uint64_t x = 88172645463325252ull;
  for (long i = 0; i < n; i++)
    order[i] = i;
  for (long i = n - 1; i > 0; i--) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    long j = (long)(x % (uint64_t)(i + 1)), t = order[i];
    order[i] = order[j], order[j] = t;
  }
  for (long i = 0; i < n; i++) {
    nodes[order[i]].next = i + 1 < n ? &nodes[order[i + 1]] : NULL;
    nodes[order[i]].value = (uint64_t)i * 2654435761u;
  }
  uint64_t sum = 0;
  for (long r = 0; r < reps; r++)
    sum = walk(&nodes[order[0]], sum);
  printf("list: n=%ld reps=%ld sum=%016llx\n", n, reps, (unsigned long long)sum);
  free(nodes), free(order);
  return 0;
}
