// Timers are derived from a case's state: each state runs some of the case's
// deadlines. A due deadline becomes the timeout command of its kind.
#pragma once

#include <string>
#include <tuple>
#include <vector>

#include "escalator/case.hpp"
#include "escalator/command.hpp"

namespace escalator {

struct RunningDeadline {
  Timestamp due;
  std::string case_id;
  DeadlineKind kind;
  std::uint64_t case_version;

  friend bool operator<(const RunningDeadline& a, const RunningDeadline& b) {
    return std::tie(a.due, a.case_id, a.kind) < std::tie(b.due, b.case_id, b.kind);
  }
};

// The deadlines that run in the case's current state: accept and reply while
// Dispatched, resolve and reply while Accepted, reply while New, rating while
// AwaitingRating; none while Suspended or after the reply.
std::vector<RunningDeadline> running_deadlines(const CaseState& state);

// The timeout command for a deadline. Its idempotency key names the kind, the
// deadline and the case version, so the same timer firing twice is one command.
Command timeout_command(const RunningDeadline& deadline);

}  // namespace escalator
