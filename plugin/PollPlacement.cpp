//===- PollPlacement.cpp - where a function needs safepoints --------------===//
#include "PollPlacement.h"

#include "Annotations.h"
#include "DispatchLoops.h"
#include "EntryStackCheck.h"
#include "LoopPollChunks.h"
#include "SiblingCalls.h"

#include "llvm/ADT/SetVector.h"
#include "llvm/Analysis/CycleAnalysis.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/OptimizationRemarkEmitter.h"
#include "llvm/Analysis/ScalarEvolution.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/EHPersonalities.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"

using namespace llvm;
using namespace safepoint;

#define DEBUG_TYPE "safepoint"

StringRef safepoint::reasonNotInstrumented(const Function &F) {
  if (F.isDeclaration())
    return "declaration";
  if (F.hasAvailableExternallyLinkage())
    return "available_externally: its body is not emitted here";
  if (F.hasFnAttribute(Attribute::Naked))
    return "naked function: no code may be added to it";
  if (F.getCallingConv() == CallingConv::X86_INTR)
    return "interrupt handler: it runs on no green thread and may not call the runtime";
  // The dynamic linker (or, in a static executable, the C library's start-up code) calls resolvers
  // while it relocates, before thread-local storage is set up: a poll there reads a TLS variable
  // that is not there yet and crashes the program before main.
  if (any_of(F.users(), [](const User *U) { return isa<GlobalIFunc>(U); }))
    return "ifunc resolver: it runs before thread-local storage is set up";
  if (F.isPresplitCoroutine())
    return "coroutine not yet split";
  if (F.hasPersonalityFn() && isFuncletEHPersonality(classifyEHPersonality(F.getPersonalityFn())))
    return "funclet-based exception handling is not supported";
  if (F.getName().starts_with("__sp_") || F.getName().starts_with("sp."))
    return "part of the safepoint machinery";
  if (F.hasFnAttribute(NoSplitAttr))
    return "marked nosplit";
  if (F.hasFnAttribute(NoWriteBarrierAttr) || F.hasFnAttribute(NoWriteBarrierRecAttr))
    return "marked nowritebarrier: it must not reach a safepoint";
  return "";
}

// A call that may run for an unbounded time or reach other code. Intrinsics are not calls (memory
// intrinsics are work, see below) and inline asm is opaque but not a call.
static bool isRealCall(const Instruction &I) {
  const auto *Call = dyn_cast<CallBase>(&I);
  return Call && !Call->isInlineAsm() && !isa<IntrinsicInst>(Call);
}

static bool hasRealCall(const Function &F) {
  for (const BasicBlock &BB : F)
    for (const Instruction &I : BB)
      if (isRealCall(I))
        return true;
  return false;
}

// A memory intrinsic (memcpy, memmove, memset and their variants) whose length is not a constant of
// at most MaxBoundedMemBytes: its time grows with the length, so it is not bounded work.
bool safepoint::isLongMemIntrinsic(const Instruction &I) {
  const auto *Mem = dyn_cast<AnyMemIntrinsic>(&I);
  if (!Mem)
    return false;
  const auto *Length = dyn_cast<ConstantInt>(Mem->getLength());
  return !Length || Length->getValue().ugt(MaxBoundedMemBytes);
}

// Work whose time the pass cannot bound by a constant: a real call (its callee runs for as long as
// it likes, and polls only if it is a polling function) or a long memory intrinsic.
static bool isUnboundedWork(const Instruction &I) { return isRealCall(I) || isLongMemIntrinsic(I); }

// A __builtin_setjmp: like a returns_twice call, it heads a cycle closed by __builtin_longjmp, with
// no back-edge in the CFG. Unlike setjmp it is an intrinsic, not marked returns_twice.
static bool isBuiltinSetjmp(const Instruction &I) {
  const auto *II = dyn_cast<IntrinsicInst>(&I);
  return II && II->getIntrinsicID() == Intrinsic::eh_sjlj_setjmp;
}

