//===- DispatchLoops.h - loops with many back-edges poll on each, unmerged -===//
//
// An interpreter's dispatch loop (`for (;;) switch (*pc++) { case ...: break; }`, or `while (1)`
// with `continue`s) has one back-edge per case in the generated code, yet a single latch in the IR:
// the optimizer merges the cases' jumps back through one block that holds nothing but phis, and
// code generation removes that block again, so every case jumps straight to the dispatch. A poll
// (rule P1) or a counter (rule P1', LoopPollChunks.h) in that latch keeps the block alive: every
// case then jumps to it instead of to the dispatch, and pays a jump, a copy of each value the cases
// set, and for the counter a decrement and a branch, per bytecode.
//
// Measured on bench/pass's interp (docs/benchmarks.md, "Dispatch loops"), the time such a loop takes
// depends mostly on where its dispatch block falls relative to 64-byte lines; over four placements
// 16 bytes apart, against the plain build at the first: plain 1.00-1.46, the counter 1.30-1.55, a
// poll at the start of the dispatch block (which grows it by 8 bytes) 0.96-1.39, a poll at the end
// of each case 0.89-1.38. So, in the page modes, where a poll is one load that neither branches nor
// writes a register, such a loop polls on each back-edge the generated code will have: at the end of
// each block that jumps to the merging latch (on an edge of its own when that block branches
// elsewhere too). The dispatch block stays as the plain build has it.
//
// A computed-goto interpreter (`goto *labels[op]`) has the opposite shape in the IR: the handlers
// jump to one block holding the shared dispatch code, then to the indirectbr, and code generation
// copies both into every handler, so each has an indirect jump of its own. A counter stops that
// copying (15 indirect jumps became 3, 1.47 times the instructions); a poll does not. So such a
// loop polls at the start of that shared block, which every handler's copy then starts with, and
// the load of the jump's target stays folded into the jump (1.11 times the instructions).
//
// The bound is P1's: every iteration ends on one of these back-edges, so at most one iteration runs
// between two polls. Loops with one back-edge keep P1 and P1' (one poll or one counter, nothing to
// merge), and so does every loop in the flag and call modes, where each poll is a branch or a call.
//
//===----------------------------------------------------------------------===//
#ifndef SAFEPOINT_DISPATCHLOOPS_H
#define SAFEPOINT_DISPATCHLOOPS_H

#include "SafepointOptions.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/IR/Instruction.h"

namespace safepoint {

// How many jumps to L's header the generated code will have: a latch that only merges values (phis
// and an unconditional branch to the header) counts once for each of its predecessors.
unsigned backEdgesInCode(const llvm::Loop &L);

// Whether L, a natural loop that polls (rule P1 or P1'), polls on each of its back-edges
// in the generated code instead (rule P1''): in the page modes, when it has several, or when its
// header is a computed goto's indirectbr.
bool pollsOnEachBackEdgeInCode(const llvm::Loop &L, const SafepointOptions &Options);

// Where the polls of such a loop go, given its header and its latches: before the terminator of each
// latch that does more than merge (at its start when the header is an indirectbr), and of each
// block that jumps to a merging latch, splitting the edge when that block also branches elsewhere.
// May split edges: the analyses of the function are stale afterwards.
llvm::SmallVector<llvm::Instruction *, 8>
placeBackEdgePolls(llvm::BasicBlock &Header, llvm::ArrayRef<llvm::BasicBlock *> Latches);

} // namespace safepoint

#endif // SAFEPOINT_DISPATCHLOOPS_H
