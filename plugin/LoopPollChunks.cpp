//===- LoopPollChunks.cpp - one loop poll per chunk of iterations ---------===//
#include "LoopPollChunks.h"

#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Intrinsics.h"
#include "llvm/IR/MDBuilder.h"
#include "llvm/IR/PatternMatch.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"

using namespace llvm;
using namespace llvm::PatternMatch;
using namespace safepoint;

bool safepoint::canPollOncePerChunk(const Loop &L) {
  if (!L.isInnermost())
    return false;
  SmallVector<BasicBlock *, 4> Latches;
  L.getLoopLatches(Latches);
  return all_of(Latches, [](const BasicBlock *Latch) {
    const Instruction *Term = Latch->getTerminator();
    return isa<BranchInst>(Term) || isa<SwitchInst>(Term);
  });
}

namespace {
// The exit of a loop that strip mining can cut: the latch, the loop's only exiting block, leaves when
// Tested equals Limit. Tested is Phi (an integer induction variable of the header) or Phi + Step.
struct CountedExit {
  BranchInst *Branch;
  ICmpInst *Compare;
  Value *Tested, *Limit;
  PHINode *Phi;
  APInt Step;   // plus or minus a power of two
};
} // namespace

static std::optional<CountedExit> findCountedExit(Loop &L) {
  BasicBlock *Latch = L.getLoopLatch(), *Entering = L.getLoopPredecessor();
  if (!Latch || L.getExitingBlock() != Latch || !Entering ||
      !isa<BranchInst>(Entering->getTerminator()))
    return std::nullopt;
  auto *Branch = dyn_cast<BranchInst>(Latch->getTerminator());
  if (!Branch || !Branch->isConditional())
    return std::nullopt;
  auto *Compare = dyn_cast<ICmpInst>(Branch->getCondition());
  if (!Compare || !Compare->isEquality())
    return std::nullopt;
  // Which side leaves must match the predicate: br (a == b), exit, loop or br (a != b), loop, exit.
  bool ExitsOnTrue = !L.contains(Branch->getSuccessor(0));
  if (ExitsOnTrue != (Compare->getPredicate() == ICmpInst::ICMP_EQ))
    return std::nullopt;
  for (unsigned LimitOperand : {1u, 0u}) {
    Value *Tested = Compare->getOperand(1 - LimitOperand);
    Value *Limit = Compare->getOperand(LimitOperand);
    if (!L.isLoopInvariant(Limit) || !Tested->getType()->isIntegerTy())
      continue;
    for (PHINode &Phi : L.getHeader()->phis()) {
      if (Phi.getNumIncomingValues() != 2)
        continue;
      Value *Next = Phi.getIncomingValueForBlock(Latch);
      const APInt *Step;
      if ((Tested != &Phi && Tested != Next) || !match(Next, m_c_Add(m_Specific(&Phi), m_APInt(Step))))
        continue;
      if (!Step->isPowerOf2() && !Step->isNegatedPowerOf2())
        continue;
      return CountedExit{Branch, Compare, Tested, Limit, &Phi, *Step};
    }
  }
  return std::nullopt;
}

// Whether a chunk of Iterations steps of the induction variable is shorter than its period: chunks
// of a variable of fewer bits would wrap around within one chunk.
static bool chunkFits(const CountedExit &Exit, unsigned Iterations) {
  unsigned Bits = Exit.Step.getBitWidth();
  APInt Span = Exit.Step.abs().zext(Bits + 64) * APInt(Bits + 64, Iterations);
  return Span.ult(APInt::getOneBitSet(Bits + 64, Bits));
}

