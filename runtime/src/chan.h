/* chan.h - the channel structure, shared by chan.c and select.c. */
#ifndef SP_CHAN_H
#define SP_CHAN_H

#include "internal.h"

struct sp__waitq {
  struct sp__waiter *first, *last;
};

struct sp_chan {
  uint32_t lock; /* sp__spin_lock */
  int closed;
  size_t elem_size, cap;
  size_t count, sendx, recvx; /* ring buffer state */
  char *buf;
  struct sp__waitq recvq, sendq;
};

void sp__waitq_push(struct sp__waitq *q, struct sp__waiter *w);
void sp__waitq_remove(struct sp__waitq *q, struct sp__waiter *w);
struct sp__waiter *sp__waitq_pop(struct sp__waitq *q);

/* With c locked: complete a send/receive without blocking if possible. Return 1 on success (and the
 * G to ready in *wake, if any), 0 if it would block; receive returns -1 on a closed, drained
 * channel (elem zeroed). */
int sp__chan_try_send_locked(sp_chan *c, const void *elem, sp_g **wake);
int sp__chan_try_recv_locked(sp_chan *c, void *elem, sp_g **wake);

#endif /* SP_CHAN_H */
