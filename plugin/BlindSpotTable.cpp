//===- BlindSpotTable.cpp - what the pass left without a poll, for tools --===//
#include "BlindSpotTable.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

using namespace llvm;
using namespace safepoint;

void BlindSpotTable::add(const Function &F, const DebugLoc &Loc, sp_blind_spot_reason Reason,
                         uint32_t Bound, bool Unbounded) {
  Record R{F.getName().str(), "", 0, 0, Reason, Unbounded, Bound};
  if (const DILocation *L = Loc.get()) {
    R.File = L->getFilename().str();
    R.Line = L->getLine();
    R.Column = static_cast<uint16_t>(std::min(L->getColumn(), 0xffffu));
  } else if (const DISubprogram *SP = F.getSubprogram()) {
    R.File = SP->getFilename().str();
    R.Line = SP->getLine();
  }
  Records.push_back(std::move(R));
}

void BlindSpotTable::emit(Module &M) const {
  if (Records.empty())
    return;
  LLVMContext &Ctx = M.getContext();
  auto *I8 = Type::getInt8Ty(Ctx), *I16 = Type::getInt16Ty(Ctx);
  auto *I32 = Type::getInt32Ty(Ctx), *I64 = Type::getInt64Ty(Ctx);
  // Field by field as in struct sp_blind_spot_record: function, file, line, column, reason,
  // unbounded, bound, reserved.
  auto *RecordTy = StructType::get(Ctx, {I32, I32, I32, I16, I8, I8, I32, I32});
  auto *TableTy = ArrayType::get(RecordTy, Records.size());
  auto *Table = new GlobalVariable(M, TableTy, /*isConstant=*/true, GlobalValue::PrivateLinkage,
                                   nullptr, "__sp_blind_spots");
  Table->setSection(SP_BLIND_SPOT_SECTION);
  Table->setAlignment(Align(4));

  auto String = [&](StringRef Text) -> Constant * {
    auto *Init = ConstantDataArray::getString(Ctx, Text);
    auto *GV = new GlobalVariable(M, Init->getType(), true, GlobalValue::PrivateLinkage, Init,
                                  "__sp_blind_str");
    GV->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
    GV->setAlignment(Align(1));
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

  SmallVector<Constant *, 16> Elements;
  for (unsigned Index = 0; Index < Records.size(); ++Index) {
    const Record &R = Records[Index];
    Constant *File = R.File.empty() ? ConstantInt::get(I32, 0) : Relative(String(R.File), Index, 1);
    Elements.push_back(ConstantStruct::get(
        RecordTy, {Relative(String(R.Function), Index, 0), File, ConstantInt::get(I32, R.Line),
                   ConstantInt::get(I16, R.Column), ConstantInt::get(I8, R.Reason),
                   ConstantInt::get(I8, R.Unbounded ? 1 : 0), ConstantInt::get(I32, R.Bound),
                   ConstantInt::get(I32, 0)}));
  }
  Table->setInitializer(ConstantArray::get(TableTy, Elements));
  // Nothing refers to the table: keep it through optimization and linking (--gc-sections).
  appendToUsed(M, {Table});
}
