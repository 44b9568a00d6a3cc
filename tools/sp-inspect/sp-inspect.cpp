//===- sp-inspect.cpp - list the safepoints of a linked image --------------===//
//
// Usage: sp-inspect IMAGE...
// Prints one line per poll: address, kind, mode, function and source location, sorted by address,
// then a count per kind. Exits non-zero when an image cannot be read.
//
//===----------------------------------------------------------------------===//
#include "SiteTableReader.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"

#include <algorithm>
#include <map>
#include <tuple>

using namespace llvm;
using namespace safepoint;

static cl::OptionCategory InspectCategory("sp-inspect options");
static cl::list<std::string> Images(cl::Positional, cl::OneOrMore, cl::desc("<image>..."),
                                    cl::cat(InspectCategory));

static bool inspect(StringRef Path) {
  Expected<object::OwningBinary<object::ObjectFile>> Binary =
      object::ObjectFile::createObjectFile(Path);
  if (!Binary) {
    WithColor::error(errs(), "sp-inspect") << Path << ": " << toString(Binary.takeError()) << "\n";
    return false;
  }
  Expected<std::vector<Site>> Sites = readSiteTable(*Binary->getBinary());
  if (!Sites) {
    WithColor::error(errs(), "sp-inspect") << Path << ": " << toString(Sites.takeError()) << "\n";
    return false;
  }
  std::sort(Sites->begin(), Sites->end(), [](const Site &A, const Site &B) {
    return std::tie(A.Address, A.Kind, A.Line) < std::tie(B.Address, B.Kind, B.Line);
  });
  std::map<std::string, unsigned> PerKind;
  outs() << Path << ": " << Sites->size() << " safepoint sites\n";
  for (const Site &S : *Sites) {
    outs() << format("  0x%08" PRIx64 "  %-8s %-11s ", S.Address, siteKindName(S.Kind),
                     pollModeName(S.Mode))
           << demangle(S.Function);
    if (!S.File.empty())
      outs() << "  " << S.File << ":" << S.Line << ":" << S.Column;
    outs() << "\n";
    ++PerKind[siteKindName(S.Kind)];
  }
  for (const auto &[Kind, Count] : PerKind)
    outs() << "  " << Kind << ": " << Count << "\n";
  return true;
}

int main(int argc, char **argv) {
  InitLLVM X(argc, argv);
  cl::HideUnrelatedOptions(InspectCategory);
  cl::ParseCommandLineOptions(argc, argv, "sp-inspect: list the safepoint sites of linked images\n");
  bool Ok = true;
  for (const std::string &Path : Images)
    Ok &= inspect(Path);
  return Ok ? 0 : 1;
}
