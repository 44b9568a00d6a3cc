//===- LinkTimeInstrumentation.h - polls after the link-time optimizer ----===//
//
// Under LTO (-flto, -flto=thin) the compile step only prepares bitcode: inlining across modules,
// unrolling and vectorization happen in the link-time pipeline. Polls inserted at compile time would
// stop the vectorizer there (a ThinLTO build of a summing loop ran 4x slower), so at compile time the
// pass only records its options in the module and the polls go in at the end of the link-time
// pipeline, exactly once (each function records the options it was compiled with):
//  - ThinLTO: at the optimizer's last extension point of each backend module;
//  - full LTO: at the last extension point of the merged module.
// The linker must load the plugin (lld: --load-pass-plugin; sp-cc does it). A deferred module also
// references a symbol nobody defines and whose name says what went wrong; the link-time pass removes
// the reference, so a link without the plugin fails with that name instead of silently producing a
// program without polls.
//
//===----------------------------------------------------------------------===//
#ifndef SAFEPOINT_LINKTIMEINSTRUMENTATION_H
#define SAFEPOINT_LINKTIMEINSTRUMENTATION_H

#include "SafepointOptions.h"

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/IR/Module.h"

#include <optional>

namespace safepoint {

// Which pipeline the pass runs in: a compile (per-module, or an LTO pre-link step) or a link-time
// backend. Pipelines started from source (clang, opt's default pipelines) run the pipeline-start
// extension point; link-time pipelines do not. A compile at -O0 instruments even under LTO: its
// functions are optnone, so the link-time optimizer changes nothing in them, and LLVM 19's ThinLTO
// backend at -O0 has no extension point to run the pass at.
// clang's -ffat-lto-objects pipeline runs the optimizer's last extension point twice: first for the
// bitcode it embeds (deferred like any LTO compile), then for the native code beside it, which must
// poll now (FatObjectCode). Full LTO's merged module gets registration without a COMDAT: LTO may
// split it into partitions, and a COMDAT split between two of them loses its constructor.
enum class PipelineStage { Compile, UnoptimizedCompile, FatObjectCode, ThinLinkTime, FullLinkTime };

// Whether M is being compiled for LTO (clang marks such modules with EnableSplitLTOUnit).
bool isPreparedForLTO(const llvm::Module &M);

// Records Options on each function M defines, for the link-time pass, and adds the reference that
// fails a link without it. Doing it again changes nothing.
void deferToLinkTime(llvm::Module &M, const SafepointOptions &Options);

// The functions a compile step deferred to link time, grouped by the options they were compiled with
// (erasing the records and the reference). Functions compiled without the pass are in no group, so
// they stay uninstrumented, whatever module LTO merged or imported them into; and modules compiled
// with different options can be linked together.
struct DeferredGroup {
  SafepointOptions Options;
  llvm::SmallPtrSet<const llvm::Function *, 32> Functions;
};
llvm::SmallVector<DeferredGroup, 1> takeDeferredFunctions(llvm::Module &M);

// Whether a compile step deferred some of M's functions (and nothing took them yet): deferred bitcode
// compiled to native code without LTO (clang x.bc -c) must poll like a link-time module.
bool hasDeferredFunctions(const llvm::Module &M);

} // namespace safepoint

#endif // SAFEPOINT_LINKTIMEINSTRUMENTATION_H
