//===- Annotations.cpp - what the source said about a function ------------===//
#include "Annotations.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/GlobalVariable.h"

using namespace llvm;
using namespace safepoint;

void safepoint::applyAnnotations(Module &M) {
  GlobalVariable *Annotations = M.getNamedGlobal("llvm.global.annotations");
  if (!Annotations || !Annotations->hasInitializer())
    return;
  auto *Entries = dyn_cast<ConstantArray>(Annotations->getInitializer());
  if (!Entries)
    return;
  for (Value *Op : Entries->operands()) {
    auto *Entry = dyn_cast<ConstantStruct>(Op);
    if (!Entry || Entry->getNumOperands() < 2)
      continue;
    auto *F = dyn_cast<Function>(Entry->getOperand(0)->stripPointerCasts());
    auto *Text = dyn_cast<GlobalVariable>(Entry->getOperand(1)->stripPointerCasts());
    if (!F || !Text || !Text->hasInitializer())
      continue;
    auto *Data = dyn_cast<ConstantDataSequential>(Text->getInitializer());
    if (!Data || !Data->isCString())
      continue;
    StringRef Name = Data->getAsCString();
    if (Name.starts_with("safepoint."))
      F->addFnAttr(Name);
  }
}

bool safepoint::isNoSplitLike(const Function &F) {
  return F.hasFnAttribute(NoSplitAttr) || F.hasFnAttribute(NoWriteBarrierAttr) ||
         F.hasFnAttribute(NoWriteBarrierRecAttr);
}
