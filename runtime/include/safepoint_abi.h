/* safepoint_abi.h - the contract between the Safepoint pass and the runtime.
 *
 * Everything the compiler plugin emits and the runtime (or sp-inspect) reads is named here, once:
 * symbol names, the layout of one site record, and the numbering of site kinds and poll modes. The
 * plugin includes this header too, so the two sides cannot drift apart.
 *
 * Instrumented code refers to these symbols as follows (x86-64, System V):
 *
 *   __sp_poll_page       4096-byte, 4096-aligned readable page. Global-page polls read it directly;
 *                        stop-the-world mprotects it to PROT_NONE and back.
 *   __sp_thread_poll_page  initial-exec TLS, 4096 bytes, 4096-aligned: a page of its own in every
 *                        thread's static TLS block. Thread-page polls read it %fs-relative (one
 *                        load, `testl %eax, %fs:__sp_thread_poll_page@tpoff`); the runtime arms one
 *                        thread by mprotecting that thread's copy to PROT_NONE. Only executable
 *                        code defines it (weakly); code built PIC refers to it as a weak undefined
 *                        symbol, and with no definition anywhere its polls read %fs:0.
 *   __sp_poll_flag       initial-exec TLS byte; non-zero asks the thread to call __sp_poll_slow.
 *   __sp_stack_guard     initial-exec TLS uintptr_t. Every function-entry check calls
 *                        __sp_morestack when the stack pointer is below it. 0 (never) by default;
 *                        SP_STACK_GUARD_PREEMPT asks for preemption at the next function entry.
 *   __sp_poll_slow       flag-mode slow path, preserve_most calling convention, no arguments.
 *   __sp_morestack       entry-check slow path, preserve_most calling convention, no arguments.
 *   __sp_poll            call-mode poll, C calling convention, no arguments.
 *   __sp_register_sites  called once per linked image by a constructor the pass emits, with the
 *                        bounds of that image's site table (section SP_SITE_SECTION).
 *   __sp_unregister_sites  called with the same bounds by a destructor the pass emits, when the
 *                        image goes (dlclose, exit): the runtime forgets that table.
 *
 * The data symbols are emitted as weak definitions by the pass (the thread page only in executable
 * code), so a program built with the plugin but never linked with the runtime still links and
 * runs: the pages are readable, the flag and the guard are zero. __sp_poll_slow, __sp_morestack and the two registration functions are weak
 * references; only call mode needs the runtime at link time (it calls __sp_poll on every poll).
 *
 * A site record is 24 bytes, 4-byte aligned, position independent (every address is stored relative
 * to the field that holds it, so tables need no dynamic relocations in PIE or shared libraries). */
#ifndef SAFEPOINT_ABI_H
#define SAFEPOINT_ABI_H

#include <stdint.h>

#define SP_SYM_POLL_PAGE "__sp_poll_page"
#define SP_SYM_THREAD_POLL_PAGE "__sp_thread_poll_page"
#define SP_SYM_POLL_FLAG "__sp_poll_flag"
#define SP_SYM_STACK_GUARD "__sp_stack_guard"
#define SP_SYM_POLL_SLOW "__sp_poll_slow"
#define SP_SYM_MORESTACK "__sp_morestack"
#define SP_SYM_POLL "__sp_poll"
#define SP_SYM_REGISTER_SITES "__sp_register_sites"
#define SP_SYM_UNREGISTER_SITES "__sp_unregister_sites"

/* The site table section. A C identifier, so the linker defines __start_sp_sites/__stop_sp_sites. */
#define SP_SITE_SECTION "sp_sites"

/* The module flag that marks a module as instrumented, so running the pass twice changes nothing. */
#define SP_MODULE_FLAG "safepoint.instrumented"

#define SP_POLL_PAGE_SIZE 4096u

/* Every stack pointer is below this guard, so every entry check takes the slow path: this is how the
 * runtime asks for preemption at the next function entry (Go's stackPreempt). */
#define SP_STACK_GUARD_PREEMPT UINTPTR_MAX

enum sp_site_kind {
  SP_SITE_LOOP = 1,     /* a loop back-edge (natural loop or irreducible cycle) */
  SP_SITE_EPILOGUE = 2, /* before a return */
  SP_SITE_ENTRY = 3,    /* the function-entry poll: a stack check, or a thread-page poll */
  SP_SITE_SELECT = 4,   /* before a call to the runtime's select */
  SP_SITE_DEFER = 5,    /* before a call to the runtime's defer */
};

enum sp_poll_mode {
  SP_MODE_THREAD_PAGE = 1, /* read __sp_thread_poll_page (this thread's copy) */
  SP_MODE_GLOBAL_PAGE = 2, /* read __sp_poll_page */
  SP_MODE_FLAG = 3,        /* test __sp_poll_flag, cold call to __sp_poll_slow */
  SP_MODE_CALL = 4,        /* call __sp_poll */
  SP_MODE_STACK_GUARD = 5, /* compare the stack pointer with __sp_stack_guard (entry checks) */
};

