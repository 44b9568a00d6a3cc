//===- EntryStackCheck.cpp - which entry polls must also check the stack --===//
#include "EntryStackCheck.h"

#include "PollPlacement.h"

#include "llvm/IR/InstIterator.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/Support/CommandLine.h"

using namespace llvm;
using namespace safepoint;

// Off, every thread-page entry poll is the page load, and an uninstrumented callee may start with
// whatever stack is left: this exists only to measure what the margin costs (docs/benchmarks.md),
// hence hidden.
static cl::opt<bool> ClEntryStackMargin(
    "sp-entry-stack-margin", cl::Hidden, cl::init(true),
    cl::desc("Keep the stack-guard compare at the entry of functions that may call uninstrumented "
             "code (off only to measure the cost)"));

// A callee the pass instruments here and that nothing can replace: its own entry poll, probes and
// loop polls are the ones that run.
static bool isInstrumentedFinalDefinition(const Function &Callee) {
  return !Callee.isDeclaration() && Callee.hasExactDefinition() &&
         (Callee.hasLocalLinkage() || Callee.isDSOLocal()) &&
         reasonNotInstrumented(Callee).empty();
}

bool safepoint::entryPollChecksStack(const Function &F) {
  return ClEntryStackMargin && callsUninstrumentedCode(F);
}

bool safepoint::callsUninstrumentedCode(const Function &F) {
  for (const Instruction &I : instructions(F)) {
    const auto *Call = dyn_cast<CallBase>(&I);
    if (!Call || Call->isInlineAsm())
      continue;
    // The backend lowers a long memory intrinsic to a call to the C library's memcpy, memmove or
    // memset. Other intrinsics that become library calls (llvm.sin, ...) are not counted: see
    // docs/pass.md, "Why a thread-page entry poll may skip the stack check".
    if (isa<IntrinsicInst>(Call)) {
      if (isLongMemIntrinsic(*Call))
        return true;
      continue;
    }
    const Function *Callee = Call->getCalledFunction();
    // Calls the pass adds itself (__sp_morestack, __sp_tls_address.*): the answer for a callee
    // already instrumented must be the one its own entry poll was chosen by (rule E6 asks).
    if (Callee && Callee->getName().starts_with("__sp_"))
      continue;
    if (!Callee || !isInstrumentedFinalDefinition(*Callee))
      return true;
  }
  return false;
}
