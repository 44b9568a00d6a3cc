// poll_sites.cpp - registers the site table of this test executable, as the pass's constructor
// would (the hand-written polls of polls_x86_64.S have records in section sp_sites).
#include "safepoint_abi.h"

extern "C" {
void __sp_register_sites(const void *start, const void *stop);
extern const struct sp_site_record __start_sp_sites[] __attribute__((weak, visibility("hidden")));
extern const struct sp_site_record __stop_sp_sites[] __attribute__((weak, visibility("hidden")));
}

namespace {
__attribute__((constructor)) void RegisterTestSites() {
  __sp_register_sites(__start_sp_sites, __stop_sp_sites);
}
}  // namespace
