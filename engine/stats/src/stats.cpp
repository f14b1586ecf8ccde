#include "escalator/stats/stats.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace escalator::stats {
namespace {

constexpr std::array<std::string_view, 9> kDimensionNames = {"all",     "unit",         "level", "category",
                                                             "channel", "request-type", "grid",  "street",
                                                             "meeting"};

struct CountName {
  std::string_view name;
  std::string_view zh;
};
constexpr std::array<CountName, kCountCount> kCountNames = {{
    {"received", "受理"},
    {"handed", "交办"},
    {"signed", "签收"},
    {"signed_in_time", "按时签收"},
    {"returned", "退回"},
    {"escalated", "上报"},
    {"sent_back", "发回重办"},
    {"urged", "催办"},
    {"overdue", "逾期"},
    {"closed", "办结"},
    {"closed_resolved", "办结·解决"},
    {"closed_partly", "办结·部分解决"},
    {"closed_unresolved", "办结·未解决"},
    {"closed_on_time", "按时办结"},
    {"reopened", "重启"},
    {"rated_satisfied", ""},  // the ratings' labels: label_zh(Count)
    {"rated_basically", ""},
    {"rated_unsatisfied", ""},
    {"rated_no_answer", ""},
    {"withdrawn", "撤单"},
    {"merged", "合并"},
    {"open_overdue_joined", "逾期未办结·增"},
    {"open_overdue_left", "逾期未办结·减"},
    {"discussed", "上会议事"},
    {"replied", "答复"},
}};

void put_varint(std::string& out, std::uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

std::optional<std::uint64_t> read_varint(std::string_view& bytes) {
  std::uint64_t value = 0;
  for (int shift = 0; shift < 64 && !bytes.empty(); shift += 7) {
    const auto byte = static_cast<unsigned char>(bytes.front());
    bytes.remove_prefix(1);
    value |= std::uint64_t{byte & 0x7fu} << shift;
    if ((byte & 0x80) == 0) return value;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(Dimension d) { return kDimensionNames[static_cast<std::size_t>(d)]; }

Result<Dimension> parse_dimension(std::string_view text) {
  for (std::size_t i = 0; i < static_cast<std::size_t>(Dimension::kMeeting); ++i) {
    if (kDimensionNames[i] == text) return static_cast<Dimension>(i);
  }
  return fail(ErrorCode::kInvalidArgument,
              "Expected a dimension (all, unit, level, category, channel, request-type, grid, street), but got '" +
                  std::string(text) + "'");
}

std::string_view to_string(Count c) { return kCountNames[static_cast<std::size_t>(c)].name; }
std::string_view label_zh(Count c) {
  switch (c) {
    case Count::kRatedSatisfied: return label_zh(Rating::kSatisfied);
    case Count::kRatedBasically: return label_zh(Rating::kBasicallySatisfied);
    case Count::kRatedUnsatisfied: return label_zh(Rating::kUnsatisfied);
    case Count::kRatedNoAnswer: return label_zh(Rating::kNoAnswer);
    default: return kCountNames[static_cast<std::size_t>(c)].zh;
  }
}

std::optional<Count> parse_count(std::string_view name) {
  for (std::size_t i = 0; i < kCountNames.size(); ++i) {
    if (kCountNames[i].name == name) return static_cast<Count>(i);
  }
  return std::nullopt;
}

int bucket_of(std::chrono::seconds time) {
  if (time.count() < 60) return 0;
  const int bucket = 1 + static_cast<int>(std::floor(4.0 * std::log2(static_cast<double>(time.count()) / 60.0)));
  // log2 of an exact power of two may round either way: settle on the bounds.
  int settled = std::clamp(bucket, 1, kBucketCount - 1);
  while (settled > 1 && time < bucket_floor(settled)) --settled;
  while (settled < kBucketCount - 1 && time >= bucket_floor(settled + 1)) ++settled;
  return settled;
}

std::chrono::seconds bucket_floor(int bucket) {
  if (bucket <= 0) return std::chrono::seconds{0};
  return std::chrono::seconds{static_cast<std::int64_t>(std::ceil(60.0 * std::exp2((bucket - 1) / 4.0)))};
}

std::chrono::seconds bucket_middle(int bucket) {
  if (bucket <= 0) return std::chrono::seconds{30};
  return std::chrono::seconds{static_cast<std::int64_t>(std::llround(60.0 * std::exp2((bucket - 0.5) / 4.0)))};
}

void Tally::add(std::uint16_t index, std::int64_t delta) {
  if (delta == 0) return;
  auto at = std::lower_bound(values_.begin(), values_.end(), index,
                             [](const auto& value, std::uint16_t i) { return value.first < i; });
  if (at != values_.end() && at->first == index) {
    at->second += delta;
    if (at->second == 0) values_.erase(at);
    return;
  }
  values_.insert(at, {index, delta});
}

void Tally::add(const Tally& other) {
  if (other.values_.empty()) return;
  if (values_.empty()) {
    values_ = other.values_;
    return;
  }
  // Both are sorted by index: one pass, as a report adds thousands of cells.
  std::vector<std::pair<std::uint16_t, std::int64_t>> sum;
  sum.reserve(values_.size() + other.values_.size());
  auto a = values_.cbegin();
  auto b = other.values_.cbegin();
  while (a != values_.cend() || b != other.values_.cend()) {
    if (b == other.values_.cend() || (a != values_.cend() && a->first < b->first)) {
      sum.push_back(*a++);
    } else if (a == values_.cend() || b->first < a->first) {
      sum.push_back(*b++);
    } else {
      if (const auto value = a->second + b->second; value != 0) sum.emplace_back(a->first, value);
      ++a, ++b;
    }
  }
  values_ = std::move(sum);
}

std::int64_t Tally::get(std::uint16_t index) const {
  auto at = std::lower_bound(values_.begin(), values_.end(), index,
                             [](const auto& value, std::uint16_t i) { return value.first < i; });
  return at != values_.end() && at->first == index ? at->second : 0;
}

// Each value as the gap from the previous index and the count, zigzagged.
std::string Tally::encode() const {
  std::string out;
  std::uint16_t previous = 0;
  for (const auto& [index, value] : values_) {
    put_varint(out, index - previous);
    put_varint(out, (static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63));
    previous = index;
  }
  return out;
}

std::optional<Tally> Tally::decode(std::string_view bytes) {
  Tally tally;
  std::uint64_t index = 0;
  while (!bytes.empty()) {
    auto gap = read_varint(bytes);
    if (!gap) return std::nullopt;
    auto zigzag = read_varint(bytes);
    if (!zigzag) return std::nullopt;
    index += *gap;
    if (index > 0xffff || (!tally.values_.empty() && *gap == 0)) return std::nullopt;
    const auto value = static_cast<std::int64_t>((*zigzag >> 1) ^ (~(*zigzag & 1) + 1));
    if (value == 0) return std::nullopt;
    tally.values_.emplace_back(static_cast<std::uint16_t>(index), value);
  }
  return tally;
}

std::optional<std::chrono::seconds> Tally::percentile(Histogram h, double share) const {
  // The histogram's buckets are one run of indexes, in order.
  const auto first = std::lower_bound(values_.begin(), values_.end(), index_of(h, 0),
                                      [](const auto& value, std::uint16_t i) { return value.first < i; });
  const auto end = std::lower_bound(first, values_.end(), index_of(h, kBucketCount),
                                    [](const auto& value, std::uint16_t i) { return value.first < i; });
  std::int64_t total = 0;
  for (auto at = first; at != end; ++at) total += std::max<std::int64_t>(0, at->second);
  if (total == 0) return std::nullopt;
  const auto rank = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(share * static_cast<double>(total))));
  std::int64_t seen = 0;
  for (auto at = first; at != end; ++at) {
    seen += std::max<std::int64_t>(0, at->second);
    if (seen >= rank) return bucket_middle(at->first - index_of(h, 0));
  }
  return bucket_middle(kBucketCount - 1);
}

std::string CellKey::encode() const {
  std::string out;
  out.reserve(6 + group.size());
  out.push_back(static_cast<char>(dimension));
  out.append(5, '\0');
  out += group;
  repoint(out, period, number);
  return out;
}

namespace {
void repoint_bytes(char* encoded, Period period, std::uint32_t number) {
  encoded[1] = period == Period::kDay ? 'd' : period == Period::kMonth ? 'm' : 'y';
  for (int i = 0; i < 4; ++i) encoded[2 + i] = static_cast<char>((number >> (24 - 8 * i)) & 0xff);
}
}  // namespace

void CellKey::repoint(std::string& encoded, Period period, std::uint32_t number) {
  repoint_bytes(encoded.data(), period, number);
}

std::optional<CellKey> CellKey::decode(std::string_view bytes) {
  if (bytes.size() < 6 || static_cast<unsigned char>(bytes[0]) >= std::size(kEveryDimension)) return std::nullopt;
  if (bytes[1] != 'd' && bytes[1] != 'm' && bytes[1] != 'y') return std::nullopt;
  CellKey key;
  key.dimension = static_cast<Dimension>(bytes[0]);
  key.period = bytes[1] == 'd' ? Period::kDay : bytes[1] == 'm' ? Period::kMonth : Period::kYear;
  for (int i = 2; i < 6; ++i) key.number = (key.number << 8) | static_cast<unsigned char>(bytes[i]);
  key.group = std::string(group_in(bytes));
  return key;
}

std::string_view CellKey::group_in(std::string_view encoded) {
  return encoded.size() < 6 ? std::string_view{} : encoded.substr(6);
}

std::string CellKey::name() const {
  char period_text[32];
  if (period == Period::kDay) {
    const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{number}}};
    std::snprintf(period_text, sizeof period_text, "day/%04d-%02u-%02u", int(date.year()), unsigned(date.month()),
                  unsigned(date.day()));
  } else if (period == Period::kMonth) {
    std::snprintf(period_text, sizeof period_text, "month/%04u-%02u", 1970 + number / 12, number % 12 + 1);
  } else {
    std::snprintf(period_text, sizeof period_text, "year/%04u", 1970 + number);
  }
  return std::string(to_string(dimension)) + "/" + period_text + "/" + group;
}

