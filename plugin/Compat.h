//===- Compat.h - the one place LLVM version differences live -------------===//
//
// Safepoint is built against LLVM 19. Each #if here is one API that moved between versions; keep them
// short and delete them when the oldest supported version moves past them.
//
//===----------------------------------------------------------------------===//
#ifndef SAFEPOINT_COMPAT_H
#define SAFEPOINT_COMPAT_H

#include "llvm/Config/llvm-config.h"
#include "llvm/Passes/PassBuilder.h"

#include <functional>

namespace safepoint {

#if LLVM_VERSION_MAJOR < 19
#error "Safepoint needs LLVM 19 or newer"
#endif

// The OptimizerLast extension point gained a ThinOrFullLTOPhase parameter in LLVM 20.
inline void registerAtOptimizerLast(
    llvm::PassBuilder &PB,
    std::function<void(llvm::ModulePassManager &, llvm::OptimizationLevel)> Callback) {
#if LLVM_VERSION_MAJOR >= 20
  PB.registerOptimizerLastEPCallback(
      [Callback](llvm::ModulePassManager &MPM, llvm::OptimizationLevel Level,
                 llvm::ThinOrFullLTOPhase) { Callback(MPM, Level); });
#else
  PB.registerOptimizerLastEPCallback(Callback);
#endif
}

} // namespace safepoint

#endif // SAFEPOINT_COMPAT_H
