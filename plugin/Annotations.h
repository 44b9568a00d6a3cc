//===- Annotations.h - what the source said about a function --------------===//
//
// The attributes [[safepoint::nosplit]] & co. (ClangAttributes.cpp) and safepoint.h's SP_* macros
// both become the annotation "safepoint.NAME" on a function, which clang puts in
// llvm.global.annotations for definitions and for declarations alike. The pass turns each into the
// string function attribute "safepoint.NAME", so the rest of the pass asks the function itself.
//
//===----------------------------------------------------------------------===//
#ifndef SAFEPOINT_ANNOTATIONS_H
#define SAFEPOINT_ANNOTATIONS_H

#include "llvm/IR/Function.h"
#include "llvm/IR/Module.h"

namespace safepoint {

// The function attributes, one per annotation.
inline constexpr char NoSplitAttr[] = "safepoint.nosplit";
inline constexpr char NoWriteBarrierAttr[] = "safepoint.nowritebarrier";
inline constexpr char NoWriteBarrierRecAttr[] = "safepoint.nowritebarrierrec";
inline constexpr char YesWriteBarrierRecAttr[] = "safepoint.yeswritebarrierrec";
// On the runtime's declarations (safepoint.h): may block or yield; wants a select / defer site.
inline constexpr char WriteBarrierAttr[] = "safepoint.writebarrier";
inline constexpr char SelectSiteAttr[] = "safepoint.select";
inline constexpr char DeferSiteAttr[] = "safepoint.defer";

// Turns M's "safepoint.*" annotations into function attributes.
void applyAnnotations(llvm::Module &M);

// Whether F must not be polled: nosplit, nowritebarrier or nowritebarrierrec.
bool isNoSplitLike(const llvm::Function &F);

} // namespace safepoint

#endif // SAFEPOINT_ANNOTATIONS_H
