// Timers are derived from a case's state and workflow: each state runs some of
// the case's deadlines, and the workflow may ask for a warning (预逾期) ahead
// of each. A timer that comes due becomes a command: a timeout, or a warning.
#pragma once

#include <string>
#include <tuple>
#include <vector>

#include "escalator/calendar.hpp"
#include "escalator/case.hpp"
#include "escalator/command.hpp"
#include "escalator/workflow.hpp"

namespace escalator {

struct RunningDeadline {
  Timestamp due;
  std::string case_id;
  DeadlineKind kind;
  std::uint64_t case_version;
};

// A timer that has not fired: the deadline's timeout at `at` == deadline.due,
// or its warning at `at` before it.
struct PendingTimer {
  Timestamp at;
  bool warning = false;
  RunningDeadline deadline;

  // Earliest first; at one instant, warnings before timeouts, then by case.
  friend bool operator<(const PendingTimer& a, const PendingTimer& b) {
    return std::tuple(a.at, !a.warning, a.deadline.case_id, a.deadline.kind) <
           std::tuple(b.at, !b.warning, b.deadline.case_id, b.deadline.kind);
  }
};

// The deadlines that run in the case's current state (see running_deadline),
// in the order accept, resolve, reply, rating.
std::vector<RunningDeadline> running_deadlines(const CaseState& state);

// Every timer the case has pending: one timeout per running deadline, and a
// warning for each the workflow warns of and the case was not yet warned of.
// `workflow` null: timeouts only.
std::vector<PendingTimer> pending_timers(const CaseState& state, const Workflow* workflow,
                                         const Calendar& calendar);

// The command a timer sends. Its idempotency key names the kind, the deadline
// and the case version, so the same timer firing twice is one command.
Command timer_command(const PendingTimer& timer);

}  // namespace escalator
