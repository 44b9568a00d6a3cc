//===- InspectedFile.cpp - places in an ELF object, executable or shared library -===//
#include "InspectedFile.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/JSON.h"

#include <algorithm>

using namespace llvm;
using namespace llvm::object;
using namespace safepoint;

static Error failure(const Twine &Message) {
  return createStringError(inconvertibleErrorCode(), Message);
}

Expected<InspectedFile> InspectedFile::open(const ObjectFile &Object) {
  if (!Object.isELF())
    return failure("not an ELF file (" + Object.getFileFormatName() +
                   "): sp-inspect reads x86-64 ELF objects, executables and shared libraries");
  if (Object.getArch() != Triple::x86_64)
    return failure(
        "is " + Triple::getArchTypeName(Object.getArch()) +
        " ELF: sp-inspect reads x86-64 ELF files only, as the Safepoint pass emits them");
  InspectedFile File(Object);
  for (const SectionRef &Section : Object.sections()) {
    File.Sections.emplace(Section.getIndex(), Section);
    if (!File.isRelocatable())
      continue;
    // In an object, a relocation section names the section it applies to.
    Expected<section_iterator> Target = Section.getRelocatedSection();
    if (!Target) {
      consumeError(Target.takeError());
      continue;
    }
    if (*Target == Object.section_end())
      continue;
    for (const RelocationRef &Relocation : Section.relocations())
      File.Relocations[(*Target)->getIndex()].emplace(Relocation.getOffset(), Relocation);
  }
  for (const SymbolRef &Symbol : Object.symbols()) {
    Expected<SymbolRef::Type> Type = Symbol.getType();
    Expected<StringRef> Name = Symbol.getName();
    Expected<section_iterator> Section = Symbol.getSection();
    Expected<uint64_t> Address = Symbol.getAddress();
    if (!Type || !Name || !Section || !Address) {
      consumeError(Type.takeError());
      consumeError(Name.takeError());
      consumeError(Section.takeError());
      consumeError(Address.takeError());
      continue;
    }
    if (*Section == Object.section_end() || Name->empty())
      continue;
    // In an object a symbol's value is its offset in the section; in an image, its address.
    uint64_t Offset = *Address - (*Section)->getAddress();
    if (*Type == SymbolRef::ST_Function)
      File.Functions[(*Section)->getIndex()].push_back(
          {Offset, ELFSymbolRef(Symbol).getSize(), Name->str()});
    if (!File.isRelocatable() && (*Type == SymbolRef::ST_Function || *Type == SymbolRef::ST_Data))
      File.SymbolsByAddress.emplace(*Address, Name->str());
  }
  for (auto &[Index, Symbols] : File.Functions)
    std::sort(Symbols.begin(), Symbols.end(),
              [](const FunctionSymbol &A, const FunctionSymbol &B) { return A.Start < B.Start; });
  return File;
}

std::vector<SectionRef> InspectedFile::sectionsNamed(StringRef Name) const {
  std::vector<SectionRef> Found;
  for (const auto &[Index, Section] : Sections) {
    Expected<StringRef> SectionName = Section.getName();
    if (!SectionName)
      consumeError(SectionName.takeError());
    else if (*SectionName == Name)
      Found.push_back(Section);
  }
  return Found;
}

std::string InspectedFile::sectionName(uint64_t SectionIndex) const {
  auto It = Sections.find(SectionIndex);
  if (It == Sections.end())
    return "section#" + utostr(SectionIndex);
  Expected<StringRef> Name = It->second.getName();
  if (!Name) {
    consumeError(Name.takeError());
    return "section#" + utostr(SectionIndex);
  }
  return Name->str();
}

Expected<Location> InspectedFile::locationOf(uint64_t Address) const {
  for (const auto &[Index, Section] : Sections)
    if (Section.getAddress() != 0 && Address >= Section.getAddress() &&
        Address < Section.getAddress() + Section.getSize())
      return Location{Index, Address - Section.getAddress(), Address};
  return failure("a table field points at 0x" + utohexstr(Address) + ", outside every section");
}