// A function that runs in bounded time on every call and is only called from code that polls: no
// cycle, no unbounded work, no __builtin_setjmp, and no caller the pass cannot see. It needs no poll.
static bool isBoundedLeaf(const Function &F, const CycleInfo &Cycles) {
  if (!Cycles.toplevel_cycles().empty() || mayBeCalledFromUnseenCode(F))
    return false;
  for (const BasicBlock &BB : F)
    for (const Instruction &I : BB)
      if (isUnboundedWork(I) || isBuiltinSetjmp(I))
        return false;
  return true;
}

// A callee can be trusted to poll only if the definition we instrument is the one that will run:
// not replaceable at link time (linkonce/weak) nor interposable at load time (a non-dso_local symbol
// in a shared library).
bool safepoint::definitionIsFinal(const Function &F) {
  return F.hasExactDefinition() && (F.hasLocalLinkage() || F.isDSOLocal());
}

// Whether F, not a bounded leaf, gets a stack check at entry (rule P2). A function that makes calls
// needs one if it can be entered again before it returns, through a cycle of calls or from code we
// do not see (CallGraphCycles.h); elsewhere its callees and loops bound it. A function that makes
// none cannot recur; it needs a poll on every call only when unseen code may call it from a loop
// that never polls (a qsort comparator), and the entry check is that poll when epilogue polls are off.
static bool needsEntryCheck(const Function &F, const FunctionSet &OnCallCycles,
                            const SafepointOptions &Options) {
  if (!Options.EntryChecks)
    return false;
  if (!hasRealCall(F))
    return !Options.EpiloguePolls && mayBeCalledFromUnseenCode(F);
  return OnCallCycles.contains(&F) || mayBeCalledFromUnseenCode(F);
}

// The callee of F's first call, when F's entry block makes a direct call before it can do
// anything unbounded: no real call, long memory intrinsic or setjmp comes before it.
static const Function *firstCallee(const Function &F) {
  for (const Instruction &I : F.getEntryBlock()) {
    if (isBuiltinSetjmp(I))
      return nullptr;
    if (isUnboundedWork(I)) {
      const auto *Call = dyn_cast<CallBase>(&I);
      if (!Call || Call->hasFnAttr(Attribute::ReturnsTwice))
        return nullptr;
      return Call->getCalledFunction();
    }
  }
  return nullptr;
}

// The polling function F calls first thing, when F would get an entry check; null otherwise.
static const Function *pollingFirstCallee(const Function &F, const PollingFunctionMap &Polling) {
  if (Polling.lookup(&F) != SP_SITE_ENTRY)
    return nullptr;
  const Function *Callee = firstCallee(F);
  return Callee && Polling.contains(Callee) ? Callee : nullptr;
}

// Rule E6: F needs no entry poll of its own when the first thing it does that is not straight-line
// work is a call to a polling function that keeps its own poll: every call of F polls there, before
// F can call anything else, return, or loop, so a cycle through F or a loop of unseen code calling F
// passes that poll. The callee keeps its poll if E6 does not apply to it: it is not itself a
// function whose first call polls (so a self-call, or two functions that call each other first,
// keep their checks). If F needs the stack margin, the callee's poll must be a stack-guard compare
// too, which gives F's later calls the margin (EntryStackCheck.h): the callee's stack pointer,
// below F's, was above the guard. That is asked as in thread-page mode whatever the mode, so that
// every mode places the same polls.
static const Function *pollsThroughFirstCall(const Function &F, const PollingFunctionMap &Polling,
                                             const FunctionSet &NeedsMargin) {
  const Function *Callee = pollingFirstCallee(F, Polling);
  if (!Callee || pollingFirstCallee(*Callee, Polling))
    return nullptr;
  bool CalleeChecksStack =
      Polling.lookup(Callee) == SP_SITE_ENTRY && NeedsMargin.contains(Callee);
  if (NeedsMargin.contains(&F) && !CalleeChecksStack)
    return nullptr;
  return Callee;
}

