//===- SiteDisassembler.cpp - the instructions around a safepoint site --------===//
#include "SiteDisassembler.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/MC/MCInst.h"
#include "llvm/MC/MCTargetOptions.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

#include <deque>

using namespace llvm;
using namespace safepoint;

Expected<std::unique_ptr<SiteDisassembler>> SiteDisassembler::create(InspectedFile &File) {
  LLVMInitializeX86TargetInfo();
  LLVMInitializeX86TargetMC();
  LLVMInitializeX86Disassembler();
  Triple TheTriple = File.object().makeTriple();
  std::string Message;
  const Target *TheTarget = TargetRegistry::lookupTarget(TheTriple.str(), Message);
  if (!TheTarget)
    return createStringError(inconvertibleErrorCode(), "no disassembler: " + Message);
  std::unique_ptr<SiteDisassembler> D(new SiteDisassembler(File));
  D->RegisterInfo.reset(TheTarget->createMCRegInfo(TheTriple.str()));
  MCTargetOptions Options;
  D->AsmInfo.reset(TheTarget->createMCAsmInfo(*D->RegisterInfo, TheTriple.str(), Options));
  D->SubtargetInfo.reset(TheTarget->createMCSubtargetInfo(TheTriple.str(), "", ""));
  D->InstrInfo.reset(TheTarget->createMCInstrInfo());
  if (!D->RegisterInfo || !D->AsmInfo || !D->SubtargetInfo || !D->InstrInfo)
    return createStringError(inconvertibleErrorCode(), "no x86-64 machine-code description");
  D->Context = std::make_unique<MCContext>(TheTriple, D->AsmInfo.get(), D->RegisterInfo.get(),
                                           D->SubtargetInfo.get());
  D->Disassembler.reset(TheTarget->createMCDisassembler(*D->SubtargetInfo, *D->Context));
  // Dialect 0 is AT&T, the syntax of the pass's documentation and of objdump's default output.
  D->Printer.reset(
      TheTarget->createMCInstPrinter(TheTriple, 0, *D->AsmInfo, *D->InstrInfo, *D->RegisterInfo));
  D->Analysis.reset(TheTarget->createMCInstrAnalysis(D->InstrInfo.get()));
  if (!D->Disassembler || !D->Printer)
    return createStringError(inconvertibleErrorCode(), "no x86-64 disassembler");
  D->Printer->setPrintBranchImmAsAddress(true);
  File.addPltSymbols(); // a shared library calls __sp_poll through its PLT
  return std::move(D);
}

std::string SiteDisassembler::annotation(const MCInst &Inst, const Location &Where,
                                         uint64_t Size) const {
  std::vector<std::string> Notes;
  if (File.isRelocatable()) {
    // An object's operands are still zero: the relocations say what they will be.
    for (const CodeRelocation &R : File.relocationsIn(Where.SectionIndex, Where.Offset, Size))
      Notes.push_back(R.Type + " " + R.Target);
  } else if (Analysis) {
    uint64_t Target;
    if (Analysis->evaluateBranch(Inst, Where.Address, Size, Target)) {
      if (std::optional<std::string> Name = File.symbolAt(Target))
        Notes.push_back(*Name);
    } else if (std::optional<uint64_t> Memory = Analysis->evaluateMemoryOperandAddress(
                   Inst, SubtargetInfo.get(), Where.Address, Size)) {
      if (std::optional<std::string> Name = File.symbolAt(*Memory))
        Notes.push_back(*Name);
    }
  }
  return Notes.empty() ? std::string() : "  # " + join(Notes, ", ");
}

std::pair<uint64_t, std::string> SiteDisassembler::decode(ArrayRef<uint8_t> Bytes,
                                                          const Location &Where) const {
  MCInst Inst;
  uint64_t Size = 0;
  if (Disassembler->getInstruction(Inst, Size, Bytes, Where.Address, nulls()) !=
      MCDisassembler::Success)
    return {1, "(bad)"};
  std::string Text;
  raw_string_ostream OS(Text);
  // x86 branch immediates count from the next instruction: the printer adds them to the address it
  // is given, so give it that one.
  Printer->printInst(&Inst, Where.Address + Size, "", *SubtargetInfo, OS);
  OS.flush();
  // The printer indents with a tab and separates the mnemonic with one: print it as one line.
  Text = StringRef(Text).trim().str();
  std::replace(Text.begin(), Text.end(), '\t', ' ');
  return {Size, Text + annotation(Inst, Where, Size)};
}

const std::vector<uint64_t> &SiteDisassembler::instructionStarts(uint64_t SectionIndex,
                                                                 ArrayRef<uint8_t> Bytes) const {
  auto [It, Inserted] = InstructionStarts.try_emplace(SectionIndex);
  if (!Inserted)
    return It->second;
  for (uint64_t Offset = 0; Offset < Bytes.size();) {
    It->second.push_back(Offset);
    MCInst Inst;
    uint64_t Size = 0;
    if (Disassembler->getInstruction(Inst, Size, Bytes.slice(Offset), Offset, nulls()) !=
            MCDisassembler::Success ||
        Size == 0)
      Size = 1;
    Offset += Size;
  }
  return It->second;
}

Expected<std::vector<DisassembledInstruction>>
SiteDisassembler::around(const Location &Site, unsigned Before, unsigned After) const {
  Expected<StringRef> Contents = File.sectionContents(Site.SectionIndex);
  if (!Contents)
    return Contents.takeError();
  ArrayRef<uint8_t> Bytes(reinterpret_cast<const uint8_t *>(Contents->data()), Contents->size());
  uint64_t SectionAddress = Site.Address - Site.Offset;
  uint64_t End = Bytes.size();
  uint64_t Offset;
  if (std::optional<FunctionOffset> Function = File.functionAt(Site)) {
    Offset = Site.Offset - Function->Offset;
    if (Function->Size != 0)
      End = std::min<uint64_t>(End, Offset + Function->Size);
  } else {
    // No symbol (a stripped image): start Before instructions up in a sweep of the whole section.
    const std::vector<uint64_t> &Starts = instructionStarts(Site.SectionIndex, Bytes);
    size_t Index = std::lower_bound(Starts.begin(), Starts.end(), Site.Offset) - Starts.begin();
    Offset = Index >= Before ? Starts[Index - Before] : 0;
  }

  std::deque<DisassembledInstruction> Window;
  unsigned AfterSite = 0;
  bool SiteSeen = false;
  while (Offset < End && AfterSite <= After) {
    Location Where{Site.SectionIndex, Offset, SectionAddress + Offset};
    auto [Size, Text] = decode(Bytes.slice(Offset, End - Offset), Where);
    if (!SiteSeen && Offset < Site.Offset && Offset + Size > Site.Offset) {
      // The sweep lost step with the code (data between functions?): restart at the site, which
      // the table says is an instruction.
      Window.clear();
      Offset = Site.Offset;
      continue;
    }
    bool AtSite = Offset == Site.Offset;
    SiteSeen |= AtSite;
    Window.push_back({Where.Address, std::move(Text), AtSite});
    if (SiteSeen)
      ++AfterSite;
    else if (Window.size() > Before)
      Window.pop_front();
    Offset += Size;
  }
  if (!SiteSeen)
    return createStringError(inconvertibleErrorCode(),
                             "the site at 0x" + utohexstr(Site.Address) + " is past its section");
  return std::vector<DisassembledInstruction>(Window.begin(), Window.end());
}