Expected<std::optional<Location>> InspectedFile::resolveField(const SectionRef &Table,
                                                              uint64_t FieldOffset) const {
  Expected<StringRef> Contents = Table.getContents();
  if (!Contents)
    return Contents.takeError();
  if (FieldOffset + 4 > Contents->size())
    return failure("table field at offset " + Twine(FieldOffset) + " is past the section's end");
  int32_t Stored = int32_t(support::endian::read32le(Contents->data() + FieldOffset));

  auto TableRelocations = Relocations.find(Table.getIndex());
  const RelocationRef *Relocation = nullptr;
  if (TableRelocations != Relocations.end()) {
    auto It = TableRelocations->second.find(FieldOffset);
    if (It != TableRelocations->second.end())
      Relocation = &It->second;
  }
  if (!Relocation) {
    if (Stored == 0)
      return std::nullopt;
    if (isRelocatable()) // a difference the assembler resolved: the target is in this section
      return Location{Table.getIndex(), FieldOffset + Stored, FieldOffset + Stored};
    return locationOf(Table.getAddress() + FieldOffset + int64_t(Stored));
  }

  // The field holds S + A - P, and the reader adds P back: it points at S + A, the symbol's place
  // plus the addend (x86-64 uses RELA: the addend is in the relocation, the field holds 0).
  SmallString<32> TypeName;
  Relocation->getTypeName(TypeName);
  uint64_t Type = Relocation->getType();
  if (Type != ELF::R_X86_64_PC32 && Type != ELF::R_X86_64_PLT32)
    return failure("unsupported relocation " + TypeName + " at " + sectionName(Table.getIndex()) +
                   "+0x" + utohexstr(FieldOffset) + ": table fields are 32-bit PC-relative");
  symbol_iterator Symbol = Relocation->getSymbol();
  if (Symbol == Object->symbol_end())
    return failure(TypeName + " without a symbol at " + sectionName(Table.getIndex()) + "+0x" +
                   utohexstr(FieldOffset));
  Expected<section_iterator> Section = Symbol->getSection();
  if (!Section)
    return Section.takeError();
  Expected<StringRef> SymbolName = Symbol->getName();
  if (*Section == Object->section_end())
    return failure("a table field at " + sectionName(Table.getIndex()) + "+0x" +
                   utohexstr(FieldOffset) + " refers to the undefined symbol " +
                   (SymbolName ? *SymbolName : StringRef("?")));
  if (!SymbolName)
    consumeError(SymbolName.takeError());
  Expected<uint64_t> Value = Symbol->getValue();
  if (!Value)
    return Value.takeError();
  Expected<int64_t> Addend = ELFRelocationRef(*Relocation).getAddend();
  if (!Addend)
    return Addend.takeError();
  uint64_t Offset = *Value + *Addend;
  return Location{(*Section)->getIndex(), Offset, (*Section)->getAddress() + Offset};
}

Expected<Location> InspectedFile::resolveAddress(const SectionRef &Section,
                                                 uint64_t FieldOffset) const {
  Expected<StringRef> Contents = Section.getContents();
  if (!Contents)
    return Contents.takeError();
  if (FieldOffset + 8 > Contents->size())
    return failure("address field at offset " + Twine(FieldOffset) + " is past the end of " +
                   sectionName(Section.getIndex()));
  if (!isRelocatable())
    return locationOf(support::endian::read64le(Contents->data() + FieldOffset));
  auto SectionRelocations = Relocations.find(Section.getIndex());
  if (SectionRelocations == Relocations.end() ||
      !SectionRelocations->second.count(FieldOffset))
    return failure("no relocation for the address at " + sectionName(Section.getIndex()) + "+0x" +
                   utohexstr(FieldOffset));
  const RelocationRef &Relocation = SectionRelocations->second.at(FieldOffset);
  if (Relocation.getType() != ELF::R_X86_64_64)
    return failure("unsupported relocation at " + sectionName(Section.getIndex()) + "+0x" +
                   utohexstr(FieldOffset) + ": an address field is R_X86_64_64");
  symbol_iterator Symbol = Relocation.getSymbol();
  if (Symbol == Object->symbol_end())
    return failure("relocation without a symbol at " + sectionName(Section.getIndex()) + "+0x" +
                   utohexstr(FieldOffset));
  Expected<section_iterator> Target = Symbol->getSection();
  if (!Target)
    return Target.takeError();
  if (*Target == Object->section_end())
    return failure("the address at " + sectionName(Section.getIndex()) + "+0x" +
                   utohexstr(FieldOffset) + " refers to an undefined symbol");
  Expected<uint64_t> Value = Symbol->getValue();
  if (!Value)
    return Value.takeError();
  Expected<int64_t> Addend = ELFRelocationRef(Relocation).getAddend();
  if (!Addend)
    return Addend.takeError();
  uint64_t Offset = *Value + *Addend;
  return Location{(*Target)->getIndex(), Offset, (*Target)->getAddress() + Offset};
}

Expected<StringRef> InspectedFile::sectionContents(uint64_t SectionIndex) const {
  auto It = Sections.find(SectionIndex);
  if (It == Sections.end())
    return failure("no section with index " + Twine(SectionIndex));
  return It->second.getContents();
}

