//===- SafepointOptions.h - what the user chose: poll mode and elision -----===//
//
// The same options reach the pass two ways: -mllvm -sp-* flags when clang runs the pass at the
// optimizer's last extension point, and pass parameters when opt runs `safepoint<...>`.
//
//===----------------------------------------------------------------------===//
#ifndef SAFEPOINT_OPTIONS_H
#define SAFEPOINT_OPTIONS_H

#include "safepoint_abi.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>

namespace safepoint {

enum class PollMode {
  ThreadPage = SP_MODE_THREAD_PAGE,
  GlobalPage = SP_MODE_GLOBAL_PAGE,
  Flag = SP_MODE_FLAG,
  Call = SP_MODE_CALL,
};

struct SafepointOptions {
  PollMode Mode = PollMode::ThreadPage;
  // An innermost loop with at most this many iterations (ScalarEvolution's constant maximum trip
  // count) gets no back-edge poll: the loop ends within a bounded time anyway.
  unsigned MaxElidedTrips = 1000;
  // A polled loop of bounded work whose exit tests an induction variable against a limit is
  // strip-mined: it polls once per chunk of at most MaxElidedTrips iterations (LoopPollChunks.h).
  bool StripMining = true;
  // In thread-page mode, where a poll is one load and no branch, a loop that could be strip-mined but
  // whose body has more than this many instructions polls on every back-edge instead: the load costs
  // one instruction per iteration and no register, a strip-mined chunk's start and end cost more
  // code (docs/pass.md, "Strip-mine, count or poll every iteration"). By default no scalar loop is
  // strip-mined there. Vectorized loops always are: a load beside each vector iteration competes
  // with its own loads.
  unsigned StripMiningMaxBody = 0;
  // Any other polled loop of bounded work polls once every PollEvery back-edges, counted down in a
  // register; 1 polls on every back-edge.
  unsigned PollEvery = 1024;
  // In thread-page mode, a loop that would be counted down but whose body has more than this many
  // instructions polls on every back-edge instead. By default none is counted there: the counter's
  // decrement and branch are two instructions per iteration against the poll's one, and it takes a
  // register.
  unsigned CounterMaxBody = 0;
  // Off by default: with entry checks on call-graph cycles and loop polls in place, they bound only
  // the unwinding of a deep stack (docs/pass.md, "The bound"), and cost 10% of fib's instructions.
  bool EpiloguePolls = false;
  bool EntryChecks = true;
};

// The page modes: a poll is one load of a page the runtime may protect, with no branch and no
// register written.
inline bool isPagePollMode(PollMode Mode) {
  return Mode == PollMode::ThreadPage || Mode == PollMode::GlobalPage;
}

llvm::StringRef pollModeName(PollMode Mode);
std::optional<PollMode> parsePollMode(llvm::StringRef Name);

// The options as given by -mllvm -sp-poll=, -sp-max-elided-trips=, -sp-strip-mining=,
// -sp-strip-mining-max-body=, -sp-poll-every=, -sp-counter-max-body=, -sp-epilogue-polls=,
// -sp-entry-checks=.
SafepointOptions optionsFromCommandLine();

// Parses the parameters of `safepoint<...>`: `;`-separated `poll=MODE`, `max-elided-trips=N`,
// `strip-mining` / `no-strip-mining`, `strip-mining-max-body=N`, `poll-every=N`, `counter-max-body=N`,
// `epilogue-polls` / `no-epilogue-polls`, `entry-checks` / `no-entry-checks`. Anything not given keeps
// the command-line value.
llvm::Expected<SafepointOptions> parsePassParameters(llvm::StringRef Params);

// The parameters that parsePassParameters reads back as Options, every option spelled out.
std::string passParameters(const SafepointOptions &Options);

} // namespace safepoint

#endif // SAFEPOINT_OPTIONS_H