EntryPollPlan safepoint::planEntryPolls(const Module &M, const PollingFunctionMap &Polling,
                                        const SmallPtrSetImpl<const Function *> *Only) {
  EntryPollPlan Plan;
  Plan.ChecksStack = findFunctionsNeedingStackMargin(M, Polling, Only);
  for (const auto &[F, Kind] : Polling)
    if (const Function *Callee = pollsThroughFirstCall(*F, Polling, Plan.ChecksStack))
      Plan.PollsThroughFirstCall[F] = Callee;
  return Plan;
}

PollingFunctionMap safepoint::findPollingFunctions(Module &M, FunctionAnalysisManager &FAM,
                                                   const SafepointOptions &Options,
                                                   const FunctionSet &OnCallCycles,
                                                   const SmallPtrSetImpl<const Function *> *Only) {
  PollingFunctionMap Polling;
  for (Function &F : M) {
    if ((Only && !Only->count(&F)) || !reasonNotInstrumented(F).empty() || !definitionIsFinal(F) ||
        isBoundedLeaf(F, FAM.getResult<CycleAnalysis>(F)))
      continue;
    // One that makes no calls can only return, run its (polling or bounded) loops, or trap, so
    // with epilogue polls every call of it polls. One that makes calls may leave by an exception or
    // a longjmp without returning: only an entry check makes it polling.
    if (needsEntryCheck(F, OnCallCycles, Options))
      Polling[&F] = SP_SITE_ENTRY;
    else if (!hasRealCall(F) && Options.EpiloguePolls)
      Polling[&F] = SP_SITE_EPILOGUE;
  }
  return Polling;
}

// The instruction an epilogue poll goes before: the return itself, or the call the return passes on
// in tail position, so that call stays a sibling call (see SiblingCalls.h). Before any other last
// call the poll stays after it, so that call's return path still polls.
static Instruction *epilogueInsertPoint(ReturnInst &Ret) {
  if (CallInst *Call = callInTailPosition(Ret))
    return Call;
  return &Ret;
}

// Returns the first call, in a block executed on every iteration of L, to a function that polls.
static const CallBase *pollingCallOnEveryIteration(const Loop &L, const DominatorTree &DT,
                                                   const PollingFunctionMap &Polling) {
  SmallVector<BasicBlock *, 4> Latches;
  L.getLoopLatches(Latches);
  for (BasicBlock *BB : L.blocks()) {
    if (!all_of(Latches, [&](BasicBlock *Latch) { return DT.dominates(BB, Latch); }))
      continue;
    for (Instruction &I : *BB)
      if (auto *Call = dyn_cast<CallBase>(&I))
        if (Function *Callee = Call->getCalledFunction(); Callee && Polling.contains(Callee))
          return Call;
  }
  return nullptr;
}

// Whether one iteration of L does bounded work: the trip-count rule bounds the number of iterations,
// which bounds the time only if each iteration is bounded too (40 memcpys of 64 MiB are 40
// iterations and most of a second).
static bool bodyIsBoundedWork(const Loop &L) {
  for (const BasicBlock *BB : L.blocks())
    for (const Instruction &I : *BB)
      if (isUnboundedWork(I))
        return false;
  return true;
}

namespace {
// A loop that polls on each back-edge of the generated code (DispatchLoops.h).
struct DispatchLoop {
  BasicBlock *Header;
  SmallVector<BasicBlock *, 2> Latches;
  DebugLoc Loc;
  unsigned BackEdges;
};

// The cycles of one function that poll, by the blocks whose terminators close their back-edges, in
// CycleInfo's (deterministic) order; among them the loops that may poll once per chunk of
// iterations instead (LoopPollChunks.h): innermost natural loops whose iterations are bounded work;
// and the loops that poll on each back-edge of the generated code instead.
struct PolledCycles {
  SetVector<BasicBlock *> Latches;
  SmallVector<Loop *, 4> Chunkable;
  SmallVector<DispatchLoop, 1> Dispatch;
};

// Decides, cycle by cycle, which back-edges of one function poll.
class LoopPollPlacement {
public:
  LoopPollPlacement(Function &F, FunctionAnalysisManager &FAM, const PollingFunctionMap &Polling,
                    const SafepointOptions &Options, BlindSpotTable *BlindSpots)
      : F(F), Cycles(FAM.getResult<CycleAnalysis>(F)), Loops(FAM.getResult<LoopAnalysis>(F)),
        DT(FAM.getResult<DominatorTreeAnalysis>(F)), SE(FAM.getResult<ScalarEvolutionAnalysis>(F)),
        ORE(FAM.getResult<OptimizationRemarkEmitterAnalysis>(F)), Polling(Polling),
        Options(Options), BlindSpots(BlindSpots) {}

