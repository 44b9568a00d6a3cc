//===- TableReader.cpp - decode the site and blind-spot tables the pass writes -===//
#include "TableReader.h"

#include "safepoint_abi.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Endian.h"

#include <cstddef>

using namespace llvm;
using namespace llvm::object;
using namespace safepoint;

namespace {
// Calls Decode(Section, RecordOffset, RecordBytes) for each RecordSize-byte record of every section
// called Name.
template <typename DecodeFn>
Error forEachRecord(const InspectedFile &File, StringRef Name, size_t RecordSize, DecodeFn Decode) {
  for (const SectionRef &Section : File.sectionsNamed(Name)) {
    Expected<StringRef> Contents = Section.getContents();
    if (!Contents)
      return Contents.takeError();
    if (Contents->size() % RecordSize != 0)
      return createStringError(inconvertibleErrorCode(), "section " + Name + " is " +
                                                             Twine(Contents->size()) +
                                                             " bytes, not a whole number of " +
                                                             Twine(RecordSize) + "-byte records");
    for (size_t Offset = 0; Offset < Contents->size(); Offset += RecordSize)
      if (Error E = Decode(Section, Offset, Contents->data() + Offset))
        return E;
  }
  return Error::success();
}

// Reads the NUL-terminated string a relative field points at; "" when the field is 0 (unknown).
Expected<std::string> fieldString(const InspectedFile &File, const SectionRef &Section,
                                  uint64_t FieldOffset) {
  Expected<std::optional<Location>> Target = File.resolveField(Section, FieldOffset);
  if (!Target)
    return Target.takeError();
  if (!*Target)
    return std::string();
  return File.readString(**Target);
}
} // namespace

bool safepoint::hasSafepointTables(const InspectedFile &File) {
  return !File.sectionsNamed(SP_SITE_SECTION).empty() ||
         !File.sectionsNamed(SP_BLIND_SPOT_SECTION).empty();
}

Expected<std::vector<Site>> safepoint::readSiteTable(const InspectedFile &File) {
  std::vector<Site> Sites;
  Error E =
      forEachRecord(File, SP_SITE_SECTION, sizeof(sp_site_record),
                    [&](const SectionRef &Section, uint64_t Record, const char *Raw) -> Error {
                      Site S;
                      Expected<std::optional<Location>> Pc =
                          File.resolveField(Section, Record + offsetof(sp_site_record, pc));
                      if (!Pc)
                        return Pc.takeError();
                      if (!*Pc)
                        return createStringError(inconvertibleErrorCode(),
                                                 "site record at " SP_SITE_SECTION "+0x" +
                                                     utohexstr(Record) + " has no pc");
                      S.Where = **Pc;
                      Expected<std::string> Function =
                          fieldString(File, Section, Record + offsetof(sp_site_record, function));
                      if (!Function)
                        return Function.takeError();
                      S.Function = std::move(*Function);
                      Expected<std::string> SourceFile =
                          fieldString(File, Section, Record + offsetof(sp_site_record, file));
                      if (!SourceFile)
                        return SourceFile.takeError();
                      S.File = std::move(*SourceFile);
                      S.Line = support::endian::read32le(Raw + offsetof(sp_site_record, line));
                      S.Column = support::endian::read16le(Raw + offsetof(sp_site_record, column));
                      S.Kind = uint8_t(Raw[offsetof(sp_site_record, kind)]);
                      S.Mode = uint8_t(Raw[offsetof(sp_site_record, mode)]);
                      S.Length = uint8_t(Raw[offsetof(sp_site_record, length)]);
                      Sites.push_back(std::move(S));
                      return Error::success();
                    });
  if (E)
    return std::move(E);
  return Sites;
}

Expected<std::vector<BlindSpot>> safepoint::readBlindSpotTable(const InspectedFile &File) {
  std::vector<BlindSpot> Spots;
  Error E = forEachRecord(
      File, SP_BLIND_SPOT_SECTION, sizeof(sp_blind_spot_record),
      [&](const SectionRef &Section, uint64_t Record, const char *Raw) -> Error {
        BlindSpot B;
        Expected<std::string> Function =
            fieldString(File, Section, Record + offsetof(sp_blind_spot_record, function));
        if (!Function)
          return Function.takeError();
        B.Function = std::move(*Function);
        Expected<std::string> SourceFile =
            fieldString(File, Section, Record + offsetof(sp_blind_spot_record, file));
        if (!SourceFile)
          return SourceFile.takeError();
        B.File = std::move(*SourceFile);
        B.Line = support::endian::read32le(Raw + offsetof(sp_blind_spot_record, line));
        B.Column = support::endian::read16le(Raw + offsetof(sp_blind_spot_record, column));
        B.Reason = uint8_t(Raw[offsetof(sp_blind_spot_record, reason)]);
        B.Unbounded = Raw[offsetof(sp_blind_spot_record, unbounded)] != 0;
        B.Bound = support::endian::read32le(Raw + offsetof(sp_blind_spot_record, bound));
        Spots.push_back(std::move(B));
        return Error::success();
      });
  if (E)
    return std::move(E);
  return Spots;
}

Expected<std::vector<NoSplitCall>> safepoint::readNoSplitCallTable(const InspectedFile &File) {
  std::vector<NoSplitCall> Calls;
  Error E = forEachRecord(
      File, SP_NOSPLIT_CALL_SECTION, sizeof(sp_nosplit_call_record),
      [&](const SectionRef &Section, uint64_t Record, const char *Raw) -> Error {
        NoSplitCall C;
        for (auto [Field, Text] : {std::pair{offsetof(sp_nosplit_call_record, caller), &C.Caller},
                                   {offsetof(sp_nosplit_call_record, callee), &C.Callee},
                                   {offsetof(sp_nosplit_call_record, file), &C.File}}) {
          Expected<std::string> Read = fieldString(File, Section, Record + Field);
          if (!Read)
            return Read.takeError();
          *Text = std::move(*Read);
        }
        C.Line = support::endian::read32le(Raw + offsetof(sp_nosplit_call_record, line));
        Calls.push_back(std::move(C));
        return Error::success();
      });
  if (E)
    return std::move(E);
  return Calls;
}

const char *safepoint::siteKindName(uint8_t Kind) {
  switch (Kind) {
  case SP_SITE_LOOP:
    return "loop";
  case SP_SITE_EPILOGUE:
    return "epilogue";
  case SP_SITE_ENTRY:
    return "entry";
  case SP_SITE_SELECT:
    return "select";
  case SP_SITE_DEFER:
    return "defer";
  }
  return "unknown-kind";
}

const char *safepoint::pollModeName(uint8_t Mode) {
  switch (Mode) {
  case SP_MODE_THREAD_PAGE:
    return "thread-page";
  case SP_MODE_GLOBAL_PAGE:
    return "global-page";
  case SP_MODE_FLAG:
    return "flag";
  case SP_MODE_CALL:
    return "call";
  case SP_MODE_STACK_GUARD:
    return "stack-guard";
  }
  return "unknown-mode";
}

const char *safepoint::blindSpotReasonName(uint8_t Reason) {
  switch (Reason) {
  case SP_BLIND_BOUNDED_LOOP:
    return "bounded-loop";
  case SP_BLIND_POLLING_CALL:
    return "polling-call";
  case SP_BLIND_BOUNDED_LEAF:
    return "bounded-leaf";
  case SP_BLIND_NOT_INSTRUMENTED:
    return "not-instrumented";
  case SP_BLIND_NOSPLIT:
    return "nosplit";
  case SP_BLIND_NO_CALL_CYCLE:
    return "no-call-cycle";
  }
  return "unknown-reason";
}
