//===- EntryStackCheck.cpp - which entry polls must also check the stack --===//
#include "EntryStackCheck.h"

#include "PollPlacement.h"

#include "llvm/IR/InstIterator.h"
#include "llvm/IR/IntrinsicInst.h"

using namespace llvm;
using namespace safepoint;

// A callee the pass instruments here and that nothing can replace: its own entry poll, probes and
// loop polls are the ones that run.
static bool isInstrumentedFinalDefinition(const Function &Callee) {
  return !Callee.isDeclaration() && Callee.hasExactDefinition() &&
         (Callee.hasLocalLinkage() || Callee.isDSOLocal()) &&
         reasonNotInstrumented(Callee).empty();
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
    if (!Callee || !isInstrumentedFinalDefinition(*Callee))
      return true;
  }
  return false;
}
