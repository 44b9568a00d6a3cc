//===- SafepointPass.cpp - the safepoint instrumentation module pass -------===//
#include "SafepointPass.h"

#include "PollEmitter.h"
#include "Annotations.h"
#include "BlindSpotTable.h"
#include "CallGraphCycles.h"
#include "LinkTimeInstrumentation.h"
#include "NoSplitCallTable.h"
#include "PollPlacement.h"
#include "SiblingCalls.h"
#include "ThreadLocalAddresses.h"
#include "WriteBarrierCheck.h"
#include "SiteTable.h"

#include "llvm/Analysis/OptimizationRemarkEmitter.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/Module.h"
#include "llvm/TargetParser/Triple.h"

using namespace llvm;
using namespace safepoint;

#define DEBUG_TYPE "safepoint"

// The polls are x86-64 instructions and the site table uses ELF sections. A module without a triple
// (hand-written IR for opt) is taken to be for the host.
static bool isSupportedTarget(const Module &M, std::string &Problem) {
  if (M.getTargetTriple().empty())
    return true;
  Triple T(M.getTargetTriple());
  if (T.getArch() == Triple::x86_64 && !T.isX32() && T.isOSBinFormatELF())
    return true;
  Problem = "safepoint: target '" + M.getTargetTriple() +
            "' is not supported; safepoint polls are emitted for x86-64 ELF targets only";
  return false;
}

// Asks the backend to probe every page of a frame larger than a page, and of each dynamic alloca, as
// clang's -fstack-clash-protection does. Without probes a frame larger than the guard region below a
// green thread's stack starts below it and silently overwrites whatever is mapped there (the stack
// of another green thread); with them, the first probe faults in the guard region and the runtime
// reports a stack overflow. A function that chose its own probing keeps it.
static void requireStackProbes(Function &F) {
  if (!F.hasFnAttribute("probe-stack"))
    F.addFnAttr("probe-stack", "inline-asm");
}

// A nosplit (or nowritebarrier) function gets no polls. If one of its cycles is not bounded by the
// elision rules, nothing bounds the time a green thread spends there: the blind-spot table marks it
// unbounded (sp-inspect --check fails on it) and the compiler warns.
static void noteNoSplitFunction(Function &F, FunctionAnalysisManager &FAM,
                                const SafepointOptions &Options, BlindSpotTable &BlindSpots) {
  const BasicBlock *Header = unboundedCycle(F, FAM, Options);
  BlindSpots.add(F, DebugLoc(), SP_BLIND_NOSPLIT, 0, Header != nullptr);
  if (!Header)
    return;
  DebugLoc Loc = Header->getTerminator()->getDebugLoc();
  for (const Instruction &I : *Header)
    if (I.getDebugLoc()) {
      Loc = I.getDebugLoc();
      break;
    }
  F.getContext().diagnose(DiagnosticInfoUnsupported(
      F,
      "safepoint: " + F.getName() +
          " gets no safepoints (nosplit/nowritebarrier), and nothing bounds this loop: a green "
          "thread can run here unpreempted indefinitely",
      Loc ? DiagnosticLocation(Loc) : DiagnosticLocation(), DS_Warning));
}

