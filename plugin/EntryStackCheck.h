//===- EntryStackCheck.h - which entry polls must also check the stack ----===//
//
// An entry poll (rule P2) does two jobs in a stack-guard compare (`cmp %fs:__sp_stack_guard,
// %rsp; jb cold`): it stops the thread when the runtime poisons the guard, and it reports a stack
// overflow SP_STACK_GUARD_MARGIN (16 KiB) above the guard region. Only the first is what the bound
// needs. Overflow in instrumented code is reported without it: every instrumented function has
// stack probes (P5) and every call pushes a return address at the bottom of its caller's frame,
// so a stack running down through instrumented code touches the guard region before anything below
// it, and the fault handler names the overflow (docs/pass.md, "Why stack overflow reporting does
// not need the entry checks E5 drops").
//
// The margin is for code that is not instrumented, which has no probes of our making: a frame of
// it near the stack's low end may write its far end first. For code the pass does not see (the C
// library, other libraries, indirect calls, long memcpys) the runtime's guard region is that
// margin: 128 KiB of PROT_NONE below every green-thread stack, where any such write faults and is
// reported, however little stack was left (docs/pass.md, "The stack margin"). What still needs the
// compare is a nosplit chain: sp-inspect --check-stack proves at link time that every chain fits in
// SP_NOSPLIT_STACK_LIMIT below the guard, counted from its caller's compare (docs/pass.md,
// "Nosplit stack check"), and the runtime's reserve below it keeps a preemption inside the chain's
// callees from faulting. So a function keeps the compare at its entry when it may reach a nosplit
// (or nowritebarrier) function before another compare: by its own direct call, or through
// instrumented callees that do not compare at their own entry (a helper E5 leaves without a check,
// one that itself got the page load). Under the hidden -sp-entry-stack-margin, every kind of
// uninstrumented code counts, as it had to with a one-page guard.
// Every other function polls at entry the way its loops do. In thread-page mode that is one
// faulting load, `testl %eax, %fs:__sp_thread_poll_page@tpoff`: no branch, no cold call, so a
// function without other calls needs no frame.
//
// "Instrumented" means instrumented by this run of the pass: under LTO the link-time pass sees
// modules compiled without it merged in as ordinary definitions, so only the functions it was
// asked to instrument count.
//
//===----------------------------------------------------------------------===//
#ifndef SAFEPOINT_ENTRYSTACKCHECK_H
#define SAFEPOINT_ENTRYSTACKCHECK_H

#include "CallGraphCycles.h"
#include "PollPlacement.h"

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/IR/Module.h"

namespace safepoint {

// The functions of M whose entry poll must compare the stack pointer with the stack guard, so that
// a nosplit chain they may start gets the stack sp-inspect counted for it: those that make a direct
// call to a nosplit or nowritebarrier function (a definition or a declaration), or a call to one of
// this run's functions that may reach one and has no entry poll of its own (Polling: a function
// with an entry poll, in PollingFunctions as SP_SITE_ENTRY, compares for its own callees). Under
// the hidden -sp-entry-stack-margin, also those that may reach any uninstrumented code: an indirect
// call, a call to a declaration, to a definition another may replace at link or load time, to a
// function the pass leaves alone or is not instrumenting now (Only, when not null, is what it
// instruments), a long memory intrinsic, or a profiling hook the code generator will call, after
// this pass, in a function compiled with -finstrument-functions-after-inlining, -pg or -mfentry.
// Read before any function is instrumented: the calls the pass adds are not looked at.
FunctionSet findFunctionsNeedingStackMargin(const llvm::Module &M,
                                            const PollingFunctionMap &Polling,
                                            const llvm::SmallPtrSetImpl<const llvm::Function *> *Only);

} // namespace safepoint

#endif // SAFEPOINT_ENTRYSTACKCHECK_H