std::uint32_t day_number(std::chrono::sys_days day) {
  return static_cast<std::uint32_t>(day.time_since_epoch().count());
}

std::uint32_t month_number(std::chrono::sys_days day) {
  const std::chrono::year_month_day date{day};
  return static_cast<std::uint32_t>((int(date.year()) - 1970) * 12 + (unsigned(date.month()) - 1));
}

std::uint32_t year_number(std::chrono::sys_days day) {
  return static_cast<std::uint32_t>(int(std::chrono::year_month_day{day}.year()) - 1970);
}

std::chrono::sys_days local_day(Timestamp at) {
  return std::chrono::floor<std::chrono::days>(at + kChinaOffset);
}

void Marks::add(std::string_view key, std::uint16_t index) {
  // One resize and three copies: counting a command makes dozens of marks.
  const std::size_t at = bytes_.size();
  bytes_.resize(at + 6 + key.size());
  char* out = bytes_.data() + at;
  const auto size = static_cast<std::uint32_t>(key.size());
  for (int i = 0; i < 4; ++i) out[i] = static_cast<char>((size >> (8 * i)) & 0xff);
  std::memcpy(out + 4, key.data(), key.size());
  out[4 + key.size()] = static_cast<char>(index & 0xff);
  out[5 + key.size()] = static_cast<char>(index >> 8);
}

