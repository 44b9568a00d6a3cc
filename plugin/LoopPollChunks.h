//===- LoopPollChunks.h - one loop poll per chunk of iterations -----------===//
//
// A loop whose every iteration is bounded work needs a poll only once per bounded number of
// iterations, not on every back-edge: the bound between polls stays real while the poll leaves the
// hot path. Two shapes, tried in this order:
//  - strip mining (HotSpot's loop strip mining), for a loop that exits only where an integer
//    induction variable with a power-of-two step equals a loop-invariant limit (every vectorized
//    loop, and most counted loops once rotated): the latch compares the variable with the end of the
//    current chunk instead of the limit, and only the chunk's end checks the real limit and polls.
//    Nothing is added to an iteration; a chunk is at most max-elided-trips iterations.
//  - a counter, for any other such loop (no trip count: list walks, interpreter dispatch): a
//    register counts the back-edges down from poll-every, and the poll runs when it reaches zero.
// In thread-page mode, where a poll is one load with no branch and no register, a loop that could be
// strip-mined keeps its poll on every back-edge when its body has more than strip-mining-max-body
// instructions and is not vectorized, and a loop that would be counted does when its body has more
// than counter-max-body instructions. Both limits are 0 by default: there, only vectorized loops are
// strip-mined and none is counted, since the load costs less code than a chunk's start and end or a
// counter, and one instruction per iteration against a counter's two. Global-page mode keeps both
// shapes, as the flag and call modes do: its one page is armed for every thread at once, and a
// thread that is not stopped then faults at every poll.
//
//===----------------------------------------------------------------------===//
#ifndef SAFEPOINT_LOOPPOLLCHUNKS_H
#define SAFEPOINT_LOOPPOLLCHUNKS_H

#include "SafepointOptions.h"

#include "llvm/Analysis/LoopInfo.h"
#include "llvm/IR/Instruction.h"

namespace safepoint {

// EveryBackEdge: the loop could be strip-mined or counted down, but a poll on every back-edge costs
// less in thread-page mode (SafepointOptions::StripMiningMaxBody and CounterMaxBody); it is left
// unchanged, like None.
enum class ChunkShape { None, StripMined, Counter, EveryBackEdge };

struct ChunkedPoll {
  ChunkShape Shape = ChunkShape::None;
  llvm::Instruction *PollBefore = nullptr; // the loop's one poll goes before this instruction
  unsigned Iterations = 0;                 // at most this many back-edges between two polls
  unsigned BodySize = 0;                   // EveryBackEdge: the body's instructions
  unsigned BodyLimit = 0;                  // EveryBackEdge: the limit it is over
  bool InsteadOfCounter = false;           // EveryBackEdge: the loop would have been counted down
};

// Whether this file can rewrite L, an innermost natural loop whose body the caller found to be bounded
// work and whose latches close no other polled cycle's back-edge: its back-edges are plain branches or
// switches, which can be redirected.
bool canPollOncePerChunk(const llvm::Loop &L);

// Rewrites L (canPollOncePerChunk) to poll once per chunk, strip-mined if its exit allows it,
// otherwise with a counter. Returns Shape None, changing nothing, when the options ask for a poll on
// every back-edge, and EveryBackEdge, changing nothing, when the body is too long for strip-mining
// to pay. The CFG changes: analyses of the function are stale afterwards.
ChunkedPoll pollOncePerChunk(llvm::Loop &L, const SafepointOptions &Options);

} // namespace safepoint

#endif // SAFEPOINT_LOOPPOLLCHUNKS_H
