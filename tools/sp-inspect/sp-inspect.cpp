//===- sp-inspect.cpp - show the safepoints and blind spots the pass recorded --===//
//
// Usage: sp-inspect [--disasm] [--json] [--blind-spots | --check | --check-stack] FILE...
// FILE is an x86-64 ELF relocatable object, executable or shared library built with the Safepoint
// pass. Prints its site table (every poll: address, kind, mode, function, source location, then
// counts per kind and per function) or its blind-spot table; --check gates on unbounded blind
// spots and on chains of nosplit calls that do not fit below the stack guard; --check-stack checks
// only those chains (sp-cc runs it after it links). Exit status: 0 done, 1 a FILE could not be
// inspected (or a bad command line), 2 a check failed. docs/pass.md describes the output.
//
//===----------------------------------------------------------------------===//
#include "InspectedFile.h"
#include "NoSplitStackCheck.h"
#include "SiteDisassembler.h"
#include "TableReader.h"

#include "safepoint_abi.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/BinaryFormat/Magic.h"
#include "llvm/DebugInfo/DWARF/DWARFContext.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/WithColor.h"

#include <algorithm>
#include <map>
#include <tuple>

using namespace llvm;
using namespace safepoint;

namespace {

enum ExitStatus { ExitOk = 0, ExitCannotInspect = 1, ExitCheckFailed = 2 };

cl::OptionCategory InspectCategory("sp-inspect options");
cl::list<std::string> Files(cl::Positional, cl::OneOrMore, cl::desc("<file>..."),
                            cl::cat(InspectCategory));
cl::opt<bool> Disasm("disasm",
                     cl::desc("Show the instructions around each site, the poll marked =>"),
                     cl::cat(InspectCategory));
cl::opt<bool> Json("json", cl::desc("Print a JSON array, one object per site (or blind spot)"),
                   cl::cat(InspectCategory));
cl::opt<bool> BlindSpots("blind-spots",
                         cl::desc("List what the pass left without a poll, and why, instead of the "
                                  "sites"),
                         cl::cat(InspectCategory));
cl::opt<bool> Check("check",
                    cl::desc("Exit with status 2, naming them, when there are unbounded blind "
                             "spots or chains of nosplit calls that do not fit below the stack "
                             "guard; print one line 'ok: ...' otherwise"),
                    cl::cat(InspectCategory));
cl::opt<bool> CheckStack("check-stack",
                         cl::desc("Only check that every chain of nosplit calls fits below the "
                                  "stack guard: exit with status 2 naming each that does not, "
                                  "print nothing when all fit"),
                         cl::cat(InspectCategory));
cl::extrahelp ExitStatusHelp(
    "\nFILE: x86-64 ELF relocatable objects, executables and shared libraries built with the "
    "Safepoint pass.\n"
    "Exit status: 0 done; 1 a FILE could not be inspected (missing, not an object file, an "
    "archive,\nLTO bitcode, not x86-64 ELF, no safepoint table) or a bad command line; 2 --check "
    "found an\nunbounded blind spot or a nosplit chain that does not fit, or --check-stack found "
    "such a chain.\n");

constexpr unsigned InstructionsBefore = 3;
constexpr unsigned InstructionsAfter = 4;

void reportError(StringRef Path, const Twine &Message) {
  WithColor::error(errs(), "sp-inspect") << Path << ": " << Message << "\n";
}

// Where a site is in the source: from its record, else from the file's DWARF line table.
struct SourcePlace {
  std::string File; // empty when unknown
  uint32_t Line = 0;
  uint32_t Column = 0;
  const char *Source = nullptr; // "record", "debug-info", or nullptr when unknown
};

class SourceLocator {
public:
  explicit SourceLocator(const InspectedFile &File) : File(File) {}

