// Timers that act on their own: a thread that fires the engine's timers as they
// fall due, for a service or an embedder that does not call fire_due_timers()
// itself. Tests, `simulate` and the demo drive timers by hand instead.
//
// Ownership: the driver borrows what it fires (the engine), which must outlive it; destroying
// the driver stops its thread after the round it is in.
// Thread safety: the driver's members may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "escalator/engine/decision.hpp"
#include "escalator/engine/due_timers.hpp"
#include "escalator/util/logger.hpp"
#include "escalator/util/result.hpp"
#include "escalator/util/time.hpp"

namespace escalator {

struct TimerDriverOptions {
  std::shared_ptr<const Clock> clock;  // required: the engine's clock
  // The longest the driver sleeps before it looks again: a timer that a command
  // sets to fall due sooner than the one the driver was waiting for fires at
  // most this late. The driver sleeps less when the next timer is nearer.
  std::chrono::milliseconds look_every{1000};
  std::shared_ptr<Logger> logger;  // null: log nothing
  // Called on the driver's thread after each round with what it decided.
  std::function<void(const std::vector<Result<Decision>>&)> after_round;
};

class TimerDriver {
 public:
  // Starts the thread. kInvalidArgument when there is no clock or look_every
  // is not positive.
  [[nodiscard]] static Result<std::unique_ptr<TimerDriver>> start(DueTimers& timers, TimerDriverOptions options);
  ~TimerDriver();
  TimerDriver(const TimerDriver&) = delete;
  TimerDriver& operator=(const TimerDriver&) = delete;

  // Look now rather than at the next wake-up (after the clock was set, say).
  void wake();
  // Rounds run, and timers' commands decided, since the driver started.
  std::uint64_t rounds() const;
  std::uint64_t fired() const;

 private:
  struct Impl;
  explicit TimerDriver(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace escalator
