// What Engine::open did to bring running deadlines up to a calendar imported
// since they were set (docs/calendar.md, "Importing a notice"). A plain value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace escalator {

struct CalendarRecount {
  std::uint64_t version = 0;          // the import now in force
  std::string calendar;               // its Calendar::version()
  std::uint64_t cases_checked = 0;    // cases with a running deadline
  std::uint64_t cases_moved = 0;      // of those, the ones whose deadlines moved: a DeadlinesRecomputed each
  std::vector<std::string> problems{}; // cases not recomputed, and why; the next open tries again
};

}  // namespace escalator
