//===- NoSplitCallTable.cpp - the calls nosplit functions make, for the link-time check --===//
#include "NoSplitCallTable.h"

#include "safepoint_abi.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

using namespace llvm;
using namespace safepoint;

void safepoint::recordNoSplitCalls(Function &F) {
  struct Call {
    const Function *Callee; // null: indirect
    const DILocation *Loc;
  };
  SmallVector<Call, 8> Calls;
  for (Instruction &I : instructions(F)) {
    auto *CB = dyn_cast<CallBase>(&I);
    if (!CB || CB->isInlineAsm() || isa<IntrinsicInst>(CB))
      continue;
    const auto *Callee = dyn_cast<Function>(CB->getCalledOperand()->stripPointerCasts());
    Calls.push_back({Callee, I.getDebugLoc().get()});
  }
  if (Calls.empty())
    return;

  Module &M = *F.getParent();
  LLVMContext &Ctx = M.getContext();
  auto *I32 = Type::getInt32Ty(Ctx), *I64 = Type::getInt64Ty(Ctx);
  // Field by field as in struct sp_nosplit_call_record: caller, callee, file, line.
  auto *RecordTy = StructType::get(Ctx, {I32, I32, I32, I32});
  auto *TableTy = ArrayType::get(RecordTy, Calls.size());
  auto *Table = new GlobalVariable(M, TableTy, /*isConstant=*/true, GlobalValue::PrivateLinkage,
                                   nullptr, "__sp_nosplit_calls");
  Table->setSection(SP_NOSPLIT_CALL_SECTION);
  Table->setAlignment(Align(4));

  StringMap<Constant *> Strings;
  auto String = [&](StringRef Text) -> Constant * {
    Constant *&GV = Strings[Text];
    if (!GV) {
      auto *Init = ConstantDataArray::getString(Ctx, Text);
      auto *Var = new GlobalVariable(M, Init->getType(), true, GlobalValue::PrivateLinkage, Init,
                                     "__sp_nosplit_str");
      Var->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
      Var->setAlignment(Align(1));
      GV = Var;
    }
    return GV;
  };
  // Target minus the address of field Field of record Index, as the 32-bit relative field.
  auto Relative = [&](Constant *Target, unsigned Index, unsigned Field) -> Constant * {
    Constant *FieldAddress = ConstantExpr::getGetElementPtr(
        TableTy, Table,
        ArrayRef<Constant *>{ConstantInt::get(I64, 0), ConstantInt::get(I64, Index),
                             ConstantInt::get(I32, Field)});
    Constant *Difference = ConstantExpr::getSub(ConstantExpr::getPtrToInt(Target, I64),
                                                ConstantExpr::getPtrToInt(FieldAddress, I64));
    return ConstantExpr::getTrunc(Difference, I32);
  };

  SmallVector<Constant *, 8> Elements;
  for (unsigned Index = 0; Index < Calls.size(); ++Index) {
    const Call &C = Calls[Index];
    Constant *Zero = ConstantInt::get(I32, 0);
    Constant *Callee = C.Callee ? Relative(String(C.Callee->getName()), Index, 1) : Zero;
    Constant *File = C.Loc ? Relative(String(C.Loc->getFilename()), Index, 2) : Zero;
    Elements.push_back(ConstantStruct::get(
        RecordTy, {Relative(String(F.getName()), Index, 0), Callee, File,
                   ConstantInt::get(I32, C.Loc ? C.Loc->getLine() : 0)}));
  }
  Table->setInitializer(ConstantArray::get(TableTy, Elements));
  // Nothing refers to the table: keep it through optimization and linking (--gc-sections).
  appendToUsed(M, {Table});
}