  SourcePlace find(const Site &S) {
    if (!S.File.empty())
      return {S.File, S.Line, S.Column, "record"};
    if (!Dwarf)
      Dwarf = DWARFContext::create(File.object());
    DILineInfoSpecifier Spec(DILineInfoSpecifier::FileLineInfoKind::RawValue,
                             DILineInfoSpecifier::FunctionNameKind::None);
    DILineInfo Info = Dwarf->getLineInfoForAddress({S.Where.Address, S.Where.SectionIndex}, Spec);
    if (Info.Line == 0 || Info.FileName == DILineInfo::BadString)
      return {};
    return {Info.FileName, Info.Line, Info.Column, "debug-info"};
  }

private:
  const InspectedFile &File;
  std::unique_ptr<DWARFContext> Dwarf;
};

std::string placeText(StringRef File, uint32_t Line, uint32_t Column) {
  return (File + ":" + Twine(Line) + ":" + Twine(Column)).str();
}

// An image's addresses are addresses; an object's are offsets into sections not yet placed.
std::string addressText(const InspectedFile &File, const Location &Where) {
  if (File.isRelocatable())
    return File.sectionName(Where.SectionIndex) + "+0x" + utohexstr(Where.Offset, true);
  std::string Text;
  raw_string_ostream(Text) << format("0x%08" PRIx64, Where.Address);
  return Text;
}

struct SiteView {
  Site S;
  SourcePlace Place;
  std::optional<FunctionOffset> InFunction;
  std::vector<DisassembledInstruction> Instructions;
};

Expected<std::vector<SiteView>> viewSites(InspectedFile &File) {
  Expected<std::vector<Site>> Sites = readSiteTable(File);
  if (!Sites)
    return Sites.takeError();
  bool Relocatable = File.isRelocatable();
  std::sort(Sites->begin(), Sites->end(), [&](const Site &A, const Site &B) {
    return std::make_tuple(Relocatable ? A.Where.SectionIndex : 0, A.Where.Address, A.Kind,
                           A.Line) <
           std::make_tuple(Relocatable ? B.Where.SectionIndex : 0, B.Where.Address, B.Kind, B.Line);
  });
  std::unique_ptr<SiteDisassembler> Disassembler;
  if (Disasm) {
    Expected<std::unique_ptr<SiteDisassembler>> Created = SiteDisassembler::create(File);
    if (!Created)
      return Created.takeError();
    Disassembler = std::move(*Created);
  }
  SourceLocator Locator(File);
  std::vector<SiteView> Views;
  for (Site &S : *Sites) {
    SiteView V{S, Locator.find(S), File.functionAt(S.Where), {}};
    if (Disassembler) {
      Expected<std::vector<DisassembledInstruction>> Instructions =
          Disassembler->around(S.Where, InstructionsBefore, InstructionsAfter);
      if (!Instructions)
        return Instructions.takeError();
      V.Instructions = std::move(*Instructions);
    }
    Views.push_back(std::move(V));
  }
  return Views;
}

void printSitesText(StringRef Path, const InspectedFile &File, const std::vector<SiteView> &Views) {
  outs() << Path << ": " << Views.size() << " safepoint sites\n";
  std::map<uint8_t, unsigned> PerKind;
  // Functions in the order of their first site; per function, counts per kind.
  std::vector<std::string> FunctionOrder;
  std::map<std::string, std::map<uint8_t, unsigned>> PerFunction;
  for (const SiteView &V : Views) {
    outs() << "  " << addressText(File, V.S.Where) << "  "
           << format("%-8s %-11s ", siteKindName(V.S.Kind), pollModeName(V.S.Mode))
           << demangle(V.S.Function);
    if (!V.Place.File.empty())
      outs() << "  " << placeText(V.Place.File, V.Place.Line, V.Place.Column);
    outs() << "\n";
    for (const DisassembledInstruction &I : V.Instructions)
      outs() << (I.AtSite ? "      => " : "         ") << format("%8" PRIx64, I.Address) << ":  "
             << I.Text << "\n";
    ++PerKind[V.S.Kind];
    std::string Function = demangle(V.S.Function);
    if (!PerFunction.count(Function))
      FunctionOrder.push_back(Function);
    ++PerFunction[Function][V.S.Kind];
  }
  // By name, as before: scripts and tests read these lines.
  std::map<std::string, unsigned> PerKindName;
  for (const auto &[Kind, Count] : PerKind)
    PerKindName[siteKindName(Kind)] += Count;
  for (const auto &[Kind, Count] : PerKindName)
    outs() << "  " << Kind << ": " << Count << "\n";
  if (FunctionOrder.empty())
    return;
  outs() << "  sites per function:\n";
  for (const std::string &Function : FunctionOrder) {
    unsigned Total = 0;
    std::vector<std::string> Counts;
    for (const auto &[Kind, Count] : PerFunction[Function]) {
      Total += Count;
      Counts.push_back((Twine(siteKindName(Kind)) + " " + Twine(Count)).str());
    }
    outs() << "    " << Function << ": " << Total << " (" << join(Counts, ", ") << ")\n";
  }
}

void printSitesJson(json::OStream &J, StringRef Path, const InspectedFile &File,
                    const std::vector<SiteView> &Views) {
  for (const SiteView &V : Views)
    J.object([&] {
      J.attribute("image", Path);
      J.attribute("pc", int64_t(V.S.Where.Address));
      J.attribute("section", File.sectionName(V.S.Where.SectionIndex));
      J.attribute("section_offset", int64_t(V.S.Where.Offset));
      J.attribute("function", demangle(V.S.Function));
      J.attribute("mangled", V.S.Function);
      if (V.InFunction)
        J.attribute("function_offset", int64_t(V.InFunction->Offset));
      else
        J.attribute("function_offset", nullptr);
      J.attribute("kind", siteKindName(V.S.Kind));
      J.attribute("mode", pollModeName(V.S.Mode));
      if (V.Place.Source) {
        J.attribute("file", V.Place.File);
        J.attribute("line", int64_t(V.Place.Line));
        J.attribute("column", int64_t(V.Place.Column));
        J.attribute("location_source", V.Place.Source);
      } else {
        J.attribute("file", nullptr);
        J.attribute("line", nullptr);
        J.attribute("column", nullptr);
        J.attribute("location_source", nullptr);
      }
      J.attribute("length", int64_t(V.S.Length));
      if (Disasm)
        J.attributeArray("disasm", [&] {
          for (const DisassembledInstruction &I : V.Instructions)
            J.object([&] {
              J.attribute("address", int64_t(I.Address));
              J.attribute("text", I.Text);
              J.attribute("at_site", I.AtSite);
            });
        });
    });
}

std::string boundText(const BlindSpot &B) {
  if (B.Unbounded)
    return "unbounded";
  if (B.Bound != 0)
    return "bound " + utostr(B.Bound);
  return "bounded";
}

void printBlindSpotsText(StringRef Path, const std::vector<BlindSpot> &Spots) {
  unsigned Unbounded =
      std::count_if(Spots.begin(), Spots.end(), [](const BlindSpot &B) { return B.Unbounded; });
  outs() << Path << ": " << Spots.size() << " blind spots, " << Unbounded << " unbounded\n";
  for (const BlindSpot &B : Spots) {
    outs() << format("  %-16s %-12s ", blindSpotReasonName(B.Reason), boundText(B).c_str())
           << demangle(B.Function);
    if (!B.File.empty())
      outs() << "  " << placeText(B.File, B.Line, B.Column);
    outs() << "\n";
  }
}

void printBlindSpotsJson(json::OStream &J, StringRef Path, const std::vector<BlindSpot> &Spots) {
  for (const BlindSpot &B : Spots)
    J.object([&] {
      J.attribute("image", Path);
      J.attribute("function", demangle(B.Function));
      J.attribute("mangled", B.Function);
      J.attribute("reason", blindSpotReasonName(B.Reason));
      J.attribute("bound", int64_t(B.Bound));
      J.attribute("unbounded", B.Unbounded);
      if (B.File.empty()) {
        J.attribute("file", nullptr);
        J.attribute("line", nullptr);
        J.attribute("column", nullptr);
      } else {
        J.attribute("file", B.File);
        J.attribute("line", int64_t(B.Line));
        J.attribute("column", int64_t(B.Column));
      }
    });
}

struct CheckTotals {
  unsigned Spots = 0;
  unsigned Unbounded = 0;
  unsigned NoSplitFunctions = 0;
  uint64_t DeepestChain = 0;
  unsigned StackProblems = 0;
  unsigned Unchecked = 0; // files whose nosplit functions have no frame sizes at all
};

constexpr char NoFrameSizesText[] =
    "nosplit stack not checked: no .stack_sizes (compile with -fstack-size-section; sp-cc does)";

// Reports each nosplit chain of File that does not fit below the stack guard; false when File
// cannot be read.
bool checkStack(StringRef Path, const InspectedFile &File, CheckTotals &Totals) {
  Expected<NoSplitStackResult> Result = checkNoSplitStack(File, SP_NOSPLIT_STACK_LIMIT);
  if (!Result) {
    reportError(Path, toString(Result.takeError()));
    return false;
  }
  for (const std::string &Problem : Result->Problems)
    outs() << Path << ": " << Problem << "\n";
  Totals.StackProblems += Result->Problems.size();
  if (Result->NoFrameSizes) {
    ++Totals.Unchecked;
    if (CheckStack)
      outs() << Path << ": " << NoFrameSizesText << "\n";
  }
  Totals.NoSplitFunctions += Result->NoSplitFunctions;
  Totals.DeepestChain = std::max(Totals.DeepestChain, Result->DeepestChain);
  return true;
}

// Inspects one file as the options ask; false when it cannot be inspected (reported on stderr).
bool inspect(StringRef Path, json::OStream *J, CheckTotals &Totals) {
  file_magic Magic;
  if (!identify_magic(Path, Magic)) {
    if (Magic == file_magic::archive) {
      reportError(Path, "an archive: extract its objects (ar x) and inspect those");
      return false;
    }
    if (Magic == file_magic::bitcode) {
      reportError(Path, "LLVM bitcode (compiled with -flto): the pass runs when it is linked, "
                        "inspect the linked image");
      return false;
    }
  }
  Expected<object::OwningBinary<object::ObjectFile>> Binary =
      object::ObjectFile::createObjectFile(Path);
  if (!Binary) {
    Error E = Binary.takeError();
    std::string Message = toString(std::move(E));
    if (Message == "The file was not recognized as a valid object file")
      Message = "not an object file, executable or shared library";
    reportError(Path, Message);
    return false;
  }
  Expected<InspectedFile> File = InspectedFile::open(*Binary->getBinary());
  if (!File) {
    reportError(Path, toString(File.takeError()));
    return false;
  }
  if (CheckStack) // a file the pass did not instrument has no nosplit chains to check
    return !hasSafepointTables(*File) || checkStack(Path, *File, Totals);
  if (!hasSafepointTables(*File)) {
    reportError(Path, "no safepoint table (no section " SP_SITE_SECTION " or " SP_BLIND_SPOT_SECTION
                      "): not built with the Safepoint pass, or nothing in it was instrumented");
    return false;
  }
  if (BlindSpots || Check) {
    Expected<std::vector<BlindSpot>> Spots = readBlindSpotTable(*File);
    if (!Spots) {
      reportError(Path, toString(Spots.takeError()));
      return false;
    }
    if (Check) {
      for (const BlindSpot &B : *Spots) {
        ++Totals.Spots;
        if (!B.Unbounded)
          continue;
        ++Totals.Unbounded;
        outs() << Path << ": unbounded blind spot in " << demangle(B.Function) << " at "
               << (B.File.empty() ? std::string("unknown location")
                                  : placeText(B.File, B.Line, B.Column))
               << ": " << blindSpotReasonName(B.Reason) << "\n";
      }
      return checkStack(Path, *File, Totals);
    } else if (J) {
      printBlindSpotsJson(*J, Path, *Spots);
    } else {
      printBlindSpotsText(Path, *Spots);
    }
    return true;
  }
  Expected<std::vector<SiteView>> Views = viewSites(*File);
  if (!Views) {
    reportError(Path, toString(Views.takeError()));
    return false;
  }
  if (J)
    printSitesJson(*J, Path, *File, *Views);
  else
    printSitesText(Path, *File, *Views);
  return true;
}

} // namespace

