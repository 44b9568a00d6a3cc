//===- PassRegistration.cpp - how clang and opt find the safepoint pass ----===//
//
// clang: -fpass-plugin=SafepointPlugin.so runs the pass at the optimizer's last extension point with
// the -mllvm -sp-* options (clang parses -mllvm before it loads pass plugins, so the same file is also
// given to -fplugin=, which loads it early enough for its options to exist).
// opt:   -load-pass-plugin=SafepointPlugin.so -passes='safepoint<poll=flag;...>'
//
//===----------------------------------------------------------------------===//
#include "Compat.h"
#include "SafepointPass.h"

#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/PassPlugin.h"
#include "llvm/Support/Error.h"

using namespace llvm;
using namespace safepoint;

static bool parseSafepointPipelineElement(StringRef Name, ModulePassManager &MPM,
                                          ArrayRef<PassBuilder::PipelineElement>) {
  if (!PassBuilder::checkParametrizedPassName(Name, PassName))
    return false;
  Expected<SafepointOptions> Options =
      PassBuilder::parsePassParameters(parsePassParameters, Name, PassName);
  if (!Options) {
    // The pipeline parser has no way to carry our message back, so say it before refusing.
    errs() << toString(Options.takeError()) << "\n";
    return false;
  }
  MPM.addPass(SafepointPass(*Options));
  return true;
}

static void registerCallbacks(PassBuilder &PB) {
  registerAtOptimizerLast(PB, [](ModulePassManager &MPM, OptimizationLevel) {
    MPM.addPass(SafepointPass(optionsFromCommandLine()));
  });
  PB.registerPipelineParsingCallback(parseSafepointPipelineElement);
}

extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo llvmGetPassPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, PassName, LLVM_VERSION_STRING, registerCallbacks};
}
