//===- SiteTableReader.cpp - decode the sp_sites section of a linked image -===//
#include "SiteTableReader.h"

#include "safepoint_abi.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Endian.h"

#include <cstddef>

using namespace llvm;
using namespace llvm::object;
using namespace safepoint;

namespace {
// The loaded sections of an image, for reading what a record's relative fields point to.
class ImageMemory {
public:
  explicit ImageMemory(const ObjectFile &Image) {
    for (const SectionRef &Section : Image.sections()) {
      if (Section.isVirtual() || Section.getAddress() == 0)
        continue;
      Expected<StringRef> Contents = Section.getContents();
      if (Contents)
        Sections.push_back({Section.getAddress(), *Contents});
      else
        consumeError(Contents.takeError());
    }
  }

  Expected<std::string> readString(uint64_t Address) const {
    for (const auto &[Start, Bytes] : Sections)
      if (Address >= Start && Address < Start + Bytes.size()) {
        StringRef Rest = Bytes.drop_front(Address - Start);
        size_t End = Rest.find('\0');
        if (End == StringRef::npos)
          break;
        return Rest.take_front(End).str();
      }
    return createStringError(inconvertibleErrorCode(),
                             "site table points at 0x" + utohexstr(Address) +
                                 ", which holds no string");
  }

private:
  std::vector<std::pair<uint64_t, StringRef>> Sections;
};
} // namespace

Expected<std::vector<Site>> safepoint::readSiteTable(const ObjectFile &Image) {
  if (Image.isRelocatableObject())
    return createStringError(inconvertibleErrorCode(),
                             "relocatable object: link it first, the site table is resolved by the "
                             "linker");
  std::vector<Site> Sites;
  ImageMemory Memory(Image);
  for (const SectionRef &Section : Image.sections()) {
    Expected<StringRef> Name = Section.getName();
    if (!Name || *Name != SP_SITE_SECTION) {
      if (!Name)
        consumeError(Name.takeError());
      continue;
    }
    Expected<StringRef> Contents = Section.getContents();
    if (!Contents)
      return Contents.takeError();
    if (Contents->size() % sizeof(sp_site_record) != 0)
      return createStringError(inconvertibleErrorCode(),
                               "section " SP_SITE_SECTION " is " + Twine(Contents->size()) +
                                   " bytes, not a whole number of " +
                                   Twine(sizeof(sp_site_record)) + "-byte records");
    for (size_t Offset = 0; Offset < Contents->size(); Offset += sizeof(sp_site_record)) {
      const char *Raw = Contents->data() + Offset;
      uint64_t RecordAddress = Section.getAddress() + Offset;
      auto Relative = [&](size_t FieldOffset) -> uint64_t {
        int32_t Delta = support::endian::read32le(Raw + FieldOffset);
        return RecordAddress + FieldOffset + int64_t(Delta);
      };
      Site S;
      S.Address = Relative(offsetof(sp_site_record, pc));
      Expected<std::string> Function = Memory.readString(Relative(offsetof(sp_site_record, function)));
      if (!Function)
        return Function.takeError();
      S.Function = *Function;
      if (support::endian::read32le(Raw + offsetof(sp_site_record, file)) != 0) {
        Expected<std::string> File = Memory.readString(Relative(offsetof(sp_site_record, file)));
        if (!File)
          return File.takeError();
        S.File = *File;
      }
      S.Line = support::endian::read32le(Raw + offsetof(sp_site_record, line));
      S.Column = support::endian::read16le(Raw + offsetof(sp_site_record, column));
      S.Kind = uint8_t(Raw[offsetof(sp_site_record, kind)]);
      S.Mode = uint8_t(Raw[offsetof(sp_site_record, mode)]);
      S.Length = uint8_t(Raw[offsetof(sp_site_record, length)]);
      Sites.push_back(std::move(S));
    }
  }
  return Sites;
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
