// Bringing a store's cases up to a calendar imported after their deadlines
// were set (docs/calendar.md, "Importing a notice"). Engine::open calls both:
// first to know which calendar is in force, then, when an import has not yet
// reached every case, to recompute their running deadlines as events.
#pragma once

#include <cstdint>
#include <memory>

#include "escalator/calendar.hpp"
#include "escalator/engine.hpp"
#include "escalator/store.hpp"
#include "escalator/workflow.hpp"

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
                                                          const CaseStore& store);

// Recomputes the running deadlines of every case with a pending timer: each
// gets the time it had left at `now` on the previous calendar, counted again
// on the current one (carry_deadline), and a case whose deadlines move gets a
// recompute_deadlines command, keyed "calendar/v<version>" so that a rerun
// after a crash decides nothing twice. When every case is done, records the
// import as applied; otherwise the next open tries again.
CalendarRecount bring_deadlines_up_to(Engine& engine, const CalendarsInForce& calendars, CaseStore& store,
                                      const WorkflowCatalog& workflows, Timestamp now);

}  // namespace escalator
