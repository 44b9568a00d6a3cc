/* chan.c - channels: Go's semantics for buffered and unbuffered channels and close.
 *
 * A channel is a ring buffer plus two FIFO queues of waiters (struct sp__waiter, on each waiting
 * G's own stack). A sender that finds a waiting receiver copies straight into the receiver's
 * destination and readies it into runnext, so an unbuffered ping-pong is one copy and one switch
 * each way, on one P. Waiters that belong to a sp_select can be claimed only once: whoever CASes
 * their G's select_done first wins, and others skip them (select.c removes the leftovers). */
#include <stdlib.h>
#include <string.h>

#include "chan.h"

void sp__waitq_push(struct sp__waitq *q, struct sp__waiter *w) {
  w->next = NULL;
  w->prev = q->last;
  if (q->last)
    q->last->next = w;
  else
    q->first = w;
  q->last = w;
}

void sp__waitq_remove(struct sp__waitq *q, struct sp__waiter *w) {
  if (w->prev)
    w->prev->next = w->next;
  else if (q->first == w)
    q->first = w->next;
  else
    return; /* not queued (already taken by a waker) */
  if (w->next)
    w->next->prev = w->prev;
  else
    q->last = w->prev;
  w->next = w->prev = NULL;
}

/* Takes the first waiter that can still be woken: a select waiter only if its G has not been
 * woken by another case (or its timeout) yet. */
struct sp__waiter *sp__waitq_pop(struct sp__waitq *q) {
  for (;;) {
    struct sp__waiter *w = q->first;
    if (!w)
      return NULL;
    q->first = w->next;
    if (q->first)
      q->first->prev = NULL;
    else
      q->last = NULL;
    w->next = w->prev = NULL;
    if (w->is_select) {
      int expected = 0;
      if (!atomic_compare_exchange_strong(&w->g->select_done, &expected, 1))
        continue;
      w->g->select_case = w->case_index;
    }
    return w;
  }
}

sp_chan *sp_chan_make(size_t elem_size, size_t capacity) {
  sp_chan *c = calloc(1, sizeof(*c));
  if (!c)
    sp__fatal("out of memory (sp_chan_make)");
  c->elem_size = elem_size;
  c->cap = capacity;
  if (capacity > 0 && elem_size > 0) {
    if (capacity > SIZE_MAX / elem_size)
      sp__fatal("makechan: size out of range");
    c->buf = malloc(capacity * elem_size);
    if (!c->buf)
      sp__fatal("out of memory (sp_chan_make)");
  }
  return c;
}

void sp_chan_free(sp_chan *c) {
  if (!c)
    return;
  if (c->recvq.first || c->sendq.first)
    sp__fatal("sp_chan_free of a channel with blocked green threads");
  free(c->buf);
  free(c);
}

static void copy_elem(const sp_chan *c, void *dst, const void *src) {
  if (dst && c->elem_size)
    memcpy(dst, src, c->elem_size);
}

static void *slot(sp_chan *c, size_t i) { return c->buf + i * c->elem_size; }

int sp__chan_try_send_locked(sp_chan *c, const void *elem, sp_g **wake) {
  struct sp__waiter *w = sp__waitq_pop(&c->recvq);
  if (w) {
    copy_elem(c, w->elem, elem);
    w->success = true;
    *wake = w->g;
    return 1;
  }
  if (c->count < c->cap) {
    copy_elem(c, slot(c, c->sendx), elem);
    c->sendx = (c->sendx + 1) % c->cap;
    c->count++;
    return 1;
  }
  return 0;
}

int sp__chan_try_recv_locked(sp_chan *c, void *elem, sp_g **wake) {
  struct sp__waiter *w = sp__waitq_pop(&c->sendq);
  if (w) {
    if (c->cap == 0) {
      copy_elem(c, elem, w->elem);
    } else {
      /* Full buffer: take its head, and the sender's value goes to the tail (FIFO kept). */
      copy_elem(c, elem, slot(c, c->recvx));
      copy_elem(c, slot(c, c->recvx), w->elem);
      c->recvx = (c->recvx + 1) % c->cap;
      c->sendx = c->recvx;
    }
    w->success = true;
    *wake = w->g;
    return 1;
  }
  if (c->count > 0) {
    copy_elem(c, elem, slot(c, c->recvx));
    c->recvx = (c->recvx + 1) % c->cap;
    c->count--;
    return 1;
  }
  if (c->closed) {
    if (elem && c->elem_size)
      memset(elem, 0, c->elem_size);
    return -1;
  }
  return 0;
}

