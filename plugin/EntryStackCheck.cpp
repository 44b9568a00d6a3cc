//===- EntryStackCheck.cpp - which entry polls must also check the stack --===//
#include "EntryStackCheck.h"
#include "Annotations.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/IR/GlobalAlias.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/Support/CommandLine.h"

using namespace llvm;
using namespace safepoint;

// Off by default: the runtime's guard region below each green-thread stack (SP_STACK_GUARD_BYTES,
// 128 KiB) is the margin for code the pass does not see, and catches any write of it up to that far
// below the stack, wherever its frame starts (docs/pass.md, "The stack margin"); only nosplit
// chains, whose budget is counted from their caller's compare, keep it. On, every kind of
// uninstrumented code counts, as it had to with a one-page guard: for a runtime with such a guard,
// and to measure what the compares cost (docs/benchmarks.md).
static cl::opt<bool> ClEntryStackMargin(
    "sp-entry-stack-margin", cl::Hidden, cl::init(false),
    cl::desc("Keep the stack-guard compare at the entry of every function that may reach "
             "uninstrumented code, not only nosplit chains (for a runtime with a one-page guard)"));

// A callee this run instruments and that nothing can replace: its own entry poll, probes and loop
// polls are the ones that run.
static bool isInstrumentedFinalDefinition(const Function &Callee,
                                          const SmallPtrSetImpl<const Function *> *Only) {
  return !Callee.isDeclaration() && definitionIsFinal(Callee) && (!Only || Only->count(&Callee)) &&
         reasonNotInstrumented(Callee).empty();
}

// The function a call names, even when the call's type is not the function's (a call through a C
// declaration without a prototype) or it names an alias of the function: getCalledFunction()
// returns null for both, and either may start a nosplit chain.
static const Function *namedCallee(const CallBase &Call) {
  const Value *Callee = Call.getCalledOperand()->stripPointerCasts();
  if (const auto *Alias = dyn_cast<GlobalAlias>(Callee))
    Callee = Alias->getAliaseeObject();
  return dyn_cast_or_null<Function>(Callee);
}

// Whether the code generator will add calls to F that this pass never sees: the hooks of
// -finstrument-functions-after-inlining (__cyg_profile_func_enter/exit) and of -pg (mcount), which
// the post-inlining EntryExitInstrumenter inserts from these attributes after the optimizer, and
// -mfentry's __fentry__. They are code the pass did not instrument, called from F's own frame.
static bool codeGeneratorAddsCalls(const Function &F) {
  return F.hasFnAttribute("instrument-function-entry-inlined") ||
         F.hasFnAttribute("instrument-function-exit-inlined") || F.hasFnAttribute("fentry-call");
}

FunctionSet safepoint::findFunctionsNeedingStackMargin(const Module &M,
                                                       const PollingFunctionMap &Polling,
                                                       const SmallPtrSetImpl<const Function *> *Only) {
  FunctionSet Reaches; // may reach such code before passing an entry compare of its own
  DenseMap<const Function *, SmallVector<const Function *, 4>> CallersOf;
  SmallVector<const Function *, 16> Worklist;
  for (const Function &F : M) {
    // Every function this run instruments gets an answer, whether or not its callers may trust
    // its definition.
    if (F.isDeclaration() || (Only && !Only->count(&F)) || !reasonNotInstrumented(F).empty())
      continue;
    bool Direct = ClEntryStackMargin && codeGeneratorAddsCalls(F);
    for (const Instruction &I : instructions(F)) {
      const auto *Call = dyn_cast<CallBase>(&I);
      if (!Call || Call->isInlineAsm())
        continue;
      // The backend lowers a long memory intrinsic to a call to the C library's memcpy, memmove
      // or memset. Other intrinsics that become library calls (llvm.sin, ...) are not counted:
      // see docs/pass.md, "The stack margin".
      if (isa<IntrinsicInst>(Call)) {
        Direct |= ClEntryStackMargin && isLongMemIntrinsic(*Call);
        continue;
      }
      const Function *Callee = Call->getCalledFunction();
      // A nosplit chain starts here: sp-inspect --check-stack counts its stack from this compare.
      if (const Function *Named = namedCallee(*Call); Named && isNoSplitLike(*Named))
        Direct = true;
      else if (!Callee || !isInstrumentedFinalDefinition(*Callee, Only))
        Direct |= ClEntryStackMargin;
      else if (Callee != &F)
        CallersOf[Callee].push_back(&F);
    }
    if (Direct && Reaches.insert(&F).second)
      Worklist.push_back(&F);
  }
  // A callee with an entry poll compares at its own entry when it reaches such code, which gives
  // the margin to everything it calls; one without passes the question on to its callers.
  while (!Worklist.empty()) {
    const Function *Callee = Worklist.pop_back_val();
    if (Polling.lookup(Callee) == SP_SITE_ENTRY)
      continue;
    for (const Function *Caller : CallersOf.lookup(Callee))
      if (Reaches.insert(Caller).second)
        Worklist.push_back(Caller);
  }
  return Reaches;
}
