//===- LinkTimeInstrumentation.cpp - polls after the link-time optimizer --===//
#include "LinkTimeInstrumentation.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

using namespace llvm;
using namespace safepoint;

static const char DeferredFlag[] = "safepoint.deferred-to-link-time";
// An undefined symbol's name is what the linker prints, so this one explains itself.
static const char MissingPluginSymbol[] =
    "safepoint: this LTO link did not run the Safepoint pass; link with -fuse-ld=lld "
    "-Wl,--load-pass-plugin=SafepointPlugin.so (sp-cc does)";

bool safepoint::isPreparedForLTO(const Module &M) {
  return M.getModuleFlag("EnableSplitLTOUnit") != nullptr;
}

void safepoint::deferToLinkTime(Module &M, const SafepointOptions &Options) {
  LLVMContext &Ctx = M.getContext();
  M.addModuleFlag(Module::Error, DeferredFlag, MDString::get(Ctx, passParameters(Options)));
  auto *PtrTy = PointerType::getUnqual(Ctx);
  GlobalVariable *Missing = M.getNamedGlobal(MissingPluginSymbol);
  if (!Missing)
    Missing = new GlobalVariable(M, Type::getInt8Ty(Ctx), /*isConstant=*/true,
                                 GlobalValue::ExternalLinkage, nullptr, MissingPluginSymbol);
  auto *Reference = new GlobalVariable(M, PtrTy, /*isConstant=*/true, GlobalValue::PrivateLinkage,
                                       Missing, "__sp_lto_plugin_check");
  appendToUsed(M, {Reference});
}

std::optional<SafepointOptions> safepoint::takeDeferredOptions(Module &M) {
  auto *Text = dyn_cast_or_null<MDString>(M.getModuleFlag(DeferredFlag));
  if (!Text)
    return std::nullopt;
  Expected<SafepointOptions> Options = parsePassParameters(Text->getString());
  if (!Options) {
    M.getContext().emitError("safepoint: unreadable options deferred to link time: " +
                             toString(Options.takeError()));
    return std::nullopt;
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
  return *Options;
}
