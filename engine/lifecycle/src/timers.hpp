// Timers are derived from a case's state and workflow: each state runs some of
// the case's deadlines, and the workflow may ask for a warning (预逾期) ahead
// of each. A timer that comes due becomes a command: a timeout, or a warning.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "escalator/calendar/calendar.hpp"
#include "escalator/model/case.hpp"
#include "escalator/model/command.hpp"
#include "escalator/model/event.hpp"
#include "escalator/model/timer.hpp"
#include "escalator/model/workflow.hpp"

namespace escalator {

// The deadlines that run in the case's current state (see running_deadline),
// in the order accept, resolve, reply, rating.
std::vector<RunningDeadline> running_deadlines(const CaseState& state);

// Every timer the case has pending: one timeout per running deadline, and a
// warning for each the workflow warns of and the case was not yet warned of.
// `workflow` null: timeouts only.
std::vector<PendingTimer> pending_timers(const CaseState& state, const Workflow* workflow,
                                         const Calendar& calendar);

// Whether a deadline the event sets (or carries on) was counted over a day
// the calendar only guesses (a year with no notice): Event::provisional.
bool counted_provisionally(const Calendar& calendar, const Event& event);

// The command a timer sends. Its idempotency key names the kind, the deadline
// and the case version, so the same timer firing twice is one command.
Command timer_command(const PendingTimer& timer);

// The commands of timers due at `now`, in their order: a warning whose
// deadline has come too says nothing the timeout does not, and has none.
std::vector<Command> due_timer_commands(const std::vector<PendingTimer>& due, Timestamp now);

// The key of the engine's carry of a case's running deadlines to calendar
// import `import_version`: "calendar/v<import_version>", the same whoever
// carries it (the recount, or the case's next command).
std::string calendar_carry_key(std::uint64_t import_version);

// The command that carries the case's running deadlines over from the
// `previous` calendar to the `current` one at `now`: each keeps the time it
// had left (carry_deadline). Keyed "calendar/v<import_version>", so that a
// rerun after a crash decides nothing twice. None when no deadline moves.
std::optional<Command> recompute_deadlines_command(const CaseState& state, const Workflow& workflow,
                                                   const Calendar& previous, const Calendar& current,
                                                   std::uint64_t import_version, Timestamp now);

}  // namespace escalator
