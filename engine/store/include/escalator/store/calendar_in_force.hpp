// The calendar a store's calendar imports put in force (docs/calendar.md,
// "Importing a notice"): each import replaces years of the official
// calendar, and running deadlines are recomputed for each in turn, so a store
// knows two calendars: the one with every import, and the one with the
// imports its deadlines have been recomputed for. Pure functions of the store.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include "escalator/calendar/calendar.hpp"
#include "escalator/store/import_store.hpp"
#include "escalator/store/timer_store.hpp"
#include "escalator/util/result.hpp"

namespace escalator {

struct CalendarsInForce {
  std::shared_ptr<const Calendar> current;   // `base` with every import
  std::shared_ptr<const Calendar> previous;  // with the imports running deadlines were recomputed for
  std::uint64_t version = 0;                 // the newest import; 0: none
  std::uint64_t applied = 0;                 // the newest one recomputed for
  bool pending() const { return applied < version; }
};

// The calendars a store's imports make of `base`. kFailedPrecondition when
// the store holds imports and `base` is not an OfficialCalendar (they replace
// its years); kDataLoss naming the import that cannot be read.
[[nodiscard]] Result<CalendarsInForce> calendars_in_force(std::shared_ptr<const Calendar> base,
                                                          const ImportStore& store);

// The cases with a pending timer: those whose running deadlines a new
// calendar may move. The store's errors reading its timers.
[[nodiscard]] Result<std::set<std::string>> cases_with_timers(const TimerStore& store);

}  // namespace escalator
