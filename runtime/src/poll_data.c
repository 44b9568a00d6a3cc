/* poll_data.c - the data the pass's polls read: the runtime's strong definitions.
 *
 * The pass emits weak definitions of these symbols in every instrumented module (so a program
 * never linked with the runtime still runs); these strong, default-visibility definitions win at
 * static link time, and with the shared runtime the dynamic linker binds every image to one copy.
 * They are alone in their archive member, which needs nothing else: under LTO the pass creates the
 * weak definitions only in the link-time backend, and with several LTO partitions an object that
 * reads one may reach the linker before the partition that defines it, so the linker extracts this
 * member even from a program that never starts the runtime; that must not drag the scheduler in.
 *
 *   __sp_poll_page      the shared page. Readable, except while the world is stopped.
 *   __sp_thread_poll_page  per thread: a page of its own in the thread's static TLS block,
 *                       mprotected PROT_NONE to stop that one thread (thread_poll_page.c).
 *   __sp_poll_flag      per thread; non-zero sends flag-mode polls (and call-mode __sp_poll) to
 *                       the slow path.
 *   __sp_stack_guard    per thread; entry checks call __sp_morestack when rsp is below it. */
#include "internal.h"

#define SP_ABI __attribute__((visibility("default")))
SP_ABI __attribute__((aligned(SP_POLL_PAGE_SIZE), section(".data.sp_poll_page"))) char
    __sp_poll_page[SP_POLL_PAGE_SIZE];
SP_ABI __thread __attribute__((tls_model("initial-exec"), aligned(SP_POLL_PAGE_SIZE))) char
    __sp_thread_poll_page[SP_POLL_PAGE_SIZE];
SP_ABI __thread __attribute__((tls_model("initial-exec"))) uint8_t __sp_poll_flag;
SP_ABI __thread __attribute__((tls_model("initial-exec"))) uintptr_t __sp_stack_guard;
