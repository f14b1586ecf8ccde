// The pending timers of every case, in the order they fire: each write
// replaces its case's timers (CaseWrite::timers), and the engine asks which
// are due. Thread safety: implementations must be safe for concurrent use.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "escalator/model/timer.hpp"
#include "escalator/util/result.hpp"
#include "escalator/util/time.hpp"

namespace escalator {

class TimerStore {
 public:
  virtual ~TimerStore() = default;
  // The pending timers of every case that fire at or before `until` and come
  // after `after` (from the first when none), earliest first (PendingTimer's
  // order), at most `limit`. A write replaces its case's timers. kDataLoss
  // naming the record when a stored timer cannot be read.
  [[nodiscard]] virtual Result<std::vector<PendingTimer>> timers_due(const std::optional<PendingTimer>& after,
                                                                     Timestamp until, std::size_t limit) const = 0;
  // Every pending timer that fires at or before `until`.
  [[nodiscard]] Result<std::vector<PendingTimer>> timers_until(Timestamp until) const {
    return timers_due(std::nullopt, until, static_cast<std::size_t>(-1));
  }
  // Called before firing the timers due at `now`: from then on a write's timer
  // that would fire before `now` may be stored to fire at `now` (it is due at
  // once either way), so that the store can keep finding due timers without
  // walking over the ones already fired (docs/storage.md). In memory: nothing.
  [[nodiscard]] virtual Result<void> begin_timer_round(Timestamp) { return {}; }
  // When the earliest pending timer fires, if any.
  virtual std::optional<Timestamp> next_timer() const = 0;
  // How many timers are pending, for metrics: reads the timers' keys.
  [[nodiscard]] virtual Result<std::uint64_t> pending_timer_count() const = 0;
};

}  // namespace escalator
