//===- CallGraphCycles.cpp - which functions can recur --------------------===//
#include "CallGraphCycles.h"

#include "llvm/Analysis/LazyCallGraph.h"
#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/IR/Module.h"

using namespace llvm;
using namespace safepoint;

FunctionSet safepoint::findFunctionsOnCallCycles(Module &M, FunctionAnalysisManager &FAM) {
  // A graph of our own rather than the analysis manager's: it is built from the module as it is
  // now, after the whole pipeline, and nothing else sees or updates it.
  LazyCallGraph CallGraph(M, [&](Function &F) -> TargetLibraryInfo & {
    return FAM.getResult<TargetLibraryAnalysis>(F);
  });
  CallGraph.buildRefSCCs();
  FunctionSet OnCycle;
  for (LazyCallGraph::RefSCC &RefSCC : CallGraph.postorder_ref_sccs())
    for (LazyCallGraph::SCC &SCC : RefSCC) {
      if (SCC.size() > 1) {
        for (LazyCallGraph::Node &N : SCC)
          OnCycle.insert(&N.getFunction());
        continue;
      }
      LazyCallGraph::Node &N = *SCC.begin();
      for (LazyCallGraph::Edge &E : *N)
        if (E.isCall() && &E.getNode() == &N)
          OnCycle.insert(&N.getFunction());
    }
  return OnCycle;
}

bool safepoint::mayBeCalledFromUnseenCode(const Function &F) {
  return !F.hasLocalLinkage() ||
         F.hasAddressTaken(nullptr, /*IgnoreCallbackUses=*/false, /*IgnoreAssumeLikeCalls=*/true,
                           /*IgnoreLLVMUsed=*/true);
}
