// The cases behind the counts (docs/stats.md, "The cases behind a count"):
// beside each day cell's tally, the store keeps an entry per case that
// counted in it, under the cell's dimension, group, count and day, so that
// the cases behind any count of a group over any days are one range of
// entries per count, read without reading a case.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "escalator/stats/stats.hpp"

namespace escalator::stats {

// An entry's key. Bytes: the dimension (1), the group's size (2, big-endian),
// the group, the index (2), the day (4), then the case id; so one group's
// entries under one index lie together, by day and then by case.
struct BehindKey {
  Dimension dimension = Dimension::kAll;
  std::string group;
  std::uint16_t index = 0;
  std::uint32_t day = 0;  // days since 1970-01-01 (China Standard Time)
  std::string case_id;
  std::string encode() const;
  static std::optional<BehindKey> decode(std::string_view bytes);
  // Where the entries of `group` under `index` on `day` begin, the later
  // days' following.
  static std::string prefix(Dimension dimension, std::string_view group, std::uint16_t index, std::uint32_t day);
  friend bool operator==(const BehindKey&, const BehindKey&) = default;
};

// Whether the index keeps the cases behind counts under `index`: the raw
// counts and the repeat calls' days, not the histograms' buckets.
bool kept_behind(std::uint16_t index);

// Entries by encoded BehindKey: how many each case counted there.
using Behind = std::map<std::string, std::int64_t, std::less<>>;
// Adds the entries of the day-cell marks kept behind, each of the case
// Marks::add_of_case put before it; marks of no case add none.
void add_behind(Behind& into, const Marks& marks);
// The same for marks all of one case, without their case's mark.
void add_behind(Behind& into, std::string_view case_id, const Marks& marks);

// The entries to read: `group` of `dimension`, the indexes first to last and
// the days from and to, all included.
struct BehindQuery {
  Dimension dimension = Dimension::kAll;
  std::string group;
  std::uint16_t first_index = 0, last_index = 0;
  std::uint32_t from_day = 0, to_day = 0;
  // Whether the query reads the entry `key` holds.
  bool holds(std::string_view key) const;
};
// Each case's counts under the query's indexes on its days, by case id.
using CasesCounted = std::map<std::string, Tally, std::less<>>;
// Adds the entries of `marks` (as add_behind() reads them) that `query` holds.
void add_counted(CasesCounted& into, const BehindQuery& query, const Marks& marks);

}  // namespace escalator::stats