int main(int argc, char **argv) {
  InitLLVM X(argc, argv);
  cl::HideUnrelatedOptions(InspectCategory);
  cl::ParseCommandLineOptions(
      argc, argv,
      "sp-inspect: show the safepoint polls (and blind spots) the Safepoint pass recorded\n");
  if ((Check || CheckStack) && (Json || Disasm || BlindSpots || (Check && CheckStack))) {
    WithColor::error(errs(), "sp-inspect")
        << (Check ? "--check" : "--check-stack") << " takes no other option\n";
    return ExitCannotInspect;
  }
  if (Disasm && BlindSpots) {
    WithColor::error(errs(), "sp-inspect") << "--disasm shows sites, not blind spots\n";
    return ExitCannotInspect;
  }
  std::optional<json::OStream> J;
  if (Json) {
    J.emplace(outs(), 2);
    J->arrayBegin();
  }
  bool Ok = true;
  CheckTotals Totals;
  for (const std::string &Path : Files)
    Ok &= inspect(Path, J ? &*J : nullptr, Totals);
  if (J) {
    J->arrayEnd();
    outs() << "\n";
  }
  if (!Ok)
    return ExitCannotInspect;
  if ((Check || CheckStack) && (Totals.Unbounded != 0 || Totals.StackProblems != 0))
    return ExitCheckFailed;
  if (Check) {
    outs() << "ok: " << Totals.Spots << " blind spots, none unbounded";
    if (Totals.Unchecked != 0)
      outs() << "; " << NoFrameSizesText;
    else if (Totals.NoSplitFunctions != 0)
      outs() << "; " << Totals.NoSplitFunctions << " nosplit functions, deepest chain "
             << Totals.DeepestChain << " of " << SP_NOSPLIT_STACK_LIMIT << " bytes";
    outs() << "\n";
  }
  return ExitOk;
}
