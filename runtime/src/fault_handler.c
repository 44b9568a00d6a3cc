/* fault_handler.c - the SIGSEGV handler: turns poll-page faults at registered sites into
 * preemptions, and passes every other fault on unchanged.
 *
 * A fault is a poll only if (1) the kernel raised it (not kill(2)), (2) the faulting address is in
 * a poll page (the shared one, or the faulting thread's own thread page, which the runtime
 * protects to stop that thread: thread_poll_page.c), and (3) the PC is a page-mode site in a registered site table. Then:
 *   - on an M running a green thread, the handler redirects the thread to
 *     sp__preempt_trampoline (preempt_trampoline_x86_64.S), which saves all state and switches
 *     green threads; the G later resumes after the poll instruction (PC + record length), never
 *     re-executing it, since it resumes on whichever OS thread runs it next, whose page may
 *     be armed for that thread's own reasons;
 *   - on the stop-the-world owner, whose global-page polls fault while the world is stopped, and
 *     on a thread nobody asked to stop (the shared page is protected while another thread is
 *     asked to stop, if the program has global-page polls), it just steps over the poll;
 *   - on a thread that is not part of the runtime, it waits for the world to restart, then steps
 *     over the poll.
 * Anything else goes to the program's SIGSEGV handler (installed before sp_main or inside it; a
 * sanitizer's, if it came first), or gets the default action (the process dies of SIGSEGV, with
 * a core dump where enabled) - never swallowed. A poll inside a signal handler is stepped over. A fault in a green
 * thread's guard region gets a clear message first.
 *
 * Runs on the M's sigaltstack; only async-signal-safe calls (the site lookup is lock-free). */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#ifdef SP_HAVE_VALGRIND_H
#include <valgrind/memcheck.h>
#endif

#include "internal.h"

void sp__preempt_trampoline(void);

#define SP_RED_ZONE 128
#define SP_ALTSTACK_SIZE (64 * 1024)

static void write_str(const char *s) {
  ssize_t w = write(STDERR_FILENO, s, strlen(s));
  (void)w;
}

/* Every fault that is not a poll: the program's SIGSEGV action (signals.c keeps it; a sanitizer's
 * handler, if the sanitizer installed one first), or the default action. */
static void chain(int sig, siginfo_t *si, void *ucv) {
  ucontext_t *uc = ucv;
  struct sigaction action;
  sp__signal_user_action(sig, &action);
  void *fn = (action.sa_flags & SA_SIGINFO) ? (void *)action.sa_sigaction : (void *)action.sa_handler;
  /* This handler runs with SIGSEGV unblocked (SA_NODEFER, so that poll faults in handlers are
   * delivered). A genuine fault that the program's handler masks would have blocked kills the
   * process without the runtime: so it does here. */
  bool blocked = si->si_code > 0 && sp__signal_segv_blocked((uintptr_t)uc->uc_mcontext.gregs[REG_RSP]);
  if (!blocked && fn != (void *)SIG_DFL && fn != (void *)SIG_IGN) {
    sp__signal_call_user(sig, si, ucv);
    return;
  }
  /* Default action: restore it and let the fault happen again (or re-raise a sent signal, which
   * stays pending until this handler returns). */
  struct sigaction dfl;
  memset(&dfl, 0, sizeof(dfl));
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sp__real_sigaction(sig, &dfl, NULL);
  if (si->si_code <= 0)
    raise(sig);
}

