// The pieces of `escalator demo` (demo.hpp): the sample cases and what befalls
// each (demo_cases.cpp), the people who act on them (demo_agent.cpp) and the
// printed timelines and summary (demo_report.cpp). Internal to the tools.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "escalator/calendar/calendar.hpp"
#include "escalator/model/case.hpp"
#include "escalator/model/command.hpp"
#include "escalator/engine/engine.hpp"

namespace escalator::tools::demo_parts {

// What befalls a case: one of the paths residents' cases take in practice.
enum class Fate {
  kOnSpot,          // answered at the service station on the spot (现场解决)
  kProperty,        // the property company signs for it and replies
  kMissedAccept,    // the property company lets the accept deadline pass: up to the party branch
  kMissedTwice,     // ... and the branch too: up to the grid
  kManualEscalate,  // the property company cannot solve it and reports it to the branch
  kReturned,        // first sent to the wrong unit, returned, dispatched again
  kSuspended,       // paused while the resident is away, then resumed
  kExtension,       // the handler asks for more time and gets it
  kUrged,           // not signed for the first day; a supervisor urges it (督办)
  kUnsatisfied,     // the resident is unsatisfied and the case reopens
  kNoAnswer,        // the follow-up call reaches nobody before the rating deadline
  kWithdrawn,       // the resident withdraws it
  kMerged,          // a duplicate of an earlier case
  kDragging,        // every holder sits on it: resolve timeouts climb, the reply is overdue
};
inline constexpr int kFateCount = 14;

struct CasePlan {
  int index = 0;
  Timestamp open_at{};
  std::string external_id;  // the Open idempotency key: "GD-20251008-0001"
  Fate fate = Fate::kProperty;
  cmd::Open open;
  int merge_into = -1;     // index of the case this one duplicates
  std::string wrong_unit;  // where a kReturned case is sent first
  Outcome outcome = Outcome::kResolved;
  std::string answer;
  Rating rating = Rating::kSatisfied;  // the resident's last word
};

// What the demo learnt of a case while running it.
struct CaseRun {
  std::string id;          // empty until opened
  std::uint64_t token = 0;  // the current scheduled action; older ones are stale
  bool suspended_once = false;
  std::mt19937 rng;  // this case's own, so its delays do not depend on others
};

// `count` cases opened at working hours from 2025-11-03 to 2025-11-28, in the
// order opened; every fate appears at least once when count allows.
std::vector<CasePlan> sample_cases(std::uint32_t seed, int count, const Calendar& calendar);

// One command someone will submit, and when.
struct Action {
  Timestamp at{};
  std::string actor;
  CommandPayload payload;
};

// What the people around the case do next, given where it is now; nothing when
// they wait (for a timer, or because the case is finished).
std::optional<Action> next_action(const CasePlan& plan, CaseRun& run, const CaseState& state,
                                  const std::vector<CaseRun>& all, Timestamp now,
                                  const Calendar& calendar);

// The first moment at or after `t` within working hours (09-12, 13-17 CST).
Timestamp working_time(Timestamp t, const Calendar& calendar);

struct Refusal {
  std::string case_id;
  std::string command;
  Timestamp at{};
  std::string message;
};

void print_timeline(const Engine& engine, const CasePlan& plan, const std::string& case_id,
                    std::ostream& out);
void print_summary(const Engine& engine, const std::vector<CasePlan>& plans,
                   const std::vector<CaseRun>& runs, const std::vector<Refusal>& refusals,
                   std::ostream& out);

}  // namespace escalator::tools::demo_parts
