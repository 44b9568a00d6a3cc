//===- DispatchLoops.cpp - loops with many back-edges poll on each, unmerged -===//
#include "DispatchLoops.h"

#include "llvm/IR/CFG.h"
#include "llvm/IR/Instructions.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"

using namespace llvm;
using namespace safepoint;

// A latch that holds nothing but phis and the branch to the header: code generation removes it and
// each of its predecessors jumps to the header itself.
static bool isMergingLatch(const BasicBlock &Latch, const BasicBlock &Header) {
  const auto *Branch = dyn_cast<BranchInst>(Latch.getTerminator());
  return Branch && Branch->isUnconditional() && Branch->getSuccessor(0) == &Header &&
         Latch.getFirstNonPHIOrDbg() == Branch && Latch.hasNPredecessorsOrMore(2);
}

// A computed-goto dispatch (`goto *labels[op]`): code generation copies the dispatch, latch and
// header, into every handler so each has an indirect jump of its own, unless a counter stands in the
// way; a poll in the latch is copied with it.
static bool dispatchesIndirectly(const Loop &L) {
  return isa<IndirectBrInst>(L.getHeader()->getTerminator());
}

unsigned safepoint::backEdgesInCode(const Loop &L) {
  SmallVector<BasicBlock *, 4> Latches;
  L.getLoopLatches(Latches);
  unsigned Edges = 0;
  for (const BasicBlock *Latch : Latches)
    Edges += isMergingLatch(*Latch, *L.getHeader()) ||
                     (dispatchesIndirectly(L) && Latch->getSingleSuccessor() == L.getHeader())
                 ? pred_size(Latch)
                 : 1;
  return Edges;
}

// A page-mode poll is one load: no branch, no register written, so one on each back-edge costs what
// one on a merged back-edge costs, without the merging.
bool safepoint::pollsOnEachBackEdgeInCode(const Loop &L, const SafepointOptions &Options) {
  return isPagePollMode(Options.Mode) && (backEdgesInCode(L) > 1 || dispatchesIndirectly(L));
}

// The instruction a poll on the edge From -> To goes before: From's terminator when From goes
// nowhere else, otherwise the branch of a new block on that edge (every edge From has to To, a
// switch may have several). Edges that cannot be split (indirectbr, callbr) poll before From's
// terminator, which runs whenever the edge is taken.
static Instruction *pollOnEdge(BasicBlock &From, BasicBlock &To) {
  Instruction *Term = From.getTerminator();
  if (Term->getNumSuccessors() == 1)
    return Term;
  for (unsigned Succ = 0; Succ != Term->getNumSuccessors(); ++Succ)
    if (Term->getSuccessor(Succ) == &To)
      if (BasicBlock *Edge = SplitCriticalEdge(
              Term, Succ, CriticalEdgeSplittingOptions().setMergeIdenticalEdges()))
        return Edge->getTerminator();
  return From.getTerminator();
}

SmallVector<Instruction *, 8> safepoint::placeBackEdgePolls(BasicBlock &Header,
                                                           ArrayRef<BasicBlock *> Latches) {
  SmallVector<Instruction *, 8> Polls;
  for (BasicBlock *Latch : Latches) {
    if (!isMergingLatch(*Latch, Header)) {
      // At the start of a computed-goto dispatch's latch, so that the load of the jump's target,
      // in the header, stays next to the indirect jump and folds into it in every handler's copy.
      Polls.push_back(isa<IndirectBrInst>(Header.getTerminator()) ? &*Latch->getFirstInsertionPt()
                                                                    : Latch->getTerminator());
      continue;
    }
    SmallSetVector<BasicBlock *, 8> Preds(pred_begin(Latch), pred_end(Latch));
    for (BasicBlock *Pred : Preds)
      Polls.push_back(pollOnEdge(*Pred, *Latch));
  }
  return Polls;
}
