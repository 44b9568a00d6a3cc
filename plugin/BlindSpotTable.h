//===- BlindSpotTable.h - what the pass left without a poll, for tools ----===//
//
// Every elision (a bounded loop, a loop that calls a polling function, a bounded leaf) and every
// function left without polls (not instrumented, nosplit) gets a record in section sp_blind_spots
// (struct sp_blind_spot_record in safepoint_abi.h), so sp-inspect --blind-spots can list them and
// --check can fail a build on the unbounded ones. The records use the same relative fields as the
// site table, so they need no dynamic relocations either.
//
//===----------------------------------------------------------------------===//
#ifndef SAFEPOINT_BLINDSPOTTABLE_H
#define SAFEPOINT_BLINDSPOTTABLE_H

#include "safepoint_abi.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/IR/DebugLoc.h"
#include "llvm/IR/Function.h"

namespace safepoint {

class BlindSpotTable {
public:
  // Loc: of the loop, or unset for the function (its subprogram's line is used).
  void add(const llvm::Function &F, const llvm::DebugLoc &Loc, sp_blind_spot_reason Reason,
           uint32_t Bound = 0, bool Unbounded = false);

  // Writes the records into M's sp_blind_spots section.
  void emit(llvm::Module &M) const;

private:
  struct Record {
    std::string Function, File;
    uint32_t Line;
    uint16_t Column;
    sp_blind_spot_reason Reason;
    bool Unbounded;
    uint32_t Bound;
  };
  llvm::SmallVector<Record, 16> Records;
};

} // namespace safepoint

#endif // SAFEPOINT_BLINDSPOTTABLE_H
