// Timers are derived from a case's state and workflow: each state runs some of
// the case's deadlines, and the workflow may ask for a warning (预逾期) ahead
// of each. A timer that comes due becomes a command: a timeout, or a warning.
#pragma once

#include <string>
#include <vector>

#include "escalator/calendar.hpp"
#include "escalator/case.hpp"
#include "escalator/command.hpp"
#include "escalator/engine.hpp"
#include "escalator/event.hpp"
#include "escalator/timer.hpp"
#include "escalator/workflow.hpp"

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

// Engine::fire_due_timers: every timer of `store` due at `now`, submitted to
// `engine` `chunk` at a time.
std::vector<Result<Decision>> fire_due(Engine& engine, CaseStore& store, Timestamp now, std::size_t chunk);

// The command a timer sends. Its idempotency key names the kind, the deadline
// and the case version, so the same timer firing twice is one command.
Command timer_command(const PendingTimer& timer);

}  // namespace escalator
