// Finding cases by what they are, and a unit's inbox: what Engine::find_cases
// and Engine::inbox take and answer (docs/embedding.md, "Finding cases").
// Served from the store's case lists (escalator/store/case_lists.hpp), never
// by reading every case.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "escalator/model/case.hpp"
#include "escalator/util/time.hpp"

namespace escalator {

// Every field set must match; an empty string or none matches anything.
struct CaseQuery {
  std::optional<LifecycleState> state;
  std::string step;  // a workflow step id
  std::optional<Level> level;
  std::string unit;  // the lead unit
  std::string street, community, grid, compound;
  std::string category;  // a category or a level above it: "物业" finds "物业/漏水"
  std::optional<Channel> channel;
  // Open cases of this colour as their last write left it: the timer driver
  // writes when a warning is due or a deadline passes, so it lags the clock
  // by at most the driver's look interval. (An inbox gives the colour now.)
  std::optional<WarningColour> colour;
  std::optional<bool> overdue;          // a deadline was missed
  std::optional<Timestamp> opened_from;    // opened at or after
  std::optional<Timestamp> opened_before;  // opened before
  std::string cursor;     // a page's next_cursor: the page after it
  std::size_t limit = 50;  // cases per page, 1 to kMaxPage
};
inline constexpr std::size_t kMaxPage = 500;

struct CasePage {
  std::vector<CaseState> cases;
  // Where the next page begins; empty when there is none. A page may hold
  // fewer than `limit` cases and still have a next one: the search reads
  // at most kMaxExamined entries of a list per page.
  std::string next_cursor;
};
inline constexpr std::size_t kMaxExamined = 5000;

// One case of a unit's inbox (待办), with what the unit must know first.
struct InboxEntry {
  CaseState state;
  std::optional<NearestDeadline> deadline;  // the nearest running deadline; none while suspended
  // Working time until the deadline on the engine's calendar; negative past it.
  std::chrono::seconds working_time_left{0};
  WarningColour colour = WarningColour::kGreen;  // at the engine's now
};

struct InboxPage {
  std::vector<InboxEntry> entries;
  std::string next_cursor;  // empty when there is none
};

}  // namespace escalator