// The value of Tested that ends the chunk whose first tested value is First:
//   First + Step * min(D / |Step|, Iterations - 1),   with D = Limit - First (First - Limit for a
// negative step), modulo 2^width, the distance to the limit in the step's direction.
// With |Step| = 2^j the loop leaves after D / |Step| + 1 more tests if D is a multiple of |Step|, and
// never otherwise. If D is a multiple and at most (Iterations - 1) * |Step|, the chunk is the rest
// of the loop and ends at Limit. Otherwise the chunk ends at a value the variable reaches within
// Iterations tests, and not before (a chunk is shorter than the variable's period, chunkFits), that
// is not Limit (not a multiple of |Step| away from First, or farther than the chunk); the chunk's end
// block then polls and starts the next chunk. Computed as umin(D, (Iterations - 1) * |Step|) with
// its low j bits cleared: one subtraction, one unsigned minimum, one mask (only for |Step| > 1) and
// one addition.
static Value *chunkEnd(IRBuilder<> &B, const CountedExit &Exit, Value *First, unsigned Iterations) {
  Type *Ty = First->getType();
  APInt Magnitude = Exit.Step.abs();
  bool Down = Exit.Step.isNegative();
  Value *Distance = Down ? B.CreateSub(First, Exit.Limit, "sp.chunk.dist")
                         : B.CreateSub(Exit.Limit, First, "sp.chunk.dist");
  Value *Span = B.CreateBinaryIntrinsic(Intrinsic::umin, Distance,
                                        ConstantInt::get(Ty, Magnitude * (Iterations - 1)),
                                        nullptr, "sp.chunk.span");
  if (Magnitude.ugt(1))
    Span = B.CreateAnd(Span, ConstantInt::get(Ty, -Magnitude), "sp.chunk.span");
  return Down ? B.CreateSub(First, Span, "sp.chunk.end") : B.CreateAdd(First, Span, "sp.chunk.end");
}

// Before:  preheader: br header
//          header:    %p = phi [%start, preheader], [%p.next, latch]  ...
//          latch:     br (Tested == Limit), exit, header
// After:   preheader: br start
//          start:     %p.chunk = phi [%start, preheader], [%p.next, poll]
//                     %end = chunkEnd(Tested's first value)
//                     br header
//          header:    %p = phi [%p.chunk, start], [%p.next, latch]  ...
//          latch:     br (Tested == %end), chunk, header
//          chunk:     br (Tested == Limit), exit, poll
//          poll:      <poll>; br start
// An iteration runs the same instructions as before (a compare with a register); the chunk's end
// checks the limit and polls, and the one start block computes every chunk's end, the first one's
// on the way in. Returns the poll block's terminator.
static Instruction *stripMine(Loop &L, const CountedExit &Exit, unsigned Iterations) {
  BasicBlock *Header = L.getHeader(), *Latch = L.getLoopLatch();
  // The start block takes the place of the loop's entering edge; a block of its own on that edge if
  // the entering block also goes elsewhere (the guard that skips a loop that runs no iteration).
  BasicBlock *Entering = L.getLoopPreheader();
  if (!Entering)
    Entering = SplitEdge(L.getLoopPredecessor(), Header);
  Function &F = *Header->getParent();
  LLVMContext &Ctx = F.getContext();
  unsigned ExitIndex = L.contains(Exit.Branch->getSuccessor(0)) ? 1 : 0;
  BasicBlock *ExitBlock = Exit.Branch->getSuccessor(ExitIndex);
  BasicBlock *StartBlock = BasicBlock::Create(Ctx, Header->getName() + ".sp.start", &F, Header);
  BasicBlock *ChunkBlock = BasicBlock::Create(Ctx, Header->getName() + ".sp.chunk", &F, ExitBlock);
  BasicBlock *PollBlock = BasicBlock::Create(Ctx, Header->getName() + ".sp.poll", &F, ExitBlock);
  const DebugLoc &Loc = Exit.Branch->getDebugLoc();

  // Each header phi's value at a chunk's start: its entry value the first time, its back-edge value
  // after a poll.
  IRBuilder<> StartB(StartBlock);
  StartB.SetCurrentDebugLocation(Loc);
  PHINode *StartPhi = nullptr;
  for (PHINode &Phi : Header->phis()) {
    PHINode *AtStart = StartB.CreatePHI(Phi.getType(), 2, Phi.getName() + ".sp.start");
    AtStart->addIncoming(Phi.getIncomingValueForBlock(Entering), Entering);
    AtStart->addIncoming(Phi.getIncomingValueForBlock(Latch), PollBlock);
    Phi.setIncomingBlock(Phi.getBasicBlockIndex(Entering), StartBlock);
    Phi.setIncomingValue(Phi.getBasicBlockIndex(StartBlock), AtStart);
    if (&Phi == Exit.Phi)
      StartPhi = AtStart;
  }
  Value *First = Exit.Tested == Exit.Phi
                     ? StartPhi
                     : StartB.CreateAdd(StartPhi, ConstantInt::get(StartPhi->getType(), Exit.Step),
                                       "sp.chunk.first");
  Value *End = chunkEnd(StartB, Exit, First, Iterations);
  StartB.CreateBr(Header);
  Entering->getTerminator()->replaceSuccessorWith(Header, StartBlock);

  IRBuilder<> Poll(PollBlock);
  Poll.SetCurrentDebugLocation(Loc);
  Instruction *PollAt = Poll.CreateBr(StartBlock);

  IRBuilder<> ChunkB(ChunkBlock);
  ChunkB.SetCurrentDebugLocation(Loc);
  ChunkB.CreateCondBr(ChunkB.CreateICmpEQ(Exit.Tested, Exit.Limit, "sp.chunk.done"), ExitBlock,
                      PollBlock);

  IRBuilder<> LatchB(Exit.Branch);
  Value *AtEnd = LatchB.CreateICmp(Exit.Compare->getPredicate(), Exit.Tested, End, "sp.chunk.at_end");
  Exit.Branch->setCondition(AtEnd);
  Exit.Branch->setSuccessor(ExitIndex, ChunkBlock);
  ExitBlock->replacePhiUsesWith(Latch, ChunkBlock);
  if (Exit.Compare->use_empty())
    Exit.Compare->eraseFromParent();
  return PollAt;
}