void Marks::add_day_month_year(std::string_view day_key, std::uint32_t month, std::uint32_t year,
                               std::uint16_t index) {
  add(day_key, index);
  for (const auto& [period, number] : {std::pair{Period::kMonth, month}, std::pair{Period::kYear, year}}) {
    add(day_key, index);
    repoint_bytes(bytes_.data() + bytes_.size() - 2 - day_key.size(), period, number);
  }
}

void Marks::add_of_case(std::string_view case_id, const Marks& of_case) {
  if (of_case.empty()) return;
  std::string key(kCaseMark);
  key += case_id;
  add(key, 0);
  add(of_case);
}

std::optional<Marks> Marks::decode(std::string_view bytes) {
  Marks marks;
  marks.bytes_ = bytes;
  for (std::size_t at = 0; at < bytes.size();) {
    if (bytes.size() - at < 4) return std::nullopt;
    const std::size_t size = marks.read(at, 4);
    if (bytes.size() - at - 4 < size || bytes.size() - at - 4 - size < 2) return std::nullopt;
    at += 6 + size;
  }
  return marks;
}

Cells Marks::summed() const {
  Cells cells;
  add_marks(cells, *this);
  return cells;
}

void add_marks(Cells& into, const Marks& marks) {
  marks.each([&into](std::string_view key, std::uint16_t index) {
    auto cell = into.find(key);
    if (cell == into.end()) cell = into.emplace(std::string(key), Tally{}).first;
    cell->second.add(index, 1);
  });
}

void add_cells(Cells& into, const Cells& from) {
  for (const auto& [key, tally] : from) {
    Tally& cell = into[key];
    cell.add(tally);
    if (cell.empty()) into.erase(key);
  }
}

}  // namespace escalator::stats
