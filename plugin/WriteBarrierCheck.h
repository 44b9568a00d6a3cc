//===- WriteBarrierCheck.h - nowritebarrier and nowritebarrierrec ---------===//
//
// Terminology (Go's): a *write barrier* here is any point where the running green thread may switch:
// a poll, an entry check, or a call to a runtime function that may block or yield (annotated
// safepoint.writebarrier in safepoint.h, never recognised by name).
//  - nowritebarrier: the function itself must contain none;
//  - nowritebarrierrec: neither may any function it reaches by direct calls within the module,
//    except through a function marked yeswritebarrierrec, where the search stops.
// A violation is an error that names the whole call chain and the barrier:
//   guarded_root -> middle_hop -> leaf_with_loop: loop safepoint at file.c:12
// An indirect call, or a call to a function defined elsewhere that is not marked safe (nosplit,
// nowritebarrier or nowritebarrierrec on its declaration), may reach a barrier the pass cannot see:
// a warning (an error with -Werror). Diagnostics go through LLVM's diagnostic handler, so clang
// prints them with the source location.
//
//===----------------------------------------------------------------------===//
#ifndef SAFEPOINT_WRITEBARRIERCHECK_H
#define SAFEPOINT_WRITEBARRIERCHECK_H

#include "PollPlacement.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/IR/Module.h"

namespace safepoint {

// The polls emitted in each function, as placed.
using EmittedSites = llvm::DenseMap<const llvm::Function *, llvm::SmallVector<PollSite, 8>>;

// Reports every violation of nowritebarrier / nowritebarrierrec in M. Returns true if there was an
// error.
bool checkWriteBarriers(llvm::Module &M, const EmittedSites &Sites);

} // namespace safepoint

#endif // SAFEPOINT_WRITEBARRIERCHECK_H
