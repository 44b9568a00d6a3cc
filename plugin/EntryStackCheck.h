//===- EntryStackCheck.h - which entry polls must also check the stack ----===//
//
// An entry poll (rule P2) does two jobs in a stack-guard compare (`cmp %fs:__sp_stack_guard,
// %rsp; jb cold`): it stops the thread when the runtime poisons the guard, and it reports a stack
// overflow SP_STACK_GUARD_MARGIN (16 KiB) above the guard page. Only the first is what the bound
// needs. Overflow in instrumented code is reported without it: every instrumented function has
// stack probes (P5) and every call pushes a return address at the bottom of its caller's frame,
// so a stack running down through instrumented code touches the guard page before anything below
// it, and the fault handler names the overflow (docs/pass.md, "Why stack overflow reporting does
// not need the entry checks E5 drops").
//
// The margin is for code that is not instrumented: a call into the C library, another library
// or a nosplit function from a frame near the guard page gets only what is left, and that code
// has no probes of our making (a nosplit chain's stack budget is counted from its caller's
// stack check, docs/pass.md "Nosplit stack check"). So a function that may reach such code keeps
// the compare at its entry: by its own call, or through instrumented callees that do not compare
// at their own entry (a helper E5 leaves without a check, one that itself got the page load).
// Every other function may poll at entry the way its loops do. In thread-page mode that is one
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
// uninstrumented code they may reach starts with the margin: those that make a call that may reach
// such code directly (an indirect call, a call to a declaration, to a definition another may
// replace at link or load time, to a function the pass leaves alone or is not instrumenting now:
// Only, when not null, is what it instruments; or a profiling hook the code generator will call,
// after this pass, in a function compiled with -finstrument-functions-after-inlining, -pg or
// -mfentry), or a call to one of this run's functions that may
// reach it and has no entry poll of its own (Polling: a function with an entry poll, in
// PollingFunctions as SP_SITE_ENTRY, compares for its own callees). Empty under the hidden
// -sp-entry-stack-margin=0, which exists only to measure. Read before any function is
// instrumented: the calls the pass adds are not looked at.
FunctionSet findFunctionsNeedingStackMargin(const llvm::Module &M,
                                            const PollingFunctionMap &Polling,
                                            const llvm::SmallPtrSetImpl<const llvm::Function *> *Only);

} // namespace safepoint

#endif // SAFEPOINT_ENTRYSTACKCHECK_H