  // The header of the first cycle no elision rule bounds, or null.
  const BasicBlock *firstUnbounded() {
    for (const Cycle *Top : Cycles.toplevel_cycles())
      if (const BasicBlock *Header = firstUnbounded(*Top))
        return Header;
    return nullptr;
  }

  PolledCycles run() {
    for (const Cycle *Top : Cycles.toplevel_cycles())
      visit(*Top);
    // A latch that also closes another cycle's back-edge (a loop that exits straight to the
    // header of an enclosing one) keeps its poll on every back-edge, for that other cycle.
    erase_if(Polled.Chunkable, [&](const Loop *L) {
      SmallVector<BasicBlock *, 4> Latches;
      L->getLoopLatches(Latches);
      return any_of(Latches, [&](BasicBlock *Latch) { return CyclesClosedBy[Latch] > 1; });
    });
    return std::move(Polled);
  }

private:
  const BasicBlock *firstUnbounded(const Cycle &C) {
    if (!boundedByTripCount(C))
      return C.getHeader();
    for (const Cycle *Child : C.children())
      if (const BasicBlock *Header = firstUnbounded(*Child))
        return Header;
    return nullptr;
  }

  // Rule E1's test, without its remark: an innermost natural loop of bounded work with a small
  // constant maximum trip count. Returns the count, or 0.
  unsigned boundedTrips(const Cycle &C) {
    Loop *L = naturalLoop(C);
    if (!L || !C.children().empty())
      return 0;
    unsigned MaxTrips = SE.getSmallConstantMaxTripCount(L);
    return MaxTrips != 0 && MaxTrips <= Options.MaxElidedTrips && bodyIsBoundedWork(*L) ? MaxTrips
                                                                                     : 0;
  }
  bool boundedByTripCount(const Cycle &C) { return boundedTrips(C) != 0; }

  void visit(const Cycle &C) {
    if (!isElided(C))
      placeLoopPoll(C);
    for (const Cycle *Child : C.children())
      visit(*Child);
  }

  void placeLoopPoll(const Cycle &C) {
    Loop *Natural = naturalLoop(C);
    if (Natural && pollsOnEachBackEdgeInCode(*Natural, Options)) {
      DispatchLoop Dispatch{Natural->getHeader(), {}, Natural->getStartLoc(),
                            backEdgesInCode(*Natural)};
      Natural->getLoopLatches(Dispatch.Latches);
      // Counted, so that an inner loop whose latch also jumps back here keeps polling on every
      // back-edge and is not rewritten under these polls.
      for (BasicBlock *Latch : Dispatch.Latches)
        ++CyclesClosedBy[Latch];
      Polled.Dispatch.push_back(std::move(Dispatch));
      return;
    }
    SmallPtrSet<BasicBlock *, 4> Latches;
    for (BasicBlock *Entry : C.getEntries())
      for (BasicBlock *Pred : predecessors(Entry))
        if (C.contains(Pred) && Latches.insert(Pred).second) {
          Polled.Latches.insert(Pred);
          ++CyclesClosedBy[Pred];
        }
    if (Natural && C.children().empty() && bodyIsBoundedWork(*Natural) &&
        canPollOncePerChunk(*Natural))
      Polled.Chunkable.push_back(Natural);
  }

  // The natural loop that is exactly this cycle, if the cycle is reducible.
  Loop *naturalLoop(const Cycle &C) const {
    if (!C.isReducible())
      return nullptr;
    Loop *L = Loops.getLoopFor(C.getHeader());
    return L && L->getHeader() == C.getHeader() ? L : nullptr;
  }

