//===- SiteTable.h - one site table per linked image, registered at start-up ===//
//
// Every poll's record lands in section sp_sites (see PollEmitter). The linker concatenates the
// sections of all objects of one image and defines __start_sp_sites / __stop_sp_sites around them.
// Each instrumented module carries the same hidden, comdat constructor, so every image (executable or
// shared library) runs exactly one, which hands its own table to the runtime's __sp_register_sites -
// if the runtime is linked at all.
//
//===----------------------------------------------------------------------===//
#ifndef SAFEPOINT_SITETABLE_H
#define SAFEPOINT_SITETABLE_H

namespace llvm {
class Module;
}

namespace safepoint {

bool isInstrumented(const llvm::Module &M);
void markInstrumented(llvm::Module &M);
// InComdat: one registration per image however many modules carry it. Full LTO's merged module is
// the only one of its kind, and LTO partitioning may split a COMDAT, losing its constructor: there the
// registration is an internal constructor (the runtime ignores a table registered twice).
void emitSiteTableRegistration(llvm::Module &M, bool InComdat);

} // namespace safepoint

#endif // SAFEPOINT_SITETABLE_H
