//===- WriteBarrierCheck.cpp - nowritebarrier and nowritebarrierrec -------===//
#include "WriteBarrierCheck.h"

#include "Annotations.h"

#include "llvm/ADT/SetVector.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace safepoint;

static std::string where(const DebugLoc &Loc) {
  if (!Loc)
    return "";
  std::string Text;
  raw_string_ostream OS(Text);
  OS << " at " << Loc->getFilename() << ":" << Loc->getLine();
  return Text;
}

static StringRef siteDescription(sp_site_kind Kind) {
  switch (Kind) {
  case SP_SITE_LOOP:
    return "loop safepoint";
  case SP_SITE_EPILOGUE:
    return "epilogue safepoint";
  case SP_SITE_ENTRY:
    return "entry safepoint";
  case SP_SITE_SELECT:
    return "select safepoint";
  case SP_SITE_DEFER:
    return "defer safepoint";
  }
  return "safepoint";
}

// A callee the pass may trust not to switch: it is marked so, or it is an intrinsic.
static bool isMarkedSafe(const Function &F) {
  return F.isIntrinsic() || isNoSplitLike(F) || F.hasFnAttribute(YesWriteBarrierRecAttr);
}

namespace {
class Checker {
public:
  Checker(Module &M, const EmittedSites &Sites) : M(M), Sites(Sites) {}

  bool run() {
    for (Function &F : M) {
      if (F.isDeclaration())
        continue;
      if (F.hasFnAttribute(NoWriteBarrierRecAttr)) {
        SmallVector<const Function *, 8> Chain{&F};
        SmallPtrSet<const Function *, 16> Visited{&F};
        visit(F, Chain, Visited, /*Recursive=*/true);
      } else if (F.hasFnAttribute(NoWriteBarrierAttr)) {
        SmallVector<const Function *, 8> Chain{&F};
        SmallPtrSet<const Function *, 16> Visited{&F};
        visit(F, Chain, Visited, /*Recursive=*/false);
      }
    }
    return Failed;
  }

private:
  std::string chainText(ArrayRef<const Function *> Chain) {
    std::string Text;
    for (const Function *F : Chain) {
      if (!Text.empty())
        Text += " -> ";
      Text += F->getName();
    }
    return Text;
  }

  void report(const Function &Root, const DebugLoc &Loc, const Twine &Message,
              DiagnosticSeverity Severity) {
    DiagnosticLocation DL = Loc ? DiagnosticLocation(Loc) : DiagnosticLocation();
    M.getContext().diagnose(DiagnosticInfoUnsupported(Root, Message, DL, Severity));
    if (Severity == DS_Error)
      Failed = true;
  }

  // Reports the barriers of F, the last function of Chain, and follows its direct calls if Recursive.
  void visit(const Function &F, SmallVectorImpl<const Function *> &Chain,
             SmallPtrSetImpl<const Function *> &Visited, bool Recursive) {
    const Function &Root = *Chain.front();
    if (auto It = Sites.find(&F); It != Sites.end())
      for (const PollSite &Site : It->second)
        report(Root, Site.Loc,
               "safepoint: " + chainText(Chain) + ": " + siteDescription(Site.Kind) +
                   where(Site.Loc) + " in a function that must not reach a safepoint",
               DS_Error);
    for (const Instruction &I : instructions(F)) {
      const auto *Call = dyn_cast<CallBase>(&I);
      if (!Call || Call->isInlineAsm() || isa<IntrinsicInst>(Call))
        continue;
      const Function *Callee = Call->getCalledFunction();
      // The slow paths of the pass's own polls: each poll is reported as a site above.
      if (Callee && Callee->getName().starts_with("__sp_"))
        continue;
      if (!Callee) {
        report(Root, I.getDebugLoc(),
               "safepoint: " + chainText(Chain) + ": indirect call" + where(I.getDebugLoc()) +
                   " may reach a safepoint the pass cannot see",
               DS_Warning);
        continue;
      }
      if (Callee->hasFnAttribute(WriteBarrierAttr)) {
        report(Root, I.getDebugLoc(),
               "safepoint: " + chainText(Chain) + ": call to " + Callee->getName() +
                   where(I.getDebugLoc()) + ", which may switch green threads",
               DS_Error);
        continue;
      }
      if (!Recursive || Callee->hasFnAttribute(YesWriteBarrierRecAttr))
        continue;
      if (Callee->isDeclaration()) {
        if (!isMarkedSafe(*Callee))
          report(Root, I.getDebugLoc(),
                 "safepoint: " + chainText(Chain) + ": call to " + Callee->getName() +
                     where(I.getDebugLoc()) +
                     ", defined elsewhere and not marked SP_NOWRITEBARRIER, may reach a safepoint",
                 DS_Warning);
        continue;
      }
      if (!Visited.insert(Callee).second)
        continue;
      Chain.push_back(Callee);
      visit(*Callee, Chain, Visited, Recursive);
      Chain.pop_back();
    }
  }

  Module &M;
  const EmittedSites &Sites;
  bool Failed = false;
};
} // namespace

bool safepoint::checkWriteBarriers(Module &M, const EmittedSites &Sites) {
  return Checker(M, Sites).run();
}
