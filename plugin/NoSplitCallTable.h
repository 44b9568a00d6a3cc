//===- NoSplitCallTable.h - the calls nosplit functions make, for the link-time check --===//
//
// Go's linker checks that every chain of nosplit calls fits in the stack the runtime guarantees
// below the stack guard. Frame sizes exist only after code generation, and a chain may cross
// translation units, so the check cannot happen here: the pass records, for every function it
// leaves without an entry check because it is nosplit (or nowritebarrier/rec), each call it makes,
// in section sp_nosplit_calls (struct sp_nosplit_call_record in safepoint_abi.h). sp-inspect
// --check-stack (which sp-cc runs after it links) follows the chains with the frame sizes clang's
// -fstack-size-section writes into .stack_sizes. The blind-spot table says which functions are
// nosplit.
//
//===----------------------------------------------------------------------===//
#ifndef SAFEPOINT_NOSPLITCALLTABLE_H
#define SAFEPOINT_NOSPLITCALLTABLE_H

#include "llvm/IR/Function.h"

namespace safepoint {

// Writes a record into M's sp_nosplit_calls section for every call F makes, except calls to
// intrinsics and inline asm (the code generator decides what those become; what it turns into a
// call to a function nobody recorded counts as an unknown callee). Does nothing when F makes no
// calls.
void recordNoSplitCalls(llvm::Function &F);

} // namespace safepoint

#endif // SAFEPOINT_NOSPLITCALLTABLE_H
