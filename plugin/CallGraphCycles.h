//===- CallGraphCycles.h - which functions can recur ----------------------===//
//
// An entry check bounds recursion: a cycle of calls that never loops within one function passes a
// function entry on every trip. Only functions that can be entered again before they return need
// one (rule P2 in docs/pass.md, "The bound"):
//  - functions on a cycle of this module's call graph (a strongly connected component of direct
//    calls with more than one function, or a function that calls itself), from LLVM's
//    LazyCallGraph;
//  - functions that code the pass does not see may call (externally visible or address taken).
// Every other way back into a function is covered by the second kind: code we do not see (the C
// library's qsort, another module, a definition that replaces a weak one of ours at link time)
// and indirect calls can only enter this module through a function that is visible outside it or
// whose address is taken, so every cycle through them passes the entry check of such a function.
// That is why an indirect call or a call to an external function does not by itself make its caller
// need a check: memcpy and qsort are treated alike, and qsort's comparator is the one that checks.
//
//===----------------------------------------------------------------------===//
#ifndef SAFEPOINT_CALLGRAPHCYCLES_H
#define SAFEPOINT_CALLGRAPHCYCLES_H

#include "llvm/ADT/DenseSet.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/PassManager.h"

namespace safepoint {

using FunctionSet = llvm::DenseSet<const llvm::Function *>;

// The functions of M that lie on a cycle of direct calls between M's definitions.
FunctionSet findFunctionsOnCallCycles(llvm::Module &M, llvm::FunctionAnalysisManager &FAM);

// Whether code the pass does not see may call F, possibly from a loop that never polls (a qsort
// comparator called 10^8 times by the C library) or on a cycle through that code: its address is
// taken for anything but a direct call, or it is visible outside this module, where another module
// may call it or take its address.
bool mayBeCalledFromUnseenCode(const llvm::Function &F);

} // namespace safepoint

#endif // SAFEPOINT_CALLGRAPHCYCLES_H
