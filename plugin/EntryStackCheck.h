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
// stack check, docs/pass.md "Nosplit stack check"). So a function that may call such code keeps
// the compare at its entry; every other function may poll at entry the way its loops do. In
// thread-page mode that is one faulting load, `testl %eax, %fs:__sp_thread_poll_page@tpoff`: no
// branch, no cold call, so a function without other calls needs no frame.
//
//===----------------------------------------------------------------------===//
#ifndef SAFEPOINT_ENTRYSTACKCHECK_H
#define SAFEPOINT_ENTRYSTACKCHECK_H

#include "llvm/IR/Function.h"

namespace safepoint {

// Whether F makes a call that may reach code the pass did not instrument: an indirect call, a call
// to a declaration, to a definition another one may replace at link or load time, or to a function
// the pass leaves alone (nosplit, ...). Such a function's entry poll must compare the stack
// pointer with the stack guard, so that the uninstrumented callee starts with the margin.
bool callsUninstrumentedCode(const llvm::Function &F);

// Whether F's entry poll must compare the stack pointer with the stack guard: it calls
// uninstrumented code (unless the hidden -sp-entry-stack-margin=0, which exists only to measure).
bool entryPollChecksStack(const llvm::Function &F);

} // namespace safepoint

#endif // SAFEPOINT_ENTRYSTACKCHECK_H
