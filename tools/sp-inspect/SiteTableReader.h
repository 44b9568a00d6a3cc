//===- SiteTableReader.h - decode the sp_sites section of a linked image ---===//
#ifndef SAFEPOINT_SITETABLEREADER_H
#define SAFEPOINT_SITETABLEREADER_H

#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace safepoint {

struct Site {
  uint64_t Address; // of the poll, in the image's address space
  std::string Function;
  std::string File; // empty when unknown
  uint32_t Line = 0;
  uint16_t Column = 0;
  uint8_t Kind = 0;
  uint8_t Mode = 0;
  uint8_t Length = 0;
};

// Reads every record of an executable's or shared library's site table, in table order. An image
// without a table yields no sites. Relocatable objects are refused: their records are not yet
// resolved by the linker.
llvm::Expected<std::vector<Site>> readSiteTable(const llvm::object::ObjectFile &Image);

const char *siteKindName(uint8_t Kind);
const char *pollModeName(uint8_t Mode);

} // namespace safepoint

#endif // SAFEPOINT_SITETABLEREADER_H
