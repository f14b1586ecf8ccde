// What a TimerDriver fires: the time of the next pending timer, and a round
// of every timer due now. Engine is one (engine.hpp). Implementations must be
// safe to call from the driver's thread while others use them.
#pragma once

#include <optional>
#include <vector>

#include "escalator/engine/decision.hpp"
#include "escalator/util/result.hpp"
#include "escalator/util/time.hpp"

namespace escalator {

class DueTimers {
 public:
  virtual ~DueTimers() = default;
  // When the earliest pending timer fires; none when no timer is pending.
  virtual std::optional<Timestamp> next_timer() const = 0;
  // Decides the command of every timer due now and returns the outcomes,
  // earliest first; a single error when the timers cannot be read.
  virtual std::vector<Result<Decision>> fire_due_timers() = 0;
};

}  // namespace escalator
