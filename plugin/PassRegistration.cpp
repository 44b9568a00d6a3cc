//===- PassRegistration.cpp - how clang and opt find the safepoint pass ----===//
//
// clang: -fpass-plugin=SafepointPlugin.so runs the pass at the optimizer's last extension point with
// the -mllvm -sp-* options (clang parses -mllvm before it loads pass plugins, so the same file is also
// given to -fplugin=, which loads it early enough for its options to exist).
// opt:   -load-pass-plugin=SafepointPlugin.so -passes='safepoint<poll=flag;...>'
// lld:   --load-pass-plugin=SafepointPlugin.so runs it at the end of the link-time pipeline, on the
//        modules whose compile step deferred their polls to it (LinkTimeInstrumentation.h).
//
//===----------------------------------------------------------------------===//
#include "Compat.h"
#include "SafepointPass.h"

#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/PassPlugin.h"
#include "llvm/Support/Error.h"

#include <memory>

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
  // Pipelines built from source (per-module, and the pre-link step of LTO) pass the pipeline-start
  // extension point before the optimizer's last one; ThinLTO's link-time backend pipeline passes only
  // the last. Both extension points run while the pipeline is built, so this PassBuilder's pipeline
  // knows which it is by the time the pass is added.
  auto StartedFromSource = std::make_shared<bool>(false);
  auto LastExtensionPoints = std::make_shared<unsigned>(0);
  PB.registerPipelineStartEPCallback(
      [StartedFromSource](ModulePassManager &, OptimizationLevel) { *StartedFromSource = true; });
  registerAtOptimizerLast(PB, [StartedFromSource, LastExtensionPoints](ModulePassManager &MPM,
                                                                       OptimizationLevel Level) {
    // -ffat-lto-objects passes this point a second time, for the native code beside the bitcode.
    bool Again = (*LastExtensionPoints)++ != 0;
    PipelineStage Stage = !*StartedFromSource            ? PipelineStage::ThinLinkTime
                          : Again                        ? PipelineStage::FatObjectCode
                          : Level == OptimizationLevel::O0 ? PipelineStage::UnoptimizedCompile
                                                           : PipelineStage::Compile;
    MPM.addPass(SafepointPass(optionsFromCommandLine(), Stage));
  });
  PB.registerFullLinkTimeOptimizationLastEPCallback([](ModulePassManager &MPM, OptimizationLevel) {
    MPM.addPass(SafepointPass(optionsFromCommandLine(), PipelineStage::FullLinkTime));
  });
  PB.registerPipelineParsingCallback(parseSafepointPipelineElement);
}

extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo llvmGetPassPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, PassName, LLVM_VERSION_STRING, registerCallbacks};
}