Expected<std::string> InspectedFile::readString(const Location &Where) const {
  Expected<StringRef> Contents = sectionContents(Where.SectionIndex);
  if (!Contents)
    return Contents.takeError();
  if (Where.Offset < Contents->size()) {
    StringRef Rest = Contents->drop_front(Where.Offset);
    size_t End = Rest.find('\0');
    // Names and file names are text: control characters or broken UTF-8 mean the field points at
    // something else (in an image, past the end of the strings the table meant).
    StringRef Text = Rest.take_front(End);
    if (End != StringRef::npos && json::isUTF8(Text) &&
        llvm::none_of(Text, [](char C) { return uint8_t(C) < 0x80 && !isPrint(C); }))
      return Text.str();
  }
  return failure("a table field points at " + sectionName(Where.SectionIndex) + "+0x" +
                 utohexstr(Where.Offset) + ", which holds no string");
}

std::optional<FunctionOffset> InspectedFile::functionAt(const Location &Where) const {
  auto It = Functions.find(Where.SectionIndex);
  if (It == Functions.end())
    return std::nullopt;
  const std::vector<FunctionSymbol> &Symbols = It->second;
  auto After =
      std::upper_bound(Symbols.begin(), Symbols.end(), Where.Offset,
                       [](uint64_t Offset, const FunctionSymbol &F) { return Offset < F.Start; });
  // Several symbols may start at the same place (aliases); the first that covers Where wins.
  while (After != Symbols.begin()) {
    const FunctionSymbol &F = *--After;
    if (F.Size == 0 || Where.Offset < F.Start + F.Size)
      return FunctionOffset{F.Name, Where.Offset - F.Start, F.Size};
    if (After != Symbols.begin() && std::prev(After)->Start != F.Start)
      break;
  }
  return std::nullopt;
}

std::vector<std::string> InspectedFile::functionsStartingAt(const Location &Where) const {
  std::vector<std::string> Names;
  auto It = Functions.find(Where.SectionIndex);
  if (It == Functions.end())
    return Names;
  const std::vector<FunctionSymbol> &Symbols = It->second; // sorted by start
  auto F = std::lower_bound(
      Symbols.begin(), Symbols.end(), Where.Offset,
      [](const FunctionSymbol &Symbol, uint64_t Offset) { return Symbol.Start < Offset; });
  for (; F != Symbols.end() && F->Start == Where.Offset; ++F)
    Names.push_back(F->Name);
  return Names;
}

std::optional<std::string> InspectedFile::symbolAt(uint64_t Address) const {
  auto It = SymbolsByAddress.find(Address);
  if (It == SymbolsByAddress.end())
    return std::nullopt;
  return It->second;
}

void InspectedFile::addPltSymbols() {
  if (isRelocatable())
    return;
  for (const ELFPltEntry &Entry : cast<ELFObjectFileBase>(Object)->getPltEntries()) {
    if (!Entry.Symbol)
      continue;
    Expected<StringRef> Name = SymbolRef(*Entry.Symbol, Object).getName();
    if (!Name) {
      consumeError(Name.takeError());
      continue;
    }
    SymbolsByAddress.emplace(Entry.Address, (*Name + "@plt").str());
  }
}

std::vector<CodeRelocation> InspectedFile::relocationsIn(uint64_t SectionIndex, uint64_t Offset,
                                                         uint64_t Size) const {
  std::vector<CodeRelocation> Found;
  auto InSection = Relocations.find(SectionIndex);
  if (InSection == Relocations.end())
    return Found;
  for (auto It = InSection->second.lower_bound(Offset);
       It != InSection->second.end() && It->first < Offset + Size; ++It) {
    CodeRelocation R;
    SmallString<32> TypeName;
    It->second.getTypeName(TypeName);
    R.Type = TypeName.str().str();
    symbol_iterator Symbol = It->second.getSymbol();
    if (Symbol != Object->symbol_end()) {
      Expected<StringRef> Name = Symbol->getName();
      if (Name && !Name->empty()) {
        R.Target = Name->str();
      } else {
        consumeError(Name.takeError());
        Expected<section_iterator> Section = Symbol->getSection();
        if (Section && *Section != Object->section_end())
          R.Target = sectionName((*Section)->getIndex());
        else
          consumeError(Section.takeError());
      }
    }
    Expected<int64_t> Addend = ELFRelocationRef(It->second).getAddend();
    if (Addend && *Addend != 0)
      R.Target += (*Addend < 0 ? "-0x" : "+0x") + utohexstr(*Addend < 0 ? -*Addend : *Addend);
    else if (!Addend)
      consumeError(Addend.takeError());
    Found.push_back(std::move(R));
  }
  return Found;
}
