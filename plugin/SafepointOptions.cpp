//===- SafepointOptions.cpp - -sp-* command-line options and pass parameters ===//
#include "SafepointOptions.h"

#include "llvm/Support/raw_ostream.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/CommandLine.h"

using namespace llvm;
using namespace safepoint;

static cl::opt<PollMode> ClPollMode(
    "sp-poll", cl::desc("How safepoint polls are emitted"), cl::init(PollMode::ThreadPage),
    cl::values(clEnumValN(PollMode::ThreadPage, "thread-page",
                          "read through a per-thread poll-page pointer (default)"),
               clEnumValN(PollMode::GlobalPage, "global-page",
                          "read the shared poll page, RIP-relative"),
               clEnumValN(PollMode::Flag, "flag",
                          "test a per-thread flag byte, cold call to the slow path"),
               clEnumValN(PollMode::Call, "call", "call the runtime's poll function")));

static cl::opt<unsigned> ClMaxElidedTrips(
    "sp-max-elided-trips",
    cl::desc("Innermost loops with at most this many iterations get no back-edge poll"),
    cl::init(1000));

static cl::opt<bool> ClStripMining(
    "sp-strip-mining",
    cl::desc("Counted loops of bounded work poll once per chunk of -sp-max-elided-trips iterations"),
    cl::init(true));

static cl::opt<unsigned> ClStripMiningMaxBody(
    "sp-strip-mining-max-body",
    cl::desc("In thread-page mode, counted loops with more instructions than this poll on every "
             "back-edge instead of being strip-mined (default 0: none is; vectorized loops always "
             "are)"),
    cl::init(SafepointOptions().StripMiningMaxBody));

static cl::opt<unsigned> ClPollEvery(
    "sp-poll-every",
    cl::desc("Other loops of bounded work poll once every N back-edges (1: every back-edge)"),
    cl::init(1024));

static cl::opt<unsigned> ClCounterMaxBody(
    "sp-counter-max-body",
    cl::desc("In thread-page mode, loops that would be counted down with more instructions than this "
             "poll on every back-edge instead (default 0: none is counted)"),
    cl::init(SafepointOptions().CounterMaxBody));

static cl::opt<bool> ClEpiloguePolls(
    "sp-epilogue-polls", cl::desc("Poll before every return of non-leaf functions (default off)"),
    cl::init(false));

static cl::opt<bool> ClEntryChecks(
    "sp-entry-checks",
    cl::desc("Check the stack pointer against the per-thread guard at function entry"),
    cl::init(true));

StringRef safepoint::pollModeName(PollMode Mode) {
  switch (Mode) {
  case PollMode::ThreadPage:
    return "thread-page";
  case PollMode::GlobalPage:
    return "global-page";
  case PollMode::Flag:
    return "flag";
  case PollMode::Call:
    return "call";
  }
  llvm_unreachable("unknown poll mode");
}

std::optional<PollMode> safepoint::parsePollMode(StringRef Name) {
  return StringSwitch<std::optional<PollMode>>(Name)
      .Case("thread-page", PollMode::ThreadPage)
      .Case("global-page", PollMode::GlobalPage)
      .Case("flag", PollMode::Flag)
      .Case("call", PollMode::Call)
      .Default(std::nullopt);
}

SafepointOptions safepoint::optionsFromCommandLine() {
  SafepointOptions Options;
  Options.Mode = ClPollMode;
  Options.MaxElidedTrips = ClMaxElidedTrips;
  Options.StripMining = ClStripMining;
  Options.StripMiningMaxBody = ClStripMiningMaxBody;
  Options.PollEvery = ClPollEvery;
  Options.CounterMaxBody = ClCounterMaxBody;
  Options.EpiloguePolls = ClEpiloguePolls;
  Options.EntryChecks = ClEntryChecks;
  return Options;
}

static Error parameterError(const Twine &Message) {
  return make_error<StringError>("safepoint pass parameters: " + Message, inconvertibleErrorCode());
}

Expected<SafepointOptions> safepoint::parsePassParameters(StringRef Params) {
  SafepointOptions Options = optionsFromCommandLine();
  while (!Params.empty()) {
    StringRef Param;
    std::tie(Param, Params) = Params.split(';');
    if (Param.empty())
      continue;
    auto [Key, Value] = Param.split('=');
    if (Key == "poll") {
      std::optional<PollMode> Mode = parsePollMode(Value);
      if (!Mode)
        return parameterError("unknown poll mode '" + Value +
                              "' (expected thread-page, global-page, flag or call)");
      Options.Mode = *Mode;
    } else if (Key == "max-elided-trips") {
      if (Value.getAsInteger(10, Options.MaxElidedTrips))
        return parameterError("max-elided-trips wants a non-negative integer, not '" + Value + "'");
    } else if (Key == "strip-mining-max-body") {
      if (Value.getAsInteger(10, Options.StripMiningMaxBody))
        return parameterError("strip-mining-max-body wants a non-negative integer, not '" + Value +
                              "'");
    } else if (Key == "poll-every") {
      if (Value.getAsInteger(10, Options.PollEvery) || Options.PollEvery == 0)
        return parameterError("poll-every wants a positive integer, not '" + Value + "'");
    } else if (Key == "counter-max-body") {
      if (Value.getAsInteger(10, Options.CounterMaxBody))
        return parameterError("counter-max-body wants a non-negative integer, not '" + Value + "'");
    } else if (Param == "strip-mining" || Param == "no-strip-mining") {
      Options.StripMining = Param == "strip-mining";
    } else if (Param == "epilogue-polls" || Param == "no-epilogue-polls") {
      Options.EpiloguePolls = Param == "epilogue-polls";
    } else if (Param == "entry-checks" || Param == "no-entry-checks") {
      Options.EntryChecks = Param == "entry-checks";
    } else {
      return parameterError("unknown parameter '" + Param +
                            "' (expected poll=MODE, max-elided-trips=N, [no-]strip-mining, "
                            "strip-mining-max-body=N, poll-every=N, counter-max-body=N, "
                            "[no-]epilogue-polls, [no-]entry-checks)");
    }
  }
  return Options;
}

std::string safepoint::passParameters(const SafepointOptions &Options) {
  std::string Text;
  raw_string_ostream OS(Text);
  OS << "poll=" << pollModeName(Options.Mode) << ";max-elided-trips=" << Options.MaxElidedTrips
     << ";" << (Options.StripMining ? "" : "no-")
     << "strip-mining;strip-mining-max-body=" << Options.StripMiningMaxBody
     << ";poll-every=" << Options.PollEvery << ";counter-max-body=" << Options.CounterMaxBody
     << ";" << (Options.EpiloguePolls ? "" : "no-") << "epilogue-polls;"
     << (Options.EntryChecks ? "" : "no-") << "entry-checks";
  return Text;
}
