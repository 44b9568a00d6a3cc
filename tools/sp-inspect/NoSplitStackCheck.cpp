//===- NoSplitStackCheck.cpp - do chains of nosplit calls fit below the stack guard? --===//
#include "NoSplitStackCheck.h"

#include "TableReader.h"

#include "safepoint_abi.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/Support/LEB128.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

using namespace llvm;
using namespace llvm::object;
using namespace safepoint;

namespace {

constexpr uint64_t ReturnAddressBytes = 8;
// The System V red zone: a function that calls nothing may use 128 bytes below its stack pointer,
// and its .stack_sizes frame leaves them out. Only the last function of a chain calls nothing.
constexpr uint64_t RedZoneBytes = 128;
constexpr char IndirectCall[] = "<indirect call>";

// Frame sizes by function name, from every .stack_sizes section: entries of an 8-byte function
// address and a ULEB128 size (the frame below the return address: pushed registers included).
Expected<std::map<std::string, uint64_t>> readFrameSizes(const InspectedFile &File,
                                                         bool &HasSection) {
  std::map<std::string, uint64_t> Sizes;
  std::vector<SectionRef> Sections = File.sectionsNamed(".stack_sizes");
  HasSection = !Sections.empty();
  for (const SectionRef &Section : Sections) {
    Expected<StringRef> Contents = Section.getContents();
    if (!Contents)
      return Contents.takeError();
    const uint8_t *Bytes = Contents->bytes_begin();
    uint64_t Offset = 0;
    while (Offset < Contents->size()) {
      Expected<Location> Function = File.resolveAddress(Section, Offset);
      if (!Function)
        return Function.takeError();
      Offset += 8;
      unsigned Length = 0;
      const char *Problem = nullptr;
      uint64_t Size = decodeULEB128(Bytes + Offset, &Length, Contents->bytes_end(), &Problem);
      if (Problem)
        return createStringError(inconvertibleErrorCode(), ".stack_sizes+0x" +
                                                               utohexstr(Offset) + ": " + Problem);
      Offset += Length;
      for (const std::string &Name : File.functionsStartingAt(*Function))
        Sizes[Name] = std::max(Sizes[Name], Size);
    }
  }
  return Sizes;
}

std::string placeOf(const NoSplitCall &Call) {
  if (Call.File.empty())
    return "";
  return " at " + Call.File + (Call.Line ? ":" + utostr(Call.Line) : "");
}

class Checker {
public:
  Checker(uint64_t Limit, NoSplitStackResult &Result) : Limit(Limit), Result(Result) {}

  void run(const std::vector<BlindSpot> &Spots, const std::vector<NoSplitCall> &Records,
           std::map<std::string, uint64_t> FrameSizesIn, bool HasFrameSizes) {
    FrameSizes = std::move(FrameSizesIn);
    for (const BlindSpot &B : Spots)
      if (B.Reason == SP_BLIND_NOSPLIT)
        NoSplit.insert(B.Function);
    for (const NoSplitCall &Call : Records) {
      NoSplit.insert(Call.Caller);
      std::vector<NoSplitCall> &Calls = CallsOf[Call.Caller];
      // The records of a function that several objects define (a C++ inline function) repeat.
      if (std::none_of(Calls.begin(), Calls.end(), [&](const NoSplitCall &Known) {
            return Known.Callee == Call.Callee && Known.File == Call.File &&
                   Known.Line == Call.Line;
          }))
        Calls.push_back(Call);
    }
    Result.NoSplitFunctions = NoSplit.size();
    if (NoSplit.empty())
      return;
    if (!HasFrameSizes) {
      Result.NoFrameSizes = true;
      return;
    }
    std::set<std::string> Called;
    for (const auto &[Caller, Calls] : CallsOf)
      for (const NoSplitCall &Call : Calls)
        if (NoSplit.count(Call.Callee))
          Called.insert(Call.Callee);
    // Roots first: a chain from a root is the deepest through each function it reaches. Then the
    // rest, which only cycles leave unreached.
    for (const std::string &F : NoSplit)
      if (!Called.count(F))
        checkRoot(F);
    for (const std::string &F : NoSplit)
      if (!Memo.count(F))
        deepest(F);
  }

private:
  struct Link {
    std::string Function;
    std::optional<uint64_t> Frame; // unknown: outside this file's .stack_sizes
    std::string CallPlace;         // where it calls the next link
  };
  struct Chain {
    uint64_t Bytes = 0;
    std::vector<Link> Links;
  };

  std::optional<uint64_t> frameOf(const std::string &Name) const {
    auto It = FrameSizes.find(Name);
    if (It == FrameSizes.end())
      return std::nullopt;
    return It->second;
  }

