//===- PollEmitter.h - the instructions of one poll, and its site record ---===//
//
// Each poll is emitted in two parts:
//  - the check itself, in the chosen mode (see safepoint_abi.h): a read of this thread's poll page
//    (in its static TLS block), a read of the shared poll page, a flag test with a cold slow-path call, or a plain
//    call; function entries compare the stack pointer with the per-thread stack guard;
//  - its site record, emitted by the same inline asm that holds the poll's label, into section
//    sp_sites. Inline asm is the only way IR can name the address of one machine instruction. The
//    labels are numeric local labels, so if the backend duplicates a block (tail duplication), each
//    copy records its own address and the table still lists exactly the polls in the code.
//
// In the page modes the faulting read is inside that asm, so the recorded address is exactly the
// instruction the runtime's fault handler sees, and the record carries its length so the handler can
// resume after it.
//
//===----------------------------------------------------------------------===//
#ifndef SAFEPOINT_POLLEMITTER_H
#define SAFEPOINT_POLLEMITTER_H

#include "PollPlacement.h"
#include "SafepointOptions.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"

namespace llvm {
class OptimizationRemarkEmitter;
}

namespace safepoint {

class PollEmitter {
public:
  PollEmitter(llvm::Module &M, const SafepointOptions &Options);

  void emit(llvm::Function &F, const PollSite &Site, llvm::OptimizationRemarkEmitter &ORE);

  unsigned numEmitted() const { return NumEmitted; }

private:
  void emitPagePoll(llvm::IRBuilder<> &B, const PollSite &Site, llvm::Value *PageAddress);
  void emitSiteMarker(llvm::IRBuilder<> &B, const PollSite &Site, sp_poll_mode Mode);
  void emitColdCallIf(llvm::Value *Condition, llvm::Instruction *InsertBefore,
                      llvm::FunctionCallee SlowPath, const llvm::DebugLoc &Loc);
  void emitEntryCheck(llvm::Function &F, const PollSite &Site);
  void emitThreadPagePoll(llvm::IRBuilder<> &B, const PollSite &Site);

  // The site record operands: the function name and (if known) the source file.
  llvm::SmallVector<llvm::Value *, 2> recordOperands(const PollSite &Site);
  llvm::Constant *privateString(llvm::StringRef Text);

  llvm::GlobalVariable *abiVariable(llvm::StringRef Name, llvm::Type *Ty, llvm::Constant *Init,
                                    bool ThreadLocal, llvm::Align Alignment);
  llvm::GlobalVariable *pollPage();
  llvm::GlobalVariable *threadPollPage();
  llvm::FunctionCallee abiFunction(llvm::StringRef Name, bool PreserveMost, bool WeakReference);

  llvm::Module &M;
  const SafepointOptions &Options;
  llvm::StringMap<llvm::Constant *> Strings;
  llvm::Function *CurrentFunction = nullptr;
  unsigned NumEmitted = 0;
};

} // namespace safepoint

#endif // SAFEPOINT_POLLEMITTER_H
