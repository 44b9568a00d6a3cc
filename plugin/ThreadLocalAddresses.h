//===- ThreadLocalAddresses.h - TLS addresses follow the green thread -----===//
//
// A green thread may stop at any poll and resume on another OS thread. The compiler sees nothing of
// that: glibc declares __errno_location() `const`, so clang computes errno's address once, before a
// loop, and keeps using it after the thread moved on - reading and writing the old thread's errno
// (8 green threads on 2 Ps got errno wrong 7.8 million times in 16 million). The same holds for
// every address of a thread-local variable (llvm.threadlocal.address, which becomes __tls_get_addr in
// PIC code) and for the C library's other `const` TLS accessors (h_errno, the ctype tables).
//
// So after placing polls the pass re-derives such an address where a *switch point* may separate a
// use from where it was computed: a poll, or a real call (an instrumented callee may poll). It
// computes the address again right after each switch point (where each successor of an invoke
// begins) and gives each such use the address computed since the last switch point on its paths,
// through phis where paths merge; copies that no use needs are dropped. A loop that polls once per
// chunk of iterations, in a block of its own, thus computes it once per chunk: the loop body keeps
// it in a register as before. Pointer arithmetic on the address (GEPs, casts, a conversion to an
// integer) is re-derived at the use, on top of it. Uses in the same stretch of straight-line code
// keep the address as computed.
//
// Not covered: a thread-local address stored to memory, or merged through a phi, and then used
// after a switch point.
//
//===----------------------------------------------------------------------===//
#ifndef SAFEPOINT_THREADLOCALADDRESSES_H
#define SAFEPOINT_THREADLOCALADDRESSES_H

#include "llvm/IR/Function.h"

namespace safepoint {

// Re-derives F's thread-local addresses for the uses that a switch point separates from their
// definition. Returns the number of uses re-derived.
unsigned rederiveThreadLocalAddresses(llvm::Function &F);

} // namespace safepoint

#endif // SAFEPOINT_THREADLOCALADDRESSES_H
