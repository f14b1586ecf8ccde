#include "escalator/stats/cases_behind.hpp"

#include <algorithm>

namespace escalator::stats {
namespace {

void put_big_endian(std::string& out, std::uint64_t value, int bytes) {
  for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) out.push_back(static_cast<char>((value >> shift) & 0xff));
}
std::uint32_t read_big_endian(std::string_view bytes) {
  std::uint32_t value = 0;
  for (unsigned char c : bytes) value = (value << 8) | c;
  return value;
}

// The bytes every entry of `group` under `index` begins with.
std::string head_of(Dimension dimension, std::string_view group, std::uint16_t index) {
  std::string head;
  head.reserve(9 + group.size());
  head.push_back(static_cast<char>(dimension));
  put_big_endian(head, group.size(), 2);
  head += group;
  put_big_endian(head, index, 2);
  return head;
}

// A day cell's mark as an entry's key; none for marks the index keeps no entry of.
std::optional<std::string> entry_of(std::string_view case_id, std::string_view cell, std::uint16_t index) {
  // An encoded CellKey: the dimension, 'd' for a day, the day (4 bytes), the group.
  if (case_id.empty() || cell.size() < 6 || cell[1] != 'd' || !kept_behind(index)) return std::nullopt;
  const auto dimension = static_cast<unsigned char>(cell[0]);
  if (dimension >= std::size(kEveryDimension) || Dimension(dimension) == Dimension::kMeeting) return std::nullopt;
  const auto group = CellKey::group_in(cell);
  if (group.size() > 0xffff) return std::nullopt;
  std::string key = head_of(Dimension(dimension), group, index);
  key += cell.substr(2, 4);
  key += case_id;
  return key;
}

}  // namespace

std::string BehindKey::encode() const {
  std::string key = prefix(dimension, group, index, day);
  key += case_id;
  return key;
}

std::optional<BehindKey> BehindKey::decode(std::string_view bytes) {
  if (bytes.size() < 3 || static_cast<unsigned char>(bytes[0]) >= std::size(kEveryDimension)) return std::nullopt;
  const std::size_t group_size = read_big_endian(bytes.substr(1, 2));
  if (bytes.size() < 3 + group_size + 6) return std::nullopt;
  BehindKey key;
  key.dimension = Dimension(static_cast<unsigned char>(bytes[0]));
  key.group = std::string(bytes.substr(3, group_size));
  key.index = static_cast<std::uint16_t>(read_big_endian(bytes.substr(3 + group_size, 2)));
  key.day = read_big_endian(bytes.substr(5 + group_size, 4));
  key.case_id = std::string(bytes.substr(9 + group_size));
  if (key.case_id.empty()) return std::nullopt;
  return key;
}

std::string BehindKey::prefix(Dimension dimension, std::string_view group, std::uint16_t index, std::uint32_t day) {
  std::string key = head_of(dimension, group, index);
  put_big_endian(key, day, 4);
  return key;
}

bool kept_behind(std::uint16_t index) {
  return index < kCountCount || (index >= kRepeatBase && index < kRepeatBase + kRepeatDays);
}

void add_behind(Behind& into, const Marks& marks) {
  marks.each_of_case([&into](std::string_view case_id, std::string_view cell, std::uint16_t index) {
    if (auto key = entry_of(case_id, cell, index)) into[std::move(*key)] += 1;
  });
}

void add_behind(Behind& into, std::string_view case_id, const Marks& marks) {
  marks.each([&](std::string_view cell, std::uint16_t index) {
    if (auto key = entry_of(case_id, cell, index)) into[std::move(*key)] += 1;
  });
}

bool BehindQuery::holds(std::string_view key) const {
  const auto entry = BehindKey::decode(key);
  return entry && entry->dimension == dimension && entry->group == group && entry->index >= first_index &&
         entry->index <= last_index && entry->day >= from_day && entry->day <= to_day;
}

void add_counted(CasesCounted& into, const BehindQuery& query, const Marks& marks) {
  marks.each_of_case([&](std::string_view case_id, std::string_view cell, std::uint16_t index) {
    const auto key = entry_of(case_id, cell, index);
    if (key && query.holds(*key)) into[std::string(case_id)].add(index, 1);
  });
}

}  // namespace escalator::stats
