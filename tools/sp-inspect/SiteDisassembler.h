//===- SiteDisassembler.h - the instructions around a safepoint site ----------===//
#ifndef SAFEPOINT_SITEDISASSEMBLER_H
#define SAFEPOINT_SITEDISASSEMBLER_H

#include "InspectedFile.h"

#include "llvm/MC/MCAsmInfo.h"
#include "llvm/MC/MCContext.h"
#include "llvm/MC/MCDisassembler/MCDisassembler.h"
#include "llvm/MC/MCInstPrinter.h"
#include "llvm/MC/MCInstrAnalysis.h"
#include "llvm/MC/MCInstrInfo.h"
#include "llvm/MC/MCRegisterInfo.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/Support/Error.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace safepoint {

struct DisassembledInstruction {
  uint64_t Address; // as Location::Address
  std::string Text; // AT&T syntax, then "# ..." naming what it refers to, when known
  bool AtSite;      // the instruction the site's pc points at
};

// Disassembles x86-64 code with LLVM's MC layer, AT&T syntax as objdump prints it.
class SiteDisassembler {
public:
  static llvm::Expected<std::unique_ptr<SiteDisassembler>> create(InspectedFile &File);

  // Up to Before instructions before Site, the instruction at Site, and up to After after it, all
  // in the function that holds Site (from its start when the symbol table knows it, else from the
  // section's start, so the instruction boundaries are right).
  llvm::Expected<std::vector<DisassembledInstruction>> around(const Location &Site, unsigned Before,
                                                              unsigned After) const;

private:
  explicit SiteDisassembler(const InspectedFile &File) : File(File) {}
  std::string annotation(const llvm::MCInst &Inst, const Location &Where, uint64_t Size) const;
  // The size and text of the instruction at the start of Bytes, which is at Where.
  std::pair<uint64_t, std::string> decode(llvm::ArrayRef<uint8_t> Bytes,
                                          const Location &Where) const;
  // Where the instructions of a section start, by a linear sweep (computed once per section).
  const std::vector<uint64_t> &instructionStarts(uint64_t SectionIndex,
                                                 llvm::ArrayRef<uint8_t> Bytes) const;

  const InspectedFile &File;
  std::unique_ptr<llvm::MCRegisterInfo> RegisterInfo;
  std::unique_ptr<llvm::MCAsmInfo> AsmInfo;
  std::unique_ptr<llvm::MCSubtargetInfo> SubtargetInfo;
  std::unique_ptr<llvm::MCInstrInfo> InstrInfo;
  std::unique_ptr<llvm::MCContext> Context;
  std::unique_ptr<llvm::MCDisassembler> Disassembler;
  std::unique_ptr<llvm::MCInstPrinter> Printer;
  std::unique_ptr<llvm::MCInstrAnalysis> Analysis;
  mutable std::map<uint64_t, std::vector<uint64_t>> InstructionStarts;
};

} // namespace safepoint

#endif // SAFEPOINT_SITEDISASSEMBLER_H