// Before:  latch: ...; br ..., header (every back-edge)
// After:   header:   %count = phi [Every, outside], [%left, backedge], [Every, poll]
//          backedge: %left = %count - 1; br (%left == 0), poll, header
//          poll:     <poll>; br header
// One decrement and one branch per iteration, on a register. Returns the poll block's terminator.
static Instruction *countBackEdges(Loop &L, unsigned Every) {
  BasicBlock *Header = L.getHeader();
  Function &F = *Header->getParent();
  LLVMContext &Ctx = F.getContext();
  SmallVector<BasicBlock *, 4> Latches;
  L.getLoopLatches(Latches);
  // All back-edges through one block (with the phis that merge their values), so one counter sees
  // them all.
  BasicBlock *BackEdge = SplitBlockPredecessors(Header, Latches, ".sp.backedge");
  if (!BackEdge)
    return nullptr;
  const DebugLoc &Loc = Latches.front()->getTerminator()->getDebugLoc();
  BasicBlock *PollBlock = BasicBlock::Create(Ctx, Header->getName() + ".sp.poll", &F,
                                             BackEdge->getNextNode());
  Instruction *PollAt = BranchInst::Create(Header, PollBlock);
  PollAt->setDebugLoc(Loc);

  Type *CountTy = Type::getInt32Ty(Ctx);
  Constant *Reset = ConstantInt::get(CountTy, Every);
  for (PHINode &Phi : Header->phis())
    Phi.addIncoming(Phi.getIncomingValueForBlock(BackEdge), PollBlock);
  PHINode *Count = PHINode::Create(CountTy, 4, "sp.count", Header->begin());
  for (BasicBlock *Pred : predecessors(Header))
    if (Pred != BackEdge && Pred != PollBlock)
      Count->addIncoming(Reset, Pred);

  IRBuilder<> B(BackEdge->getTerminator());
  B.SetCurrentDebugLocation(Loc);
  Value *Left = B.CreateSub(Count, ConstantInt::get(CountTy, 1), "sp.count.left");
  Value *Due = B.CreateICmpEQ(Left, ConstantInt::get(CountTy, 0), "sp.count.due");
  BranchInst *Branch = BranchInst::Create(PollBlock, Header, Due);
  Branch->setMetadata(LLVMContext::MD_prof,
                      MDBuilder(Ctx).createBranchWeights(1, std::max(Every, 2u) - 1));
  Branch->setDebugLoc(Loc);
  ReplaceInstWithInst(BackEdge->getTerminator(), Branch);
  Count->addIncoming(Left, BackEdge);
  Count->addIncoming(Reset, PollBlock);
  return PollAt;
}