PreservedAnalyses SafepointPass::run(Module &M, ModuleAnalysisManager &MAM) {
  // Bitcode that a compile step deferred, compiled again (to native code without LTO: clang -O2 x.bc),
  // polls like a link-time module.
  bool PreLink = Stage == PipelineStage::Compile && isPreparedForLTO(M) && !hasDeferredFunctions(M);
  bool AtLinkTime = Stage == PipelineStage::ThinLinkTime ||
                    Stage == PipelineStage::FullLinkTime || Stage == PipelineStage::FatObjectCode ||
                    (!PreLink && hasDeferredFunctions(M));
  // A compile that instrumented the module already (running the pass twice) changes nothing. At link
  // time only the deferred functions count: full LTO may merge in a module instrumented at -O0.
  if (!AtLinkTime && isInstrumented(M))
    return PreservedAnalyses::all();
  std::string Problem;
  if (!isSupportedTarget(M, Problem)) {
    M.getContext().emitError(Problem);
    return PreservedAnalyses::all();
  }
  applyAnnotations(M);
  if (PreLink) {
    deferToLinkTime(M, Options);
    return PreservedAnalyses::none();
  }

  SmallVector<DeferredGroup, 1> Groups;
  if (AtLinkTime) {
    Groups = takeDeferredFunctions(M);
    if (Groups.empty())
      return PreservedAnalyses::all();
  } else {
    Groups.push_back({Options, {}}); // every function
  }
  EmittedSites Emitted;
  BlindSpotTable BlindSpots;
  unsigned Polls = 0;
  for (const DeferredGroup &Group : Groups)
    Polls += instrument(M, MAM, Group.Options, AtLinkTime ? &Group.Functions : nullptr, Emitted,
                        BlindSpots);
  if (Polls != 0)
    emitSiteTableRegistration(M, /*InComdat=*/Stage != PipelineStage::FullLinkTime);
  checkWriteBarriers(M, Emitted);
  BlindSpots.emit(M);
  markInstrumented(M);
  return PreservedAnalyses::none();
}

unsigned SafepointPass::instrument(Module &M, ModuleAnalysisManager &MAM,
                                   const SafepointOptions &Options,
                                   const SmallPtrSetImpl<const Function *> *Only,
                                   EmittedSites &Emitted, BlindSpotTable &BlindSpots) {
  auto Selected = [&](const Function &F) { return !F.isDeclaration() && (!Only || Only->count(&F)); };
  FunctionAnalysisManager &FAM = MAM.getResult<FunctionAnalysisManagerModuleProxy>(M).getManager();
  // Before anything is analysed: an epilogue poll in a return block shared by tail calls would stop
  // the backend from turning them into sibling calls.
  if (Options.EpiloguePolls)
    for (Function &F : M)
      if (Selected(F) && reasonNotInstrumented(F).empty() && duplicateReturnsIntoTailCallers(F))
        FAM.invalidate(F, PreservedAnalyses::none());
  FunctionSet OnCallCycles = findFunctionsOnCallCycles(M, FAM);
  PollingFunctionMap PollingFunctions = findPollingFunctions(M, FAM, Options, OnCallCycles, Only);
  EntryPollPlan Entries = planEntryPolls(M, PollingFunctions, Only);
  PollEmitter Emitter(M, Options);

  for (Function &F : M) {
    if (!Selected(F))
      continue;
    OptimizationRemarkEmitter &ORE = FAM.getResult<OptimizationRemarkEmitterAnalysis>(F);
    if (StringRef Reason = reasonNotInstrumented(F); !Reason.empty()) {
      // nosplit functions get no polls, but a frame of theirs must not jump the guard region either.
      if (isNoSplitLike(F)) {
        requireStackProbes(F);
        noteNoSplitFunction(F, FAM, Options, BlindSpots);
        recordNoSplitCalls(F);
      } else {
        BlindSpots.add(F, DebugLoc(), SP_BLIND_NOT_INSTRUMENTED);
      }
      ORE.emit([&] {
        return OptimizationRemarkMissed(DEBUG_TYPE, "NotInstrumented", &F)
               << "no safepoints in " << ore::NV("Function", &F) << ": " << Reason;
      });
      continue;
    }
    requireStackProbes(F);
    SmallVector<PollSite, 8> Sites =
        placePolls(F, FAM, PollingFunctions, OnCallCycles, Entries, Options, BlindSpots);
    for (const PollSite &Site : Sites)
      Emitter.emit(F, Site, ORE);
    if (!Sites.empty())
      Emitted[&F] = Sites;
    // Once every poll is in place: a thread-local address computed before one must be computed
    // again after it.
    if (rederiveThreadLocalAddresses(F) != 0 || !Sites.empty())
      FAM.invalidate(F, PreservedAnalyses::none());
  }
  return Emitter.numEmitted();
}

void SafepointPass::printPipeline(raw_ostream &OS,
                                  function_ref<StringRef(StringRef)> MapClassName2PassName) {
  OS << PassName << "<" << passParameters(Options) << ">";
}