struct sp_site_record {
  int32_t pc;       /* the poll minus &pc. Page modes: the faulting read; otherwise where the check starts */
  int32_t function; /* NUL-terminated (mangled) function name minus &function */
  int32_t file;     /* NUL-terminated source file name minus &file; 0 when unknown */
  uint32_t line;    /* 0 when unknown */
  uint16_t column;  /* 0 when unknown */
  uint8_t kind;     /* enum sp_site_kind */
  uint8_t mode;     /* enum sp_poll_mode */
  uint8_t length;   /* page modes: length in bytes of the faulting read, so a handler can resume
                       after it; 0 otherwise */
  uint8_t reserved[3];
};

#ifdef __cplusplus
static_assert(sizeof(sp_site_record) == 24, "site record layout is part of the ABI");
#else
_Static_assert(sizeof(struct sp_site_record) == 24, "site record layout is part of the ABI");
#endif

/* The blind-spot table: what the pass left without a poll, and why, one record per elided loop or
 * function left without polls. Only tools read it (sp-inspect --blind-spots, --check); the runtime
 * does not. The pass writes it with the same relative fields as the site table. */
#define SP_BLIND_SPOT_SECTION "sp_blind_spots"

enum sp_blind_spot_reason {
  SP_BLIND_BOUNDED_LOOP = 1,    /* a loop of bounded work elided by its trip count; bound = the count */
  SP_BLIND_POLLING_CALL = 2,    /* a loop elided because every iteration calls a polling function */
  SP_BLIND_BOUNDED_LEAF = 3,    /* a function without loops or calls that only this module calls */
  SP_BLIND_NOT_INSTRUMENTED = 4,/* a function the pass leaves alone (naked, ifunc resolver, ...) */
  SP_BLIND_NOSPLIT = 5,         /* a function marked nosplit (or nowritebarrier/rec): no polls */
  SP_BLIND_NO_CALL_CYCLE = 6,   /* a function that makes calls but gets no entry check: it is on no
                                   call-graph cycle and only this module's code calls it */
};

struct sp_blind_spot_record {
  int32_t function; /* NUL-terminated (mangled) function name minus &function */
  int32_t file;     /* NUL-terminated source file name minus &file; 0 when unknown */
  uint32_t line;    /* of the loop, or of the function; 0 when unknown */
  uint16_t column;  /* 0 when unknown */
  uint8_t reason;   /* enum sp_blind_spot_reason */
  uint8_t unbounded;/* 1: nothing bounds the time spent here without a poll (a nosplit function
                       with a loop that is not provably bounded); 0: bounded, see reason */
  uint32_t bound;   /* SP_BLIND_BOUNDED_LOOP: the maximum trip count; otherwise 0 */
  uint32_t reserved;
};

#ifdef __cplusplus
static_assert(sizeof(sp_blind_spot_record) == 24, "blind-spot record layout is part of the ABI");
#else
_Static_assert(sizeof(struct sp_blind_spot_record) == 24,
               "blind-spot record layout is part of the ABI");
#endif

/* The nosplit call table: for every function the pass leaves without polls because it is nosplit
 * (or nowritebarrier/rec: none of them has an entry check), one record per call it makes, so a tool
 * can follow chains of nosplit calls across translation units once the code is linked and the real
 * frame sizes are known (clang -fstack-size-section writes them into .stack_sizes). Functions are
 * named, not addressed: a name needs no relocation against a symbol that may be preemptible or
 * defined elsewhere. Only tools read it (sp-inspect --check, --check-stack; sp-cc after linking). */
#define SP_NOSPLIT_CALL_SECTION "sp_nosplit_calls"

struct sp_nosplit_call_record {
  int32_t caller; /* NUL-terminated (mangled) name of the nosplit function minus &caller */
  int32_t callee; /* the called function's (mangled) name minus &callee; 0: an indirect call */
  int32_t file;   /* NUL-terminated source file name of the call minus &file; 0 when unknown */
  uint32_t line;  /* of the call; 0 when unknown */
};

#ifdef __cplusplus
static_assert(sizeof(sp_nosplit_call_record) == 16, "nosplit call record layout is part of the ABI");
#else
_Static_assert(sizeof(struct sp_nosplit_call_record) == 16,
               "nosplit call record layout is part of the ABI");
#endif

/* The stack a chain of nosplit calls may use below the stack guard (__sp_stack_guard): return
 * addresses plus frames, from the call a function that passed its entry check makes into the first
 * nosplit function, down to the deepest frame of the chain. Go's linker checks the same with its
 * StackLimit. The runtime keeps this much, plus a reserve for its own code (runtime/src/internal.h),
 * between the guard and the guard region below the stack, so a chain that fits never reaches the
 * region. */
#define SP_NOSPLIT_STACK_LIMIT 8192

/* Resolves one of the relative fields above into an address. */
static inline const void *sp_site_field_address(const int32_t *field) {
  return *field == 0 ? (const void *)0 : (const void *)((const char *)field + *field);
}

#endif /* SAFEPOINT_ABI_H */
