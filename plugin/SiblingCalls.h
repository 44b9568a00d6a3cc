//===- SiblingCalls.h - keeping calls in tail position through the pass ---===//
//
// A call in tail position (`tail call` whose value the function returns, or any call followed by a
// void return) becomes a sibling call: a jmp that reuses the caller's frame. State machines,
// continuation passing and mutual recursion rely on it to run in constant stack. Two things the
// epilogue poll could break:
//  - the poll must go before the call, never between the call and its return;
//  - clang -O2 merges returns into one block fed by a phi (`%r = phi [%call, %a], [%x, %b]; ret %r`)
//    and leaves it to CodeGenPrepare to duplicate that return back into each calling predecessor. A
//    poll in the shared block stops that duplication, so the pass duplicates the return itself first.
//
//===----------------------------------------------------------------------===//
#ifndef SAFEPOINT_SIBLINGCALLS_H
#define SAFEPOINT_SIBLINGCALLS_H

#include "llvm/IR/Function.h"
#include "llvm/IR/Instructions.h"

namespace safepoint {

// The call Ret returns from in tail position, or null: a tail or musttail call whose value Ret
// passes on (or whose value is unused, when Ret returns void), separated from Ret only by
// instructions that emit no code (debug records, lifetime ends, pointer casts of the value), or a
// call to llvm.experimental.deoptimize, which must stay next to its return as well.
llvm::CallInst *callInTailPosition(llvm::ReturnInst &Ret);

// Duplicates each return block that holds nothing but phis, code-free instructions and the return
// into every predecessor that reaches it with an unconditional branch right after a tail call that
// feeds it, as CodeGenPrepare would. Removes return blocks left without predecessors. Returns true
// if F changed.
bool duplicateReturnsIntoTailCallers(llvm::Function &F);

} // namespace safepoint

#endif // SAFEPOINT_SIBLINGCALLS_H
