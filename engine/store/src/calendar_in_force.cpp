#include "escalator/store/calendar_in_force.hpp"

#include <algorithm>
#include <string>

#include "escalator/calendar/official_calendar.hpp"

namespace escalator {

Result<CalendarsInForce> calendars_in_force(std::shared_ptr<const Calendar> base, const ImportStore& store) {
  auto imports = store.calendar_imports();
  if (!imports) return tl::unexpected(imports.error());
  auto applied = store.calendar_applied();
  if (!applied) return tl::unexpected(applied.error());
  CalendarsInForce in_force{base, base, imports->size(), std::min<std::uint64_t>(*applied, imports->size())};
  if (imports->empty()) return in_force;
  const auto* official = dynamic_cast<const OfficialCalendar*>(base.get());
  if (official == nullptr) {
    return fail(ErrorCode::kFailedPrecondition,
                "calendar: the store holds " + std::to_string(imports->size()) +
                    " calendar import(s), which replace years of the official calendar, but the engine was given "
                    "calendar '" + base->version() + "'");
  }
  auto current = calendar_with_imports(*official, *imports, in_force.version);
  if (!current) return fail(ErrorCode::kDataLoss, current.error().message);
  in_force.current = *current;
  if (in_force.applied > 0) {
    auto previous = calendar_with_imports(*official, *imports, in_force.applied);
    if (!previous) return fail(ErrorCode::kDataLoss, previous.error().message);
    in_force.previous = *previous;
  }
  return in_force;
}


Result<std::set<std::string>> cases_with_timers(const TimerStore& store) {
  constexpr std::size_t kPage = 4096;
  std::set<std::string> cases;
  for (std::optional<PendingTimer> after;;) {
    auto due = store.timers_due(after, Timestamp::max(), kPage);
    if (!due) return tl::unexpected(due.error());
    for (const auto& timer : *due) cases.insert(timer.deadline.case_id);
    if (due->size() < kPage) return cases;
    after = due->back();
  }
}

}  // namespace escalator
