//===- SiteTable.cpp - one site table per linked image, registered at start-up -===//
#include "SiteTable.h"

#include "safepoint_abi.h"

#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

using namespace llvm;

// Runs before user constructors, like the sanitizers' own, so a constructor that starts the runtime
// already finds every table of its image. The matching destructor runs after every user destructor
// of the image (destructors run in reverse priority order), when dlclose unmaps a library: a
// library mapped later at the same address must not be looked up in a table that is gone. (At exit
// the runtime keeps the tables: other threads still poll while exit runs destructors.)
static const int RegistrationPriority = 1;
static const char RegistrationCtorName[] = "sp.register_sites";
static const char UnregistrationDtorName[] = "sp.unregister_sites";

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

// Emits the function Name that hands this image's table bounds to the runtime entry point Callee, if
// the runtime is linked at all (Callee is a weak reference), and returns it; or returns null when the
// module already has it. InComdat: a hidden COMDAT function, one per image; otherwise an internal one
// (see SiteTable.h). A COMDAT one that an -O0 module brought into full LTO's merged module becomes
// internal.
static Function *emitTableCall(Module &M, StringRef Name, StringRef Callee, bool InComdat) {
  if (Function *Existing = M.getFunction(Name)) {
    if (InComdat || Existing->hasLocalLinkage())
      return nullptr;
    Existing->setComdat(nullptr);
    Existing->setLinkage(GlobalValue::InternalLinkage);
    Existing->setVisibility(GlobalValue::DefaultVisibility);
    return nullptr;
  }
  LLVMContext &Ctx = M.getContext();
  Type *PtrTy = PointerType::getUnqual(Ctx);
  auto *CalleeTy = FunctionType::get(Type::getVoidTy(Ctx), {PtrTy, PtrTy}, false);
  Function *Target = cast<Function>(M.getOrInsertFunction(Callee, CalleeTy).getCallee());
  if (Target->isDeclaration())
    Target->setLinkage(GlobalValue::ExternalWeakLinkage);

  Function *F = Function::Create(
      FunctionType::get(Type::getVoidTy(Ctx), false),
      InComdat ? GlobalValue::LinkOnceODRLinkage : GlobalValue::InternalLinkage, Name, M);
  if (InComdat) {
    F->setVisibility(GlobalValue::HiddenVisibility);
    F->setComdat(M.getOrInsertComdat(Name));
  }
  F->addFnAttr(Attribute::NoUnwind);
  BasicBlock *Entry = BasicBlock::Create(Ctx, "entry", F);
  BasicBlock *Call = BasicBlock::Create(Ctx, "call", F);
  BasicBlock *Done = BasicBlock::Create(Ctx, "done", F);
  IRBuilder<> B(Entry);
  // The runtime is optional: without it the weak reference is null and nothing is called.
  B.CreateCondBr(B.CreateIsNotNull(Target), Call, Done);
  B.SetInsertPoint(Call);
  B.CreateCall(CalleeTy, Target, {tableBound(M, "__start_"), tableBound(M, "__stop_")});
  B.CreateBr(Done);
  B.SetInsertPoint(Done);
  B.CreateRetVoid();
  return F;
}

void safepoint::emitSiteTableRegistration(Module &M, bool InComdat) {
  if (Function *Ctor = emitTableCall(M, RegistrationCtorName, SP_SYM_REGISTER_SITES, InComdat))
    appendToGlobalCtors(M, Ctor, RegistrationPriority, InComdat ? Ctor : nullptr);
  if (Function *Dtor = emitTableCall(M, UnregistrationDtorName, SP_SYM_UNREGISTER_SITES, InComdat))
    appendToGlobalDtors(M, Dtor, RegistrationPriority, InComdat ? Dtor : nullptr);
}
