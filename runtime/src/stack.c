/* stack.c - green-thread stacks: mmap'd, with a PROT_NONE guard region below them.
 *
 * A stack is mapped when its G first runs, not when it is created, and a dead G leaves its stack
 * in its P's cache for the next G that starts there: so a program may create many more green
 * threads than it runs at once. Each
 * stack costs two memory mappings (stack and guard), and Linux limits a process to
 * vm.max_map_count mappings (65530 by default), so about 32000 green threads can be alive *and
 * started* at once by default; pages are only committed when touched.
 *
 * The guard region is SP_STACK_GUARD_BYTES (128 KiB), not one page: uninstrumented code (no stack
 * probes of ours) that runs near the stack's low end may write a frame's far end first, and the
 * region catches any such write up to 128 KiB below the low end, wherever it lands; the fault handler
 * names the overflow. Where the pass still compares at function entry (the flag, call and
 * global-page modes), __sp_stack_guard sits SP_STACK_GUARD_MARGIN bytes above the region, so that
 * __sp_morestack's report has stack left to run.
 *
 * Under valgrind, every stack is registered as one (VALGRIND_STACK_REGISTER): otherwise memcheck
 * takes a switch to a green-thread stack mapped near the M's own stack for a huge stack frame, and
 * marks the memory in between, the M's TLS included, inaccessible. The client requests cost a few
 * instructions that do nothing outside valgrind; without valgrind's header they are left out. */
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#ifdef SP_HAVE_VALGRIND_H
#include <valgrind/valgrind.h>
#endif

#include "internal.h"

#define SP_PAGE 4096u
_Static_assert(SP_STACK_GUARD_BYTES % SP_PAGE == 0, "the guard region is whole pages");

static unsigned valgrind_register(char *base, size_t size) {
#ifdef SP_HAVE_VALGRIND_H
  return VALGRIND_STACK_REGISTER(base + SP_STACK_GUARD_BYTES, base + size);
#else
  (void)base, (void)size;
  return 0;
#endif
}

static void valgrind_deregister(unsigned id) {
#ifdef SP_HAVE_VALGRIND_H
  VALGRIND_STACK_DEREGISTER(id);
#else
  (void)id;
#endif
}

static void assign(sp_g *g, char *base, size_t size, unsigned valgrind_id) {
  g->stack_base = base;
  g->stack_size = size;
  g->stack_valgrind_id = valgrind_id;
  g->stack_guard = (uintptr_t)base + SP_STACK_GUARD_BYTES + SP_STACK_GUARD_MARGIN;
}

bool sp__stack_alloc(sp_p *p, sp_g *g) {
  size_t size = sp__config.stack_size + SP_STACK_GUARD_BYTES;
  if (p->nstackcache > 0) {
    struct sp__stack *s = &p->stackcache[--p->nstackcache];
    sp__fiber_stack_recycled(s->base + SP_STACK_GUARD_BYTES, s->size - SP_STACK_GUARD_BYTES);
    assign(g, s->base, s->size, s->valgrind_id);
    return true;
  }
  void *base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK,
                    -1, 0);
  if (base == MAP_FAILED)
    return false;
  if (mprotect(base, SP_STACK_GUARD_BYTES, PROT_NONE) != 0) {
    munmap(base, size);
    return false;
  }
  assign(g, base, size, valgrind_register(base, size));
  return true;
}

/* A dead G gives its stack to p's cache, or back to the system if the cache is full. */
void sp__stack_release(sp_p *p, sp_g *g) {
  if (!g->stack_base)
    return;
  if (p->nstackcache < SP_STACK_CACHE) {
    p->stackcache[p->nstackcache++] =
        (struct sp__stack){g->stack_base, g->stack_size, g->stack_valgrind_id};
    g->stack_base = NULL;
    g->stack_size = 0;
    g->stack_guard = 0;
    return;
  }
  sp__stack_free(g);
}

void sp__stack_cache_drain(sp_p *p) {
  while (p->nstackcache > 0) {
    struct sp__stack *s = &p->stackcache[--p->nstackcache];
    valgrind_deregister(s->valgrind_id);
    munmap(s->base, s->size);
  }
}

void sp__stack_free(sp_g *g) {
  if (g->stack_base) {
    valgrind_deregister(g->stack_valgrind_id);
    munmap(g->stack_base, g->stack_size);
    g->stack_base = NULL;
    g->stack_size = 0;
    g->stack_guard = 0;
  }
}

bool sp__stack_in_guard_region(const sp_g *g, uintptr_t addr) {
  uintptr_t base = (uintptr_t)g->stack_base;
  /* A frame that jumps far below the stack pointer may skip the guard region; count a little more. */
  return base != 0 && addr >= base - 16 * SP_PAGE && addr < base + SP_STACK_GUARD_BYTES;
}

bool sp__stack_pointer_near_guard(const sp_g *g, uintptr_t sp) {
  uintptr_t base = (uintptr_t)g->stack_base;
  return base != 0 && sp >= base && sp < base + SP_STACK_GUARD_BYTES + SP_STACK_GUARD_MARGIN;
}
