//===- PollPlacement.h - where a function needs safepoints ----------------===//
//
// Terminology:
//  - a *poll* is a cheap check that lets the runtime stop a thread there;
//  - a *site* is one place a poll is emitted: a loop back-edge, a function epilogue (before a
//    return) or the function entry (the stack check, or a page poll: EntryStackCheck.h);
//  - a *polling function* is one that is guaranteed to poll whenever it is called: it gets a stack
//    check at entry, or it makes no calls and polls before every return, or its first call is to a
//    polling function that keeps its own poll (rule E6: then it needs none of its own). Only functions of this
//    module that we instrument can be polling functions: an external or interposable callee may
//    never poll.
//
// The invariant placement keeps: no thread runs unboundedly long in instrumented code without passing
// a poll. Every cycle (natural loops and irreducible ones, from CycleInfo) polls on each back-edge,
// unless one of two rules shows the cycle is bounded or already polls:
//  - an innermost natural loop whose constant maximum trip count is at most the limit;
//  - a natural loop whose every iteration calls a polling function.
// Loops of bounded work poll once per chunk of iterations instead (LoopPollChunks.h), and in the page
// modes loops with several back-edges in the generated code poll on each of them (DispatchLoops.h).
// Functions with neither loops nor calls run in bounded time and need no entry or epilogue poll.
// Entry checks go only where recursion or code we do not see can enter a function again and again
// (CallGraphCycles.h); a function that makes no calls needs one only when unseen code may call it and
// epilogue polls are off; a function whose first call polls needs none (rule E6). In thread-page
// mode an entry poll is the page load unless the function may call uninstrumented code
// (EntryStackCheck.h).
//
//===----------------------------------------------------------------------===//
#ifndef SAFEPOINT_POLLPLACEMENT_H
#define SAFEPOINT_POLLPLACEMENT_H

#include "BlindSpotTable.h"
#include "CallGraphCycles.h"
#include "SafepointOptions.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/IR/DebugLoc.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/PassManager.h"

namespace safepoint {

struct PollSite {
  llvm::Instruction *InsertBefore; // the poll goes immediately before this instruction
  sp_site_kind Kind;
  llvm::DebugLoc Loc;
  // An entry poll that must compare the stack pointer with the stack guard (EntryStackCheck.h);
  // in thread-page mode the others are page polls.
  bool ChecksStack = false;
  // A stack-guard compare right after a dynamic allocation, which InsertBefore is then (the check
  // goes after it), not at the function's entry; recorded as an entry site, since it is the entry
  // check made again. ChecksStack is set too.
  bool AfterAllocation = false;
};

// Each polling function with the kind of poll it passes on every call (entry or epilogue).
using PollingFunctionMap = llvm::DenseMap<const llvm::Function *, sp_site_kind>;

// A memory intrinsic (memcpy, memset, ...) with a constant length of at most this many bytes is
// bounded work; a longer or variable one takes time that grows with its length, like a call.
constexpr uint64_t MaxBoundedMemBytes = 4096;

// Whether F's definition is the one that will run: not replaceable at link time (linkonce/weak)
// nor interposable at load time (a non-dso_local symbol in a shared library).
bool definitionIsFinal(const llvm::Function &F);

// Whether I is a memory intrinsic whose length is not a constant of at most MaxBoundedMemBytes.
bool isLongMemIntrinsic(const llvm::Instruction &I);

// Why a function is left alone entirely, or an empty string when it is instrumented.
llvm::StringRef reasonNotInstrumented(const llvm::Function &F);

// The functions of M that poll on every call under these options (see "polling function" above).
// OnCallCycles: from findFunctionsOnCallCycles(M). Only: the functions being instrumented with these
// options (all of M's if null).
PollingFunctionMap findPollingFunctions(llvm::Module &M, llvm::FunctionAnalysisManager &FAM,
                                        const SafepointOptions &Options,
                                        const FunctionSet &OnCallCycles,
                                        const llvm::SmallPtrSetImpl<const llvm::Function *> *Only);

// What the entry polls of a module's functions are, decided for all of them before any is
// instrumented: instrumenting a function changes what its IR seems to start with (an entry check
// splits the entry block) and adds calls, so a later function must not read an earlier one's
// instrumented IR.
struct EntryPollPlan {
  // The functions whose entry poll compares the stack pointer with the stack guard
  // (EntryStackCheck.h); in thread-page mode the others are page polls.
  FunctionSet ChecksStack;
  // Rule E6: a function that needs no entry poll of its own, and the callee whose poll it passes.
  llvm::DenseMap<const llvm::Function *, const llvm::Function *> PollsThroughFirstCall;
};

// Plans the entry polls of the functions in Polling (findPollingFunctions), instrumented with
// these options; Only as for findPollingFunctions.
EntryPollPlan planEntryPolls(const llvm::Module &M, const PollingFunctionMap &Polling,
                             const llvm::SmallPtrSetImpl<const llvm::Function *> *Only);

// The sites of one instrumented function, in an order that does not depend on pointer values.
// Elided loops and functions are reported as missed optimization remarks with their reason.
// Each elision also goes into BlindSpots.
llvm::SmallVector<PollSite, 8> placePolls(llvm::Function &F, llvm::FunctionAnalysisManager &FAM,
                                          const PollingFunctionMap &PollingFunctions,
                                          const FunctionSet &OnCallCycles,
                                          const EntryPollPlan &Entries,
                                          const SafepointOptions &Options,
                                          BlindSpotTable &BlindSpots);

// The first cycle of F (its header's location) that the elision rules cannot bound: in a function
// that gets no polls (nosplit), nothing bounds the time spent there. Null if every cycle is bounded.
const llvm::BasicBlock *unboundedCycle(llvm::Function &F, llvm::FunctionAnalysisManager &FAM,
                                       const SafepointOptions &Options);

} // namespace safepoint

#endif // SAFEPOINT_POLLPLACEMENT_H