// The instructions one iteration of L may run, codegen's pseudo-instructions aside: what a poll on
// every back-edge adds one load to.
static unsigned bodySize(const Loop &L) {
  unsigned Size = 0;
  for (const BasicBlock *BB : L.blocks())
    for (const Instruction &I : *BB)
      Size += !isa<PHINode>(I) && !I.isDebugOrPseudoInst();
  return Size;
}

// Whether L's iteration is the vector body of a vectorized loop: it streams through memory a vector
// at a time, and a load beside each vector iteration competes with its own loads.
static bool isVectorized(const Loop &L) {
  for (const BasicBlock *BB : L.blocks())
    for (const Instruction &I : *BB)
      if (I.getType()->isVectorTy())
        return true;
  return false;
}

// Whether a poll on every back-edge costs less than a chunk or a counter: in thread-page mode a poll
// is one load and no branch (in position-independent code the thread page's offset comes from the
// GOT, usually loaded once outside the loop), less code than a chunk's start and end or a counter,
// and fewer instructions in all, as measured on the benchmarks (docs/benchmarks.md, "Run of
// 2026-12-01, 11:05 UTC: loops poll on every back-edge in thread-page mode"). Not in global-page
// mode, though the poll is the same load: there the runtime arms one page for every thread, and a
// thread it is not stopping (one that holds a lock, say) faults at each of its polls and is stepped
// over, one fault per iteration of such a loop instead of one per chunk. In the flag and call modes
// a poll is a compare and a branch or a call on every iteration.
static bool pollEveryBackEdgePays(const SafepointOptions &Options) {
  return Options.Mode == PollMode::ThreadPage;
}

// Whether strip-mining L pays (see SafepointOptions::StripMiningMaxBody).
static bool stripMiningPays(const Loop &L, const SafepointOptions &Options, unsigned &BodySize) {
  BodySize = bodySize(L);
  return !pollEveryBackEdgePays(Options) || BodySize <= Options.StripMiningMaxBody ||
         isVectorized(L);
}

ChunkedPoll safepoint::pollOncePerChunk(Loop &L, const SafepointOptions &Options) {
  if (Options.StripMining && Options.MaxElidedTrips > 1)
    if (std::optional<CountedExit> Exit = findCountedExit(L);
        Exit && chunkFits(*Exit, Options.MaxElidedTrips)) {
      unsigned BodySize;
      if (!stripMiningPays(L, Options, BodySize))
        return {ChunkShape::EveryBackEdge, nullptr, 1, BodySize, Options.StripMiningMaxBody};
      return {ChunkShape::StripMined, stripMine(L, *Exit, Options.MaxElidedTrips),
              Options.MaxElidedTrips};
    }
  if (pollEveryBackEdgePays(Options)) {
    unsigned BodySize = bodySize(L);
    if (BodySize > Options.CounterMaxBody)
      return {ChunkShape::EveryBackEdge, nullptr, 1, BodySize, Options.CounterMaxBody,
              /*InsteadOfCounter=*/true};
  }
  if (Options.PollEvery > 1)
    if (Instruction *PollAt = countBackEdges(L, Options.PollEvery))
      return {ChunkShape::Counter, PollAt, Options.PollEvery};
  return {};
}
