//===- SafepointPass.h - the safepoint instrumentation module pass ---------===//
//
// Runs once per module, at the optimizer's last extension point (under LTO, of the link-time pipeline:
// see LinkTimeInstrumentation.h) (after inlining, unrolling and
// vectorization, so a vectorized loop pays one poll per vector iteration), at every optimization level.
// Placement (PollPlacement) decides where each function polls; PollEmitter emits each poll and its
// site record; SiteTable registers the module's records with the runtime.
//
//===----------------------------------------------------------------------===//
#ifndef SAFEPOINT_SAFEPOINTPASS_H
#define SAFEPOINT_SAFEPOINTPASS_H

#include "BlindSpotTable.h"
#include "LinkTimeInstrumentation.h"
#include "WriteBarrierCheck.h"
#include "SafepointOptions.h"

#include "llvm/IR/PassManager.h"

namespace safepoint {

// The one name the pass goes by: pipeline element, DEBUG_TYPE, remark pass name.
inline constexpr char PassName[] = "safepoint";

class SafepointPass : public llvm::PassInfoMixin<SafepointPass> {
public:
  explicit SafepointPass(SafepointOptions Options,
                         PipelineStage Stage = PipelineStage::Compile)
      : Options(Options), Stage(Stage) {}

  llvm::PreservedAnalyses run(llvm::Module &M, llvm::ModuleAnalysisManager &MAM);

  void printPipeline(llvm::raw_ostream &OS,
                     llvm::function_ref<llvm::StringRef(llvm::StringRef)> MapClassName2PassName);

  // clang -O0 marks every function optnone; the invariant must hold there too.
  static bool isRequired() { return true; }

private:
  // Instruments the functions in Only (every function if null) with Options; returns the number of
  // polls emitted.
  unsigned instrument(llvm::Module &M, llvm::ModuleAnalysisManager &MAM,
                      const SafepointOptions &Options,
                      const llvm::SmallPtrSetImpl<const llvm::Function *> *Only,
                      EmittedSites &Emitted, BlindSpotTable &BlindSpots);

  SafepointOptions Options;
  PipelineStage Stage;
};

} // namespace safepoint

#endif // SAFEPOINT_SAFEPOINTPASS_H
