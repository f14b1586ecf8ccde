// The index of the cases behind the counts (stats/cases_behind.hpp) as the
// memory store keeps it: for each day cell and count, the cases that counted
// there, once a count. Hashed rather than ordered, so that a write adds its
// dozen entries in time that does not grow with the store (an ordered map of
// every entry made an in-memory command a third slower); a query looks up
// each day of its period instead of reading a range. Not thread-safe: the
// memory store's lock guards it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "escalator/stats/cases_behind.hpp"

namespace escalator {

class MemoryBehind {
 public:
  // Adds the day cells' counts of `marks`, all of the case numbered `case_number`.
  void add(std::uint32_t case_number, const stats::Marks& marks) {
    marks.each([&](std::string_view cell, std::uint16_t index) {
      // An encoded CellKey: the dimension, 'd' for a day, the day (4 bytes), the group.
      if (cell.size() < 6 || cell[1] != 'd' || !stats::kept_behind(index)) return;
      if (static_cast<unsigned char>(cell[0]) == static_cast<unsigned char>(stats::Dimension::kMeeting)) return;
      key_.assign(cell);
      put_index(key_, index);
      auto at = cases_.find(key_);
      if (at == cases_.end()) at = cases_.emplace(key_, std::vector<std::uint32_t>{}).first;
      at->second.push_back(case_number);
      std::uint32_t day = 0;
      for (int i = 2; i < 6; ++i) day = (day << 8) | static_cast<unsigned char>(cell[i]);
      first_day_ = std::min(first_day_, day);
      last_day_ = std::max(last_day_, day);
    });
  }

  // Each case's counts under the query's indexes on its days; `case_ids`
  // names each case by its number.
  stats::CasesCounted counted(const stats::BehindQuery& query, const std::vector<std::string>& case_ids) const {
    stats::CasesCounted counted;
    const auto from = std::max(query.from_day, first_day_), to = std::min(query.to_day, last_day_);
    for (std::uint32_t index = query.first_index; index <= query.last_index; ++index) {
      for (std::uint32_t day = from; day <= to && from <= to; ++day) {
        auto key = stats::CellKey{query.dimension, stats::Period::kDay, day, query.group}.encode();
        put_index(key, static_cast<std::uint16_t>(index));
        const auto at = cases_.find(key);
        if (at == cases_.end()) continue;
        for (const auto number : at->second) counted[case_ids[number]].add(static_cast<std::uint16_t>(index), 1);
      }
    }
    return counted;
  }

  // Every entry, as the durable store keys it, in key order.
  stats::Behind entries(const std::vector<std::string>& case_ids) const {
    stats::Behind all;
    for (const auto& [key, numbers] : cases_) {
      const std::string_view cell = std::string_view(key).substr(0, key.size() - 2);
      const auto index = static_cast<std::uint16_t>(static_cast<unsigned char>(key[key.size() - 2]) << 8 |
                                                    static_cast<unsigned char>(key.back()));
      const auto decoded = stats::CellKey::decode(cell);
      for (const auto number : numbers) {
        all[stats::BehindKey{decoded->dimension, decoded->group, index, decoded->number, case_ids[number]}.encode()] += 1;
      }
    }
    return all;
  }

  void clear() {
    cases_.clear();
    first_day_ = std::numeric_limits<std::uint32_t>::max();
    last_day_ = 0;
  }

 private:
  static void put_index(std::string& key, std::uint16_t index) {
    key.push_back(static_cast<char>(index >> 8));
    key.push_back(static_cast<char>(index & 0xff));
  }
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  // A day cell's key and the count's index (2 bytes) -> the cases' numbers, once a count.
  std::unordered_map<std::string, std::vector<std::uint32_t>, Hash, std::equal_to<>> cases_;
  std::uint32_t first_day_ = std::numeric_limits<std::uint32_t>::max(), last_day_ = 0;
  std::string key_;  // the key being looked up, kept to reuse its buffer
};

}  // namespace escalator
