//===- TableReader.h - decode the site and blind-spot tables the pass writes ---===//
#ifndef SAFEPOINT_TABLEREADER_H
#define SAFEPOINT_TABLEREADER_H

#include "InspectedFile.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace safepoint {

// One sp_site_record, resolved.
struct Site {
  Location Where;       // of the poll
  std::string Function; // mangled, as recorded
  std::string File;     // empty when the record has none
  uint32_t Line = 0;
  uint16_t Column = 0;
  uint8_t Kind = 0;
  uint8_t Mode = 0;
  uint8_t Length = 0;
};

// One sp_blind_spot_record, resolved.
struct BlindSpot {
  std::string Function; // mangled, as recorded
  std::string File;     // empty when the record has none
  uint32_t Line = 0;
  uint16_t Column = 0;
  uint8_t Reason = 0;
  bool Unbounded = false;
  uint32_t Bound = 0;
};

// One sp_nosplit_call_record, resolved.
struct NoSplitCall {
  std::string Caller; // mangled, as recorded
  std::string Callee; // mangled; empty for an indirect call
  std::string File;   // of the call; empty when the record has none
  uint32_t Line = 0;
};

// Whether the file has either table: a file with neither was not built with the Safepoint pass.
bool hasSafepointTables(const InspectedFile &File);

// Every record of the file's tables (all sections of that name), in table order. A missing table
// yields no records.
llvm::Expected<std::vector<Site>> readSiteTable(const InspectedFile &File);
llvm::Expected<std::vector<BlindSpot>> readBlindSpotTable(const InspectedFile &File);
llvm::Expected<std::vector<NoSplitCall>> readNoSplitCallTable(const InspectedFile &File);

const char *siteKindName(uint8_t Kind);
const char *pollModeName(uint8_t Mode);
const char *blindSpotReasonName(uint8_t Reason);

} // namespace safepoint

#endif // SAFEPOINT_TABLEREADER_H
