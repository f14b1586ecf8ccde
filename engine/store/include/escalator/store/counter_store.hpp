// The report counters (docs/stats.md): a tally per cell (a dimension's group
// in a day, month or year), added to by every write's CaseWrite::stats, and
// the stamp of what they were counted with. Thread safety: implementations
// must be safe for concurrent use.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "escalator/stats/stats.hpp"
#include "escalator/util/result.hpp"

namespace escalator {

class CounterStore {
 public:
  virtual ~CounterStore() = default;
  // The counters whose encoded CellKey is in [from, to), in key order, every
  // acknowledged write's counts included. kDataLoss naming the cell when one
  // cannot be read.
  [[nodiscard]] virtual Result<std::vector<std::pair<std::string, stats::Tally>>> stats_cells(
      std::string_view from, std::string_view to) const = 0;
  // What the counters were counted with; none before they ever were.
  [[nodiscard]] virtual Result<std::optional<stats::Stamp>> stats_stamp() const = 0;
  // Replaces every counter with `cells`, stamped, all at once. Writes must
  // not be handed over meanwhile: the engine recounts before it takes any.
  [[nodiscard]] virtual Result<void> replace_stats(const stats::Cells& cells, const stats::Stamp& stamp) = 0;
};

}  // namespace escalator
