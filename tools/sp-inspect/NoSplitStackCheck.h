//===- NoSplitStackCheck.h - do chains of nosplit calls fit below the stack guard? --===//
//
// A nosplit function has no entry check, so nothing stops it, or the nosplit functions it calls,
// from running past the stack guard. As Go's linker does, check every chain of nosplit calls
// against the stack the runtime guarantees below the guard (SP_NOSPLIT_STACK_LIMIT), with the real
// frame sizes clang -fstack-size-section writes into .stack_sizes:
//
//  - A chain starts at a nosplit function no nosplit function calls: whoever calls it passed its
//    own entry check (or is not instrumented, which the runtime cannot help), so its stack pointer
//    was at or above the guard.
//  - Each nosplit function in it costs its return address (8 bytes) plus its frame.
//  - It ends at a call that leaves nosplit code: to a function with an entry check (which reports
//    an overflow itself, from the runtime's reserve), to one without calls, or to code the pass did
//    not see. Such a callee costs its return address plus its frame when .stack_sizes has it (the
//    same file), and its return address alone when not (a library, an indirect call): that is Go's
//    rule for indirect calls, which assumes the callee checks its own stack.
//  - Below the last frame, the 128-byte red zone: a function that calls nothing may use it without
//    moving the stack pointer, and .stack_sizes leaves it out of the frame.
//  - A cycle of nosplit calls is an error: its stack is unbounded.
//  - A nosplit function without a frame size (compiled without -fstack-size-section, or one with a
//    dynamic alloca, which .stack_sizes cannot size) cannot be checked, and that is an error too,
//    unless the file has no .stack_sizes at all: then it was not built for the check, and the
//    result says that nothing was checked.
//
// Functions are named by their (mangled) symbol names. Two local functions of one name (static
// functions in two translation units) are merged: the larger frame and every call of either, which
// can only overstate a chain.
//
//===----------------------------------------------------------------------===//
#ifndef SAFEPOINT_NOSPLITSTACKCHECK_H
#define SAFEPOINT_NOSPLITSTACKCHECK_H

#include "InspectedFile.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace safepoint {

struct NoSplitStackResult {
  unsigned NoSplitFunctions = 0;
  // The file has nosplit functions but no .stack_sizes at all (built without -fstack-size-section):
  // nothing could be checked, which is not an error (sp-cc links objects other drivers compiled).
  bool NoFrameSizes = false;
  uint64_t DeepestChain = 0; // bytes, over the chains that could be checked
  // One message per problem: an overflow naming its chain, a recursion, a missing frame size.
  // Each may span several lines (a chain's links, one a line).
  std::vector<std::string> Problems;
};

// Checks File's nosplit chains against Limit bytes below the stack guard.
llvm::Expected<NoSplitStackResult> checkNoSplitStack(const InspectedFile &File, uint64_t Limit);

} // namespace safepoint

#endif // SAFEPOINT_NOSPLITSTACKCHECK_H
