//===- SiblingCalls.cpp - keeping calls in tail position through the pass -===//
#include "SiblingCalls.h"

#include "llvm/IR/CFG.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/Transforms/Utils/ValueMapper.h"

using namespace llvm;
using namespace safepoint;

// Conversions of a value that cost nothing on x86-64, so a call whose value reaches the return through
// them is still in tail position for instruction selection: pointer casts, pointer <-> integer of
// pointer width, truncations (the low bits are already in the register), and taking apart or putting
// together an aggregate.
static bool isFreeConversion(const Instruction &I) {
  switch (I.getOpcode()) {
  case Instruction::BitCast:
  case Instruction::AddrSpaceCast:
  case Instruction::PtrToInt:
  case Instruction::IntToPtr:
  case Instruction::Trunc:
  case Instruction::ExtractValue:
  case Instruction::InsertValue:
    return true;
  default:
    return false;
  }
}

// Instructions the backend emits no code for, so a call followed only by them (and the return) is
// still in tail position for instruction selection.
static bool emitsNoCode(const Instruction &I) {
  if (isa<DbgInfoIntrinsic>(I) || isa<PseudoProbeInst>(I))
    return true;
  if (const auto *II = dyn_cast<IntrinsicInst>(&I))
    switch (II->getIntrinsicID()) {
    case Intrinsic::lifetime_end:
    case Intrinsic::assume:
    case Intrinsic::experimental_noalias_scope_decl:
      return true;
    default:
      return false;
    }
  return isFreeConversion(I);
}

// Returned with the free conversions above taken off.
static const Value *stripFreeConversions(const Value *V) {
  while (const auto *I = dyn_cast<Instruction>(V)) {
    if (!isFreeConversion(*I))
      break;
    V = I->getOpcode() == Instruction::InsertValue ? I->getOperand(1) : I->getOperand(0);
  }
  return V->stripPointerCasts();
}

// The last instruction before I (a return or a branch) that emits code, or null.
static Instruction *lastCodeBefore(Instruction &I) {
  for (Instruction *Prev = I.getPrevNode(); Prev; Prev = Prev->getPrevNode())
    if (!emitsNoCode(*Prev))
      return Prev;
  return nullptr;
}

// Whether returning Returned (nullptr for a void return) passes on Call's value: the value itself,
// or the argument the callee returns (memcpy's destination, strcpy's, a `returned` parameter).
static bool passesOn(const Value *Returned, const CallInst &Call) {
  if (!Returned)
    return Call.getType()->isVoidTy() || Call.use_empty() ||
           all_of(Call.users(), [](const User *U) { return isa<DbgInfoIntrinsic>(U); });
  const Value *Value = stripFreeConversions(Returned);
  if (Value == &Call)
    return true;
  if (const auto *Mem = dyn_cast<MemIntrinsic>(&Call))
    return Value == Mem->getRawDest()->stripPointerCasts();
  const llvm::Value *ReturnedArg = Call.getReturnedArgOperand();
  return ReturnedArg && Value == ReturnedArg->stripPointerCasts();
}

CallInst *safepoint::callInTailPosition(ReturnInst &Ret) {
  auto *Call = dyn_cast_or_null<CallInst>(lastCodeBefore(Ret));
  if (!Call || Call->isInlineAsm())
    return nullptr;
  if (isa<IntrinsicInst>(Call) && !isa<MemIntrinsic>(Call) &&
      Call->getIntrinsicID() != Intrinsic::experimental_deoptimize)
    return nullptr;
  if (Call->isMustTailCall() || Call->getIntrinsicID() == Intrinsic::experimental_deoptimize)
    return Call;
  // The `tail` marker says the callee does not use our allocas; without it the backend never emits
  // a sibling call, so there is nothing to keep.
  if (Call->isTailCall() && passesOn(Ret.getReturnValue(), *Call))
    return Call;
  return nullptr;
}

// A return block cheap and safe to copy: phis, code-free instructions, the return.
static bool isDuplicableReturnBlock(BasicBlock &BB) {
  if (!isa<ReturnInst>(BB.getTerminator()) || BB.hasAddressTaken())
    return false;
  for (Instruction &I : BB)
    if (!isa<PHINode>(I) && !emitsNoCode(I) && !I.isTerminator())
      return false;
  // Values of the block used elsewhere (only possible through phis of later blocks, which a return
  // block has none of) would lose their single definition.
  return all_of(BB, [&](Instruction &I) {
    return all_of(I.users(), [&](User *U) { return cast<Instruction>(U)->getParent() == &BB; });
  });
}

// Whether Pred, one of Ret's block's predecessors, ends in a tail call that Ret would pass on.
static bool endsInFeedingTailCall(BasicBlock &Pred, ReturnInst &Ret) {
  auto *Br = dyn_cast<BranchInst>(Pred.getTerminator());
  if (!Br || !Br->isUnconditional())
    return false;
  auto *Call = dyn_cast_or_null<CallInst>(lastCodeBefore(*Br));
  if (!Call || !Call->isTailCall() || Call->isInlineAsm() ||
      (isa<IntrinsicInst>(Call) && !isa<MemIntrinsic>(Call)))
    return false;
  Value *Returned = Ret.getReturnValue();
  if (auto *Phi = dyn_cast_or_null<PHINode>(Returned ? stripFreeConversions(Returned) : nullptr);
      Phi && Phi->getParent() == Ret.getParent())
    Returned = Phi->getIncomingValueForBlock(&Pred);
  return passesOn(Returned, *Call);
}

// Replaces Pred's branch to BB by a copy of BB's code (lifetime ends included, so the stack slots they
// end stay as the backend colours them), with BB's phis replaced by what they take from Pred.
static void copyReturnBlockInto(BasicBlock &BB, BasicBlock &Pred) {
  ValueToValueMapTy Map;
  Instruction *Branch = Pred.getTerminator();
  for (Instruction &I : BB) {
    if (auto *Phi = dyn_cast<PHINode>(&I)) {
      Map[Phi] = Phi->getIncomingValueForBlock(&Pred);
      continue;
    }
    Instruction *Copy = I.clone();
    Copy->setName(I.getName());
    Copy->insertBefore(Branch);
    RemapInstruction(Copy, Map, RF_IgnoreMissingLocals | RF_NoModuleLevelChanges);
    Map[&I] = Copy;
  }
  Branch->eraseFromParent();
  BB.removePredecessor(&Pred);
}

bool safepoint::duplicateReturnsIntoTailCallers(Function &F) {
  SmallVector<BasicBlock *, 4> ReturnBlocks;
  for (BasicBlock &BB : F)
    if (isDuplicableReturnBlock(BB))
      ReturnBlocks.push_back(&BB);

  bool Changed = false;
  for (BasicBlock *BB : ReturnBlocks) {
    auto *Ret = cast<ReturnInst>(BB->getTerminator());
    SmallVector<BasicBlock *, 4> TailCallers;
    for (BasicBlock *Pred : predecessors(BB))
      if (endsInFeedingTailCall(*Pred, *Ret))
        TailCallers.push_back(Pred);
    for (BasicBlock *Pred : TailCallers) {
      copyReturnBlockInto(*BB, *Pred);
      Changed = true;
    }
    if (!TailCallers.empty() && pred_empty(BB))
      BB->eraseFromParent();
  }
  return Changed;
}