  bool isElided(const Cycle &C) {
    Loop *L = naturalLoop(C);
    if (!L)
      return false;
    if (unsigned MaxTrips = boundedTrips(C)) {
      if (BlindSpots)
        BlindSpots->add(F, L->getStartLoc(), SP_BLIND_BOUNDED_LOOP, MaxTrips);
      ORE.emit([&] {
        return OptimizationRemarkMissed(DEBUG_TYPE, "BoundedLoop", L->getStartLoc(),
                                        L->getHeader())
               << "no loop poll: loop runs at most " << ore::NV("MaxTripCount", MaxTrips)
               << " iterations (limit " << ore::NV("Limit", Options.MaxElidedTrips) << ")";
      });
      return true;
    }
    if (const CallBase *Call = pollingCallOnEveryIteration(*L, DT, Polling)) {
      // Name the poll the callee really has (see "polling function"), so the remark can be checked.
      const Function &Callee = *Call->getCalledFunction();
      if (BlindSpots)
        BlindSpots->add(F, L->getStartLoc(), SP_BLIND_POLLING_CALL);
      ORE.emit([&] {
        return OptimizationRemarkMissed(DEBUG_TYPE, "PollingCallInLoop", L->getStartLoc(),
                                        L->getHeader())
               << "no loop poll: every iteration calls " << ore::NV("Callee", &Callee)
               << (Polling.lookup(&Callee) == SP_SITE_ENTRY ? ", which polls at entry"
                                                             : ", which polls before it returns");
      });
      return true;
    }
    return false;
  }

  Function &F;
  const CycleInfo &Cycles;
  const LoopInfo &Loops;
  const DominatorTree &DT;
  ScalarEvolution &SE;
  OptimizationRemarkEmitter &ORE;
  const PollingFunctionMap &Polling;
  const SafepointOptions &Options;
  BlindSpotTable *BlindSpots;
  PolledCycles Polled;
  DenseMap<const BasicBlock *, unsigned> CyclesClosedBy;
};
} // namespace

const BasicBlock *safepoint::unboundedCycle(Function &F, FunctionAnalysisManager &FAM,
                                            const SafepointOptions &Options) {
  return LoopPollPlacement(F, FAM, PollingFunctionMap(), Options, nullptr).firstUnbounded();
}

