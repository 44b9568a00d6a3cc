//===- LinkTimeInstrumentation.cpp - polls after the link-time optimizer --===//
#include "LinkTimeInstrumentation.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

using namespace llvm;
using namespace safepoint;

// On each function a compile step left for the link-time pass: the options it was compiled with.
static const char DeferredAttr[] = "safepoint.deferred-to-link-time";
// An undefined symbol's name is what the linker prints, so this one explains itself.
static const char MissingPluginSymbol[] =
    "safepoint: this LTO link did not run the Safepoint pass; link with -fuse-ld=lld "
    "-Wl,--load-pass-plugin=SafepointPlugin.so (sp-cc does)";

bool safepoint::isPreparedForLTO(const Module &M) {
  return M.getModuleFlag("EnableSplitLTOUnit") != nullptr;
}

void safepoint::deferToLinkTime(Module &M, const SafepointOptions &Options) {
  std::string Parameters = passParameters(Options);
  for (Function &F : M)
    if (!F.isDeclaration() && !F.hasFnAttribute(DeferredAttr))
      F.addFnAttr(DeferredAttr, Parameters);
  if (M.getNamedGlobal(MissingPluginSymbol))
    return;
  LLVMContext &Ctx = M.getContext();
  auto *PtrTy = PointerType::getUnqual(Ctx);
  auto *Missing = new GlobalVariable(M, Type::getInt8Ty(Ctx), /*isConstant=*/true,
                                     GlobalValue::ExternalLinkage, nullptr, MissingPluginSymbol);
  auto *Reference = new GlobalVariable(M, PtrTy, /*isConstant=*/true, GlobalValue::PrivateLinkage,
                                       Missing, "__sp_lto_plugin_check");
  appendToUsed(M, {Reference});
}

SmallVector<DeferredGroup, 1> safepoint::takeDeferredFunctions(Module &M) {
  SmallVector<DeferredGroup, 1> Groups;
  StringMap<size_t> GroupOf;
  for (Function &F : M) {
    if (!F.hasFnAttribute(DeferredAttr))
      continue;
    StringRef Parameters = F.getFnAttribute(DeferredAttr).getValueAsString();
    auto [It, Inserted] = GroupOf.try_emplace(Parameters, Groups.size());
    if (Inserted) {
      Expected<SafepointOptions> Options = parsePassParameters(Parameters);
      if (!Options) {
        M.getContext().emitError("safepoint: unreadable options deferred to link time: " +
                                 toString(Options.takeError()));
        return {};
      }
      Groups.push_back({*Options, {}});
    }
    Groups[It->second].Functions.insert(&F);
    F.removeFnAttr(DeferredAttr);
  }
  if (GlobalVariable *Missing = M.getNamedGlobal(MissingPluginSymbol)) {
    SmallVector<GlobalValue *, 4> References;
    for (User *U : Missing->users())
      if (auto *Reference = dyn_cast<GlobalVariable>(U))
        References.push_back(Reference);
    removeFromUsedLists(M, [&](Constant *C) { return is_contained(References, C); });
    for (GlobalValue *Reference : References)
      Reference->eraseFromParent();
    if (Missing->use_empty())
      Missing->eraseFromParent();
  }
  return Groups;
}

bool safepoint::hasDeferredFunctions(const Module &M) {
  return M.getNamedGlobal(MissingPluginSymbol) != nullptr;
}