static void handler(int sig, siginfo_t *si, void *ucv) {
  ucontext_t *uc = ucv;
  int saved_errno = errno;
  uintptr_t addr = (uintptr_t)si->si_addr;
  greg_t *regs = uc->uc_mcontext.gregs;
  uintptr_t pc = (uintptr_t)regs[REG_RIP];
  sp_m *m = sp__m_tls;

  if (si->si_code > 0 && sp__addr_is_poll_page(addr)) {
    const struct sp_site_record *r = sp__site_lookup(pc);
    if (r && r->length != 0 && (r->mode == SP_MODE_THREAD_PAGE || r->mode == SP_MODE_GLOBAL_PAGE)) {
      uintptr_t resume = pc + r->length;
      /* A fault on the shared page while nobody asked this thread to stop (the page is held
       * for another thread's global-page preemption) is stepped over. */
      bool wanted = sp__addr_is_thread_page(addr) || sp__self_is_armed() ||
                    atomic_load(&sp__sched.stw_pending);
      /* A poll in a signal handler never switches green threads (signals.c): it is stepped over
       * and the thread stays armed, so the G stops at its first poll after the handler. */
      bool in_handler = sp__in_signal_context((uintptr_t)regs[REG_RSP]);
      if (m && m->curg && wanted && !in_handler && m->curg != atomic_load(&sp__sched.stw_owner)) {
        /* Push the resume address below the red zone; the trampoline's `ret $128` pops it and
         * gives the red zone back. */
        uintptr_t sp = (uintptr_t)regs[REG_RSP] - SP_RED_ZONE - 8;
#ifdef SP_HAVE_VALGRIND_H
        /* memcheck sees no call here, and does not follow the first pushes after the signal
         * returns: tell it that the slot and the trampoline's first frame are stack. */
        VALGRIND_MAKE_MEM_UNDEFINED((void *)(sp - 256), 256 + 8);
#endif
        *(uintptr_t *)sp = resume;
        regs[REG_RSP] = (greg_t)sp;
        regs[REG_RIP] = (greg_t)(uintptr_t)sp__preempt_trampoline;
        m->preempt_site = r;
      } else {
        if (m && m->curg && wanted && in_handler) {
          sp__signal_defer_preemption(m);
        } else if (m && in_handler) {
          /* An M whose G has stopped but that has not given the shared page back yet (it was
           * about to, in the scheduler, when the signal came): give it back now, or every poll
           * of this handler, and of every other thread's, faults until the handler is done, and
           * with a fast timer signal the handlers never are (signals.c). */
          sp__disarm_pages_self(m);
        }
        if (!m && !in_handler) {
          for (;;) {
            uint32_t gen = atomic_load(&sp__sched.world_gen);
            if (!sp__world_is_stopped())
              break;
            sp__futex_wait(&sp__sched.world_gen, gen, -1);
          }
        }
        regs[REG_RIP] = (greg_t)resume;
      }
      errno = saved_errno;
      return;
    }
  }
  if (si->si_code > 0 && m && m->curg && sp__stack_in_guard_region(m->curg, addr))
    write_str("fatal error: green thread stack overflow (a green thread ran into its stack's guard "
              "region; SPDEBUG=stacksize=<KiB> makes stacks larger)\n");
  /* A signal whose frame did not fit below the interrupted stack pointer: the kernel sends a
   * SIGSEGV of its own instead (SI_KERNEL, no address), and the program's handler never runs. On a
   * green stack that is an overflow: a thread-page entry poll lets a recursion run down to the
   * guard region (docs/pass.md), where a handler without SA_ONSTACK finds no room. */
  else if (si->si_code == SI_KERNEL && m && m->curg &&
           sp__stack_pointer_near_guard(m->curg, (uintptr_t)regs[REG_RSP]))
    write_str("fatal error: green thread stack overflow (a signal arrived with too little of the "
              "green thread's stack left for its frame; SPDEBUG=stacksize=<KiB> makes stacks "
              "larger, SA_ONSTACK runs the handler elsewhere)\n");
  errno = saved_errno;
  chain(sig, si, ucv);
}

/* Installs the handler when sp_main starts, unless it is still installed from an earlier run. It
 * stays installed after sp_main returns: a thread outside the runtime may have faulted on a poll
 * page an instant before the page became readable again, and its SIGSEGV may be delivered only
 * later; with the default action restored, that would kill the process. Left installed, the
 * handler steps over such polls and passes every other fault on, as before. SA_NODEFER: a poll in
 * a signal handler, a SIGSEGV handler included, must fault into this handler rather than kill the
 * process (signals.c). */
void sp__fault_install(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_sigaction = handler;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  sp__signals_take_segv(&sa);
}

void sp__sigaltstack_setup(sp_m *m) {
  void *mem = mmap(NULL, SP_ALTSTACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED)
    sp__fatal("runtime: cannot map a signal stack");
  stack_t ss = {.ss_sp = mem, .ss_size = SP_ALTSTACK_SIZE, .ss_flags = 0};
  if (sigaltstack(&ss, NULL) != 0)
    sp__fatal("runtime: sigaltstack failed");
  m->sigaltstack_mem = mem;
}

void sp__sigaltstack_teardown(sp_m *m) {
  if (!m->sigaltstack_mem)
    return;
  stack_t ss = {.ss_sp = NULL, .ss_size = 0, .ss_flags = SS_DISABLE};
  sigaltstack(&ss, NULL);
  munmap(m->sigaltstack_mem, SP_ALTSTACK_SIZE);
  m->sigaltstack_mem = NULL;
}
