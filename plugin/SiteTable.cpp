//===- SiteTable.cpp - one site table per linked image, registered at start-up -===//
#include "SiteTable.h"

#include "safepoint_abi.h"

#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

using namespace llvm;

// Runs before user constructors, like the sanitizers' own, so a constructor that starts the runtime
// already finds every table of its image.
static const int RegistrationPriority = 1;
static const char RegistrationCtorName[] = "sp.register_sites";

bool safepoint::isInstrumented(const Module &M) {
  return M.getModuleFlag(SP_MODULE_FLAG) != nullptr;
}

void safepoint::markInstrumented(Module &M) {
  if (!isInstrumented(M))
    M.addModuleFlag(Module::Max, SP_MODULE_FLAG, 1);
}

// A hidden weak reference to a linker-defined bound of this image's table.
static GlobalVariable *tableBound(Module &M, StringRef Prefix) {
  std::string Name = (Prefix + SP_SITE_SECTION).str();
  if (GlobalVariable *Existing = M.getNamedGlobal(Name))
    return Existing;
  auto *GV = new GlobalVariable(M, Type::getInt8Ty(M.getContext()), /*isConstant=*/true,
                                GlobalValue::ExternalWeakLinkage, nullptr, Name);
  GV->setVisibility(GlobalValue::HiddenVisibility);
  return GV;
}

void safepoint::emitSiteTableRegistration(Module &M, bool InComdat) {
  if (Function *Existing = M.getFunction(RegistrationCtorName)) {
    if (InComdat || Existing->hasLocalLinkage())
      return;
    // A module instrumented at -O0 brought its COMDAT registration into full LTO's merged module.
    Existing->setComdat(nullptr);
    Existing->setLinkage(GlobalValue::InternalLinkage);
    Existing->setVisibility(GlobalValue::DefaultVisibility);
    return;
  }
  LLVMContext &Ctx = M.getContext();
  Type *PtrTy = PointerType::getUnqual(Ctx);
  auto *RegisterTy = FunctionType::get(Type::getVoidTy(Ctx), {PtrTy, PtrTy}, false);
  Function *Register = cast<Function>(
      M.getOrInsertFunction(SP_SYM_REGISTER_SITES, RegisterTy).getCallee());
  if (Register->isDeclaration())
    Register->setLinkage(GlobalValue::ExternalWeakLinkage);

  Function *Ctor = Function::Create(
      FunctionType::get(Type::getVoidTy(Ctx), false),
      InComdat ? GlobalValue::LinkOnceODRLinkage : GlobalValue::InternalLinkage,
      RegistrationCtorName, M);
  if (InComdat) {
    Ctor->setVisibility(GlobalValue::HiddenVisibility);
    Ctor->setComdat(M.getOrInsertComdat(RegistrationCtorName));
  }
  Ctor->addFnAttr(Attribute::NoUnwind);
  BasicBlock *Entry = BasicBlock::Create(Ctx, "entry", Ctor);
  BasicBlock *Call = BasicBlock::Create(Ctx, "register", Ctor);
  BasicBlock *Done = BasicBlock::Create(Ctx, "done", Ctor);
  IRBuilder<> B(Entry);
  // The runtime is optional: without it the weak reference is null and nothing is registered.
  B.CreateCondBr(B.CreateIsNotNull(Register), Call, Done);
  B.SetInsertPoint(Call);
  B.CreateCall(RegisterTy, Register, {tableBound(M, "__start_"), tableBound(M, "__stop_")});
  B.CreateBr(Done);
  B.SetInsertPoint(Done);
  B.CreateRetVoid();
  appendToGlobalCtors(M, Ctor, RegistrationPriority, InComdat ? Ctor : nullptr);
}