static void block_forever(const char *reason) {
  if (!sp__getg())
    sp__fatal("blocking channel operation outside a green thread");
  sp__park(NULL, NULL, reason); /* only the deadlock detector ends this */
  sp__fatal("a green thread blocked forever was woken");
}

void sp_chan_send(sp_chan *c, const void *elem) {
  if (!c)
    block_forever("chan send (nil chan)");
  sp__spin_lock(&c->lock);
  if (c->closed) {
    sp__spin_unlock(&c->lock);
    sp__fatal("send on closed channel");
  }
  sp_g *wake = NULL;
  if (sp__chan_try_send_locked(c, elem, &wake)) {
    sp__spin_unlock(&c->lock);
    if (wake)
      sp__ready(wake, true);
    return;
  }
  sp_g *g = sp__getg();
  if (!g) {
    sp__spin_unlock(&c->lock);
    sp__fatal("blocking sp_chan_send outside a green thread");
  }
  struct sp__waiter w = {.g = g, .elem = (void *)elem, .chan = c};
  sp__waitq_push(&c->sendq, &w);
  sp__park(sp__spin_unlock_cb, &c->lock, "chan send");
  if (!w.success)
    sp__fatal("send on closed channel");
}

int sp_chan_recv(sp_chan *c, void *elem) {
  if (!c)
    block_forever("chan receive (nil chan)");
  sp__spin_lock(&c->lock);
  sp_g *wake = NULL;
  int r = sp__chan_try_recv_locked(c, elem, &wake);
  if (r != 0) {
    sp__spin_unlock(&c->lock);
    if (wake)
      sp__ready(wake, true);
    return r > 0;
  }
  sp_g *g = sp__getg();
  if (!g) {
    sp__spin_unlock(&c->lock);
    sp__fatal("blocking sp_chan_recv outside a green thread");
  }
  struct sp__waiter w = {.g = g, .elem = elem, .chan = c};
  sp__waitq_push(&c->recvq, &w);
  sp__park(sp__spin_unlock_cb, &c->lock, "chan receive");
  return w.success;
}

int sp_chan_try_send(sp_chan *c, const void *elem) {
  if (!c)
    return 0;
  sp__spin_lock(&c->lock);
  if (c->closed) {
    sp__spin_unlock(&c->lock);
    sp__fatal("send on closed channel");
  }
  sp_g *wake = NULL;
  int r = sp__chan_try_send_locked(c, elem, &wake);
  sp__spin_unlock(&c->lock);
  if (wake)
    sp__ready(wake, true);
  return r;
}

int sp_chan_try_recv(sp_chan *c, void *elem) {
  if (!c)
    return 0;
  sp__spin_lock(&c->lock);
  sp_g *wake = NULL;
  int r = sp__chan_try_recv_locked(c, elem, &wake);
  sp__spin_unlock(&c->lock);
  if (wake)
    sp__ready(wake, true);
  return r;
}

void sp_chan_close(sp_chan *c) {
  if (!c)
    sp__fatal("close of nil channel");
  sp__spin_lock(&c->lock);
  if (c->closed) {
    sp__spin_unlock(&c->lock);
    sp__fatal("close of closed channel");
  }
  c->closed = 1;
  sp_g *wake = NULL;
  struct sp__waiter *w;
  while ((w = sp__waitq_pop(&c->recvq))) {
    if (w->elem && c->elem_size)
      memset(w->elem, 0, c->elem_size);
    w->success = false;
    w->g->schedlink = wake;
    wake = w->g;
  }
  while ((w = sp__waitq_pop(&c->sendq))) {
    w->success = false;
    w->g->schedlink = wake;
    wake = w->g;
  }
  sp__spin_unlock(&c->lock);
  while (wake) {
    sp_g *g = wake;
    wake = g->schedlink;
    sp__ready(g, false);
  }
}

size_t sp_chan_len(sp_chan *c) {
  if (!c)
    return 0;
  sp__spin_lock(&c->lock);
  size_t n = c->count;
  sp__spin_unlock(&c->lock);
  return n;
}

size_t sp_chan_cap(sp_chan *c) { return c ? c->cap : 0; }