  void checkRoot(const std::string &Root) {
    Chain C = deepest(Root);
    uint64_t Bytes = C.Bytes + RedZoneBytes;
    Result.DeepestChain = std::max(Result.DeepestChain, Bytes);
    if (Bytes <= Limit)
      return;
    std::string Names, Details;
    for (const Link &L : C.Links) {
      std::string Name = L.Function == IndirectCall ? L.Function : demangle(L.Function);
      Names += (Names.empty() ? "" : " -> ") + Name;
      Details += "\n    " + Name + ": ";
      if (L.Frame)
        Details += utostr(*L.Frame + ReturnAddressBytes) + " bytes (frame " + utostr(*L.Frame) +
                   ", return address " + utostr(ReturnAddressBytes) + ")";
      else
        Details += utostr(ReturnAddressBytes) +
                   " bytes (return address; its frame is not known here, and not counted)";
      Details += L.CallPlace;
    }
    Details += "\n    red zone below the last: " + utostr(RedZoneBytes) + " bytes";
    Result.Problems.push_back("nosplit stack overflow: " + Names + " uses " + utostr(Bytes) +
                              " bytes, " + utostr(Limit) +
                              " available below the stack guard" + Details);
  }

  // The deepest chain from a call of F, a nosplit function.
  Chain deepest(const std::string &F) {
    if (auto It = Memo.find(F); It != Memo.end())
      return It->second;
    Visiting.push_back(F);
    std::optional<uint64_t> Frame = frameOf(F);
    if (!Frame)
      Result.Problems.push_back(
          "nosplit function " + demangle(F) +
          " has no frame size in .stack_sizes: compile it with -fstack-size-section (sp-cc "
          "does); a function with a dynamic alloca has no fixed frame and cannot be nosplit");
    Chain Best;
    std::string BestPlace;
    for (const NoSplitCall &Call : CallsOf[F]) {
      Chain Next;
      if (Call.Callee.empty()) {
        Next = {ReturnAddressBytes, {{IndirectCall, std::nullopt, ""}}};
      } else if (NoSplit.count(Call.Callee)) {
        auto Open = std::find(Visiting.begin(), Visiting.end(), Call.Callee);
        if (Open != Visiting.end()) {
          reportCycle(Open, Call);
          continue;
        }
        VisitingCalls.push_back(placeOf(Call));
        Next = deepest(Call.Callee);
        VisitingCalls.pop_back();
      } else {
        std::optional<uint64_t> CalleeFrame = frameOf(Call.Callee);
        Next = {ReturnAddressBytes + CalleeFrame.value_or(0), {{Call.Callee, CalleeFrame, ""}}};
      }
      if (Best.Links.empty() || Next.Bytes > Best.Bytes) {
        Best = std::move(Next);
        BestPlace = ", calls " +
                    (Call.Callee.empty() ? std::string("through a pointer") : demangle(Call.Callee)) +
                    placeOf(Call);
      }
    }
    Chain Total{ReturnAddressBytes + Frame.value_or(0), {{F, Frame, BestPlace}}};
    Total.Bytes += Best.Bytes;
    Total.Links.insert(Total.Links.end(), Best.Links.begin(), Best.Links.end());
    Visiting.pop_back();
    Memo[F] = Total;
    return Total;
  }

  // Visiting holds the chain from Open to the current function, which calls *Open by Call.
  void reportCycle(std::vector<std::string>::iterator Open, const NoSplitCall &Call) {
    std::string Names, Places;
    size_t First = Open - Visiting.begin();
    for (size_t I = First; I < Visiting.size(); ++I) {
      Names += demangle(Visiting[I]) + " -> ";
      std::string Place = I + 1 < Visiting.size() ? VisitingCalls[I] : placeOf(Call);
      std::string Next = demangle(I + 1 < Visiting.size() ? Visiting[I + 1] : Call.Callee);
      Places += "\n    " + demangle(Visiting[I]) + " calls " + Next + Place;
    }
    Names += demangle(Call.Callee);
    Result.Problems.push_back("nosplit recursion: " + Names +
                              ": a cycle of nosplit calls has no bound on the stack it uses" +
                              Places);
  }

  uint64_t Limit;
  NoSplitStackResult &Result;
  std::map<std::string, uint64_t> FrameSizes;
  std::set<std::string> NoSplit;
  std::map<std::string, std::vector<NoSplitCall>> CallsOf;
  std::map<std::string, Chain> Memo;
  std::vector<std::string> Visiting;      // the functions deepest() is in, outermost first
  std::vector<std::string> VisitingCalls; // VisitingCalls[I]: where Visiting[I] calls Visiting[I+1]
};

} // namespace

Expected<NoSplitStackResult> safepoint::checkNoSplitStack(const InspectedFile &File,
                                                          uint64_t Limit) {
  Expected<std::vector<BlindSpot>> Spots = readBlindSpotTable(File);
  if (!Spots)
    return Spots.takeError();
  Expected<std::vector<NoSplitCall>> Calls = readNoSplitCallTable(File);
  if (!Calls)
    return Calls.takeError();
  NoSplitStackResult Result;
  bool HasFrameSizes = false;
  std::map<std::string, uint64_t> FrameSizes;
  bool AnyNoSplit = !Calls->empty() || std::any_of(Spots->begin(), Spots->end(), [](const auto &B) {
                      return B.Reason == SP_BLIND_NOSPLIT;
                    });
  if (AnyNoSplit) {
    Expected<std::map<std::string, uint64_t>> Read = readFrameSizes(File, HasFrameSizes);
    if (!Read)
      return Read.takeError();
    FrameSizes = std::move(*Read);
  }
  Checker(Limit, Result).run(*Spots, *Calls, std::move(FrameSizes), HasFrameSizes);
  return Result;
}
