// The report counters (docs/stats.md): a tally per cell (a dimension's group
// in a day, month or year), added to by every write's CaseWrite::stats, the
// index of the cases behind them (cases_behind.hpp), and the stamp of what
// they were counted with. Thread safety: implementations must be safe for
// concurrent use.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "escalator/stats/cases_behind.hpp"
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
  // Each case's counts under the query's indexes on its days, by case id,
  // every acknowledged write's included: read from the index, never from
  // the cases. kDataLoss naming an entry that cannot be read.
  [[nodiscard]] virtual Result<stats::CasesCounted> cases_counted(const stats::BehindQuery& query) const = 0;

  // Calls visit(entry, count) for every entry of the index, in key order,
  // every acknowledged write's included. kDataLoss naming an entry that
  // cannot be read.
  using BehindVisit = std::function<void(std::string_view entry, std::int64_t count)>;
  [[nodiscard]] virtual Result<void> each_case_counted(const BehindVisit& visit) const = 0;

  // Takes a case's marks, as a recount makes them.
  using CaseMarksSink = std::function<void(std::string_view case_id, const stats::Marks& marks)>;
  // Gives every stored case's marks to the sink, once per case.
  using EveryCaseCounted = std::function<Result<void>(const CaseMarksSink& sink)>;
  // Replaces every counter and the index of the cases behind them with what
  // `count` gives, stamped. Until it is done the store has no stamp, so a
  // recount cut short is made again. Writes must not be handed over
  // meanwhile: the engine recounts before it takes any.
  [[nodiscard]] virtual Result<void> replace_stats(const EveryCaseCounted& count, const stats::Stamp& stamp) = 0;
};

}  // namespace escalator