SmallVector<PollSite, 8> safepoint::placePolls(Function &F, FunctionAnalysisManager &FAM,
                                               const PollingFunctionMap &PollingFunctions,
                                               const FunctionSet &OnCallCycles,
                                               const EntryPollPlan &Entries,
                                               const SafepointOptions &Options,
                                               BlindSpotTable &BlindSpots) {
  SmallVector<PollSite, 8> Sites;
  if (isBoundedLeaf(F, FAM.getResult<CycleAnalysis>(F))) {
    BlindSpots.add(F, DebugLoc(), SP_BLIND_BOUNDED_LEAF);
    FAM.getResult<OptimizationRemarkEmitterAnalysis>(F).emit([&] {
      return OptimizationRemarkMissed(DEBUG_TYPE, "LeafFunction", &F)
             << "no entry or epilogue poll: " << ore::NV("Function", &F)
             << " has no loop, no call and no long memory operation, and only this module's "
                "code calls it";
    });
    return Sites;
  }

  // Only functions that would get an entry check are in PollsThroughFirstCall.
  if (const Function *FirstCallee = Entries.PollsThroughFirstCall.lookup(&F)) {
    BlindSpots.add(F, DebugLoc(), SP_BLIND_POLLING_CALL);
    FAM.getResult<OptimizationRemarkEmitterAnalysis>(F).emit([&] {
      return OptimizationRemarkMissed(DEBUG_TYPE, "PollingFirstCall", &F)
             << "no entry poll: " << ore::NV("Function", &F) << " first calls "
             << ore::NV("Callee", FirstCallee) << ", which polls on every call";
    });
  } else if (needsEntryCheck(F, OnCallCycles, Options)) {
    DebugLoc Loc;
    if (DISubprogram *SP = F.getSubprogram())
      Loc = DILocation::get(F.getContext(), SP->getScopeLine(), 0, SP);
    Sites.push_back({&*F.getEntryBlock().getFirstInsertionPt(), SP_SITE_ENTRY, Loc,
                     Entries.ChecksStack.contains(&F)});
  } else if (Options.EntryChecks && !hasRealCall(F)) {
    // Skipping the check keeps such functions frameless.
    FAM.getResult<OptimizationRemarkEmitterAnalysis>(F).emit([&] {
      return OptimizationRemarkMissed(DEBUG_TYPE, "NoCalls", &F)
             << "no entry check: " << ore::NV("Function", &F) << " makes no calls";
    });
  } else if (Options.EntryChecks) {
    BlindSpots.add(F, DebugLoc(), SP_BLIND_NO_CALL_CYCLE);
    FAM.getResult<OptimizationRemarkEmitterAnalysis>(F).emit([&] {
      return OptimizationRemarkMissed(DEBUG_TYPE, "NoCallCycle", &F)
             << "no entry check: " << ore::NV("Function", &F)
             << " is on no call-graph cycle and only this module's code calls it";
    });
  }

  // The compare measures the stack at entry: a dynamic allocation after it (a variable-length
  // array, alloca) takes from the margin that uninstrumented code called later counts on, so a
  // function that needs the margin compares again after each one: by default one that may start a
  // nosplit chain, under -sp-entry-stack-margin any that may reach uninstrumented code (the guard
  // region is the margin for the rest: docs/pass.md, "The stack margin").
  if (Options.EntryChecks && Entries.ChecksStack.contains(&F))
    for (Instruction &I : instructions(F))
      if (auto *Alloca = dyn_cast<AllocaInst>(&I); Alloca && !Alloca->isStaticAlloca())
        Sites.push_back({Alloca, SP_SITE_ENTRY, Alloca->getDebugLoc(),
                         /*ChecksStack=*/true, /*AfterAllocation=*/true});

  // Every cycle that polls does so on each back-edge, except loops of bounded work, which poll once
  // per chunk of iterations. Decided for all cycles first: rewriting a loop leaves the analyses stale.
  PolledCycles Polled = LoopPollPlacement(F, FAM, PollingFunctions, Options, &BlindSpots).run();
  for (Loop *L : Polled.Chunkable) {
    SmallVector<BasicBlock *, 4> Latches;
    L->getLoopLatches(Latches);
    DebugLoc LoopLoc = L->getStartLoc();
    BasicBlock *Header = L->getHeader();
    ChunkedPoll Chunked = pollOncePerChunk(*L, Options);
    if (Chunked.Shape == ChunkShape::EveryBackEdge)
      FAM.getResult<OptimizationRemarkEmitterAnalysis>(F).emit([&] {
        return OptimizationRemarkAnalysis(DEBUG_TYPE, "LoopPollEveryIteration", LoopLoc, Header)
               << "loop polls on every back-edge: its body of "
               << ore::NV("BodySize", Chunked.BodySize)
               << " instructions is longer than "
               << (Chunked.InsteadOfCounter ? "a counter" : "strip-mining") << " pays for (limit "
               << ore::NV("Limit", Chunked.BodyLimit) << ")";
      });
    if (Chunked.Shape == ChunkShape::None || Chunked.Shape == ChunkShape::EveryBackEdge)
      continue;
    for (BasicBlock *Latch : Latches)
      Polled.Latches.remove(Latch);
    Sites.push_back({Chunked.PollBefore, SP_SITE_LOOP, Chunked.PollBefore->getDebugLoc()});
    FAM.getResult<OptimizationRemarkEmitterAnalysis>(F).emit([&] {
      return OptimizationRemarkAnalysis(DEBUG_TYPE, "ChunkedLoopPoll", LoopLoc, Header)
             << "loop polls once per " << ore::NV("Iterations", Chunked.Iterations)
             << " iterations: "
             << (Chunked.Shape == ChunkShape::StripMined ? "strip-mined by its induction variable"
                                                          : "counted down in a register");
    });
  }
  for (BasicBlock *Latch : Polled.Latches)
    Sites.push_back({Latch->getTerminator(), SP_SITE_LOOP, Latch->getTerminator()->getDebugLoc()});
  for (const DispatchLoop &Loop : Polled.Dispatch) {
    for (Instruction *PollAt : placeBackEdgePolls(*Loop.Header, Loop.Latches))
      // A latch that also closes an enclosing cycle's back-edge polls for that cycle already.
      if (!Polled.Latches.contains(PollAt->getParent()))
        // Located at the jump back (the `break`, `continue` or `goto`), wherever in the block it is.
        Sites.push_back({PollAt, SP_SITE_LOOP, PollAt->getParent()->getTerminator()->getDebugLoc()});
    FAM.getResult<OptimizationRemarkEmitterAnalysis>(F).emit([&] {
      return OptimizationRemarkAnalysis(DEBUG_TYPE, "DispatchLoopPoll", Loop.Loc, Loop.Header)
             << "loop polls on each of its " << ore::NV("BackEdges", Loop.BackEdges)
             << " back-edges, unmerged";
    });
  }

  // A longjmp back to a setjmp (or __builtin_longjmp to __builtin_setjmp) closes a cycle with no back-edge in the CFG, through the C library's
  // longjmp, which never polls, and without re-entering the function (so no entry check either).
  // Every return of a returns_twice call is the head of such a cycle, so it polls like a loop. Not
  // vfork's: it returns twice without a cycle, first in a child that borrows this thread's memory and
  // stack until it execs, where a poll that stops the thread would run the runtime in the child.
  for (BasicBlock &BB : F)
    for (Instruction &I : BB)
      if (auto *Call = dyn_cast<CallInst>(&I);
          Call && (Call->hasFnAttr(Attribute::ReturnsTwice) || isBuiltinSetjmp(*Call))) {
        const Function *Callee = Call->getCalledFunction();
        if (!Callee || Callee->getName() != "vfork")
          Sites.push_back({Call->getNextNode(), SP_SITE_LOOP, Call->getDebugLoc()});
      }

  // After every long memory intrinsic: it is a loop inside the C library, and unrolling can leave many
  // of them in straight-line code (a loop of 30 memsets of 64 MiB, fully unrolled, ran 400 ms with
  // one poll). A poll after each bounds the time between polls by one of them. Not after one in tail
  // position: its return polls before it, and a poll after it would cost the sibling call.
  for (BasicBlock &BB : F)
    for (Instruction &I : BB)
      if (isLongMemIntrinsic(I)) {
        auto *Ret = dyn_cast<ReturnInst>(BB.getTerminator());
        if (Options.EpiloguePolls && Ret && callInTailPosition(*Ret) == &I)
          continue;
        Sites.push_back({I.getNextNode(), SP_SITE_LOOP, I.getDebugLoc()});
      }

  // Before the runtime's select and defer entry points, as Go's compiler does: a green thread that
  // is about to block or run deferred calls stops first if a stop was asked for.
  for (BasicBlock &BB : F)
    for (Instruction &I : BB)
      if (auto *Call = dyn_cast<CallBase>(&I))
        if (const Function *Callee = Call->getCalledFunction()) {
          if (Callee->hasFnAttribute(SelectSiteAttr))
            Sites.push_back({Call, SP_SITE_SELECT, Call->getDebugLoc()});
          else if (Callee->hasFnAttribute(DeferSiteAttr))
            Sites.push_back({Call, SP_SITE_DEFER, Call->getDebugLoc()});
        }

  if (Options.EpiloguePolls)
    for (BasicBlock &BB : F)
      if (auto *Ret = dyn_cast<ReturnInst>(BB.getTerminator()))
        Sites.push_back({epilogueInsertPoint(*Ret), SP_SITE_EPILOGUE, Ret->getDebugLoc()});

  return Sites;
}
