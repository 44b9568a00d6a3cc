//===- InspectedFile.h - places in an ELF object, executable or shared library --===//
//
// The safepoint tables hold addresses relative to their own fields. In a linked image the linker
// has resolved them; in a relocatable object they are zero and an ELF relocation says what each one
// points to. InspectedFile hides the difference: it resolves a table field to a Location (a section
// and an offset in it) either way, and names what is there (strings, functions, symbols).
//
//===----------------------------------------------------------------------===//
#ifndef SAFEPOINT_INSPECTEDFILE_H
#define SAFEPOINT_INSPECTEDFILE_H

#include "llvm/ADT/DenseMap.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace safepoint {

struct Location {
  uint64_t SectionIndex = 0; // ELF section index
  uint64_t Offset = 0;       // in that section
  // The section's address plus Offset: the virtual address in an image; in an object, where the
  // sections are not placed yet, the same as Offset.
  uint64_t Address = 0;
};

// Where a location falls in the symbol table: the enclosing function and the offset into it.
struct FunctionOffset {
  std::string Name; // as in the symbol table (mangled)
  uint64_t Offset = 0;
  uint64_t Size = 0; // of the function; 0 when the symbol table does not say
};

// A relocation applied to a code section of an object, for annotating the disassembly.
struct CodeRelocation {
  std::string Type;   // e.g. R_X86_64_GOTTPOFF
  std::string Target; // symbol name, or section name for a section symbol, with the addend
};

class InspectedFile {
public:
  // Checks that Object is an x86-64 ELF file and indexes its sections, symbols and relocations.
  static llvm::Expected<InspectedFile> open(const llvm::object::ObjectFile &Object);

  const llvm::object::ObjectFile &object() const { return *Object; }
  bool isRelocatable() const { return Object->isRelocatableObject(); }

  // The sections called Name (several in an object with COMDAT groups), in file order.
  std::vector<llvm::object::SectionRef> sectionsNamed(llvm::StringRef Name) const;

  // Resolves the 32-bit field at FieldOffset of Table, which holds its target minus its own
  // address. std::nullopt when the field is 0 and no relocation applies: "unknown" in the table's
  // format.
  llvm::Expected<std::optional<Location>> resolveField(const llvm::object::SectionRef &Table,
                                                       uint64_t FieldOffset) const;

  // Resolves the 64-bit address field at FieldOffset of Section (an image holds the address, an
  // object an R_X86_64_64 relocation), as in .stack_sizes.
  llvm::Expected<Location> resolveAddress(const llvm::object::SectionRef &Section,
                                          uint64_t FieldOffset) const;

  llvm::Expected<std::string> readString(const Location &Where) const;
  llvm::Expected<llvm::StringRef> sectionContents(uint64_t SectionIndex) const;
  std::string sectionName(uint64_t SectionIndex) const;

  // The function symbol whose range holds Where, if the symbol table has one.
  std::optional<FunctionOffset> functionAt(const Location &Where) const;
  // The names of every function symbol that starts exactly at Where (a function and its aliases).
  std::vector<std::string> functionsStartingAt(const Location &Where) const;
  // A symbol defined exactly at Address (images only; objects have relocations instead).
  std::optional<std::string> symbolAt(uint64_t Address) const;
  // Names the PLT entries of an image NAME@plt, for symbolAt; needs the x86 target registered.
  void addPltSymbols();
  // The relocations that apply to the bytes [Offset, Offset + Size) of a section.
  std::vector<CodeRelocation> relocationsIn(uint64_t SectionIndex, uint64_t Offset,
                                            uint64_t Size) const;

private:
  struct FunctionSymbol {
    uint64_t Start; // offset in its section
    uint64_t Size;
    std::string Name;
  };

  explicit InspectedFile(const llvm::object::ObjectFile &Object) : Object(&Object) {}
  llvm::Expected<Location> locationOf(uint64_t Address) const;

  const llvm::object::ObjectFile *Object;
  std::map<uint64_t, llvm::object::SectionRef> Sections; // by ELF section index
  // Section index -> relocation offset in that section -> relocation.
  std::map<uint64_t, std::map<uint64_t, llvm::object::RelocationRef>> Relocations;
  std::map<uint64_t, std::vector<FunctionSymbol>> Functions; // by section index, sorted by start
  std::map<uint64_t, std::string> SymbolsByAddress;          // images only
};

} // namespace safepoint

#endif // SAFEPOINT_INSPECTEDFILE_H
