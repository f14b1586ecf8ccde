#include "deadline_carry.hpp"

#include <chrono>

namespace escalator {
namespace {

using std::chrono::days;
using std::chrono::floor;
using std::chrono::seconds;

std::chrono::sys_days china_day(Timestamp t) { return floor<days>(t + kChinaOffset); }
Timestamp china_midnight(std::chrono::sys_days day) { return Timestamp{day} - kChinaOffset; }

}  // namespace

bool is_working(Duration::Unit unit) {
  return unit == Duration::Unit::kWorkingHours || unit == Duration::Unit::kWorkingDays;
}

Duration::Unit deadline_unit(const Workflow& workflow, int step, DeadlineKind kind) {
  const bool at_step = step >= 0 && static_cast<std::size_t>(step) < workflow.steps.size();
  switch (kind) {
    case DeadlineKind::kAccept:
      if (at_step) return workflow.steps[static_cast<std::size_t>(step)].accept_within.unit;
      break;
    case DeadlineKind::kResolve:
      if (at_step) return workflow.steps[static_cast<std::size_t>(step)].resolve_within.unit;
      break;
    case DeadlineKind::kReply: return workflow.reply_within.unit;
    case DeadlineKind::kRating: return workflow.rating_within.unit;
    case DeadlineKind::kFollowUp:
      if (workflow.follow_up_within) return workflow.follow_up_within->unit;
      break;
  }
  // No step yet to say: the resident's reply sets the terms (12345 counts in working days).
  return workflow.reply_within.unit;
}

std::optional<Timestamp> carry_deadline(const std::optional<Timestamp>& deadline, Duration::Unit unit,
                                        const Calendar& before, Timestamp paused_at, const Calendar& after,
                                        Timestamp resumed_at) {
  if (!deadline || *deadline == Timestamp::max() || *deadline <= paused_at) return deadline;
  if (!is_working(unit)) return resumed_at + (*deadline - paused_at);
  const Timestamp end = after.after_working_time(resumed_at, before.working_time(paused_at, *deadline));
  if (end == Timestamp::max()) return end;
  const bool closes_a_day = *deadline == china_midnight(china_day(*deadline));
  // A walk that ends exactly at midnight belongs to the day before it.
  return closes_a_day ? china_midnight(china_day(end - seconds{1}) + days{1}) : end;
}

}  // namespace escalator
