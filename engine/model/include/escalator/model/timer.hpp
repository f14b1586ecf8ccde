// A timer a case has pending: a running deadline's timeout, or the warning
// (预逾期) its workflow asks for ahead of it. Stores keep them so that the
// engine finds what is due without reading every case.
#pragma once

#include <cstdint>
#include <string>
#include <tuple>

#include "escalator/model/case.hpp"
#include "escalator/util/time.hpp"

namespace escalator {

struct RunningDeadline {
  Timestamp due;
  std::string case_id;
  DeadlineKind kind;
  std::uint64_t case_version;  // the case's version when the timer was set

  friend bool operator==(const RunningDeadline&, const RunningDeadline&) = default;
};

// Fires at `at`: == deadline.due for a timeout, before it for a warning.
struct PendingTimer {
  Timestamp at;
  bool warning = false;
  RunningDeadline deadline;

  friend bool operator==(const PendingTimer&, const PendingTimer&) = default;
  // Earliest first; at one instant, warnings before timeouts, then by case.
  friend bool operator<(const PendingTimer& a, const PendingTimer& b) {
    return std::tuple(a.at, !a.warning, a.deadline.case_id, a.deadline.kind) <
           std::tuple(b.at, !b.warning, b.deadline.case_id, b.deadline.kind);
  }
};

}  // namespace escalator
