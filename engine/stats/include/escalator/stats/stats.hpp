// The figures supervisors report (docs/stats.md): what each event of a case
// counts, kept as counters beside the events, and the rates a city's formulas
// make of them.
//
// Counters are kept per group of a dimension (a unit, a category, a street …)
// and per period, a day, its month and its year, so a year's report reads one
// cell per group. Each cell is a Tally: sparse signed counts under stable indexes,
// the raw counts below and the buckets of four histograms. A write's tallies
// go into the same atomic batch as its events; recounting from the events
// gives the same cells, which `audit verify` checks.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "escalator/model/case.hpp"
#include "escalator/util/result.hpp"

namespace escalator::stats {

// What a report groups by. kAll has one group, "", the whole store.
enum class Dimension : std::uint8_t {
  kAll,
  kUnit,         // the unit a figure is attributed to (docs/stats.md, "Attribution")
  kLevel,        // the rung of the ladder: the workflow step's id (property, branch, grid, …)
  kCategory,     // the full category path, "物业/漏水"
  kChannel,
  kRequestType,
  kGrid,
  kStreet,
  // Not a grouping to ask for: the days a unit's meetings took cases up, per
  // unit and rung ("council/" + unit id); see kMeetingDayBase.
  kMeeting,
};
inline constexpr Dimension kEveryDimension[] = {Dimension::kAll,     Dimension::kUnit,        Dimension::kLevel,
                                                Dimension::kCategory, Dimension::kChannel, Dimension::kRequestType,
                                                Dimension::kGrid,    Dimension::kStreet,   Dimension::kMeeting};
std::string_view to_string(Dimension d);  // "all", "unit", "level", "category", "channel", "request-type", …
[[nodiscard]] Result<Dimension> parse_dimension(std::string_view text);

// The raw counts. Their numbers are stored: append, never renumber.
enum class Count : std::uint16_t {
  kReceived,          // cases opened; for a unit or level, cases that reached it for the first time
  kHanded,            // times a case was handed to a unit (交办): dispatch, escalation, send-back, reopen
  kSigned,            // sign-fors (签收)
  kSignedInTime,      // sign-fors by the accept deadline
  kReturned,          // returned as not the unit's own (退回)
  kEscalated,         // escalations away from the unit
  kSentBack,          // sent back for re-handling (发回重办), against the unit whose work it was
  kUrged,             // urgings (催办), against the holder
  kOverdue,           // accept, resolve or reply deadlines missed, against the holder
  kClosed,            // cases closed (办结), for the unit that gave the final reply
  kClosedResolved,    // … whose final outcome was resolved
  kClosedPartly,      // … partly resolved
  kClosedUnresolved,  // … unresolved
  kClosedOnTime,      // … missing no resolve or reply deadline
  kReopened,          // reopenings, against the unit whose reply was rejected
  kRatedSatisfied,    // ratings of a unit's reply
  kRatedBasically,
  kRatedUnsatisfied,
  kRatedNoAnswer,
  kWithdrawn,  // withdrawn by the resident (撤单)
  kMerged,     // merged into another case as its duplicate
  // Open overdue (逾期未办结), a level kept as its changes: a case joins a
  // group's open overdue when it misses an accept, resolve or reply deadline
  // or reaches the group already late, and leaves it when it is closed,
  // withdrawn, merged or returned, or moves to another unit, rung or place.
  kOpenOverdueJoined,
  kOpenOverdueLeft,
  kDiscussed,  // cases taken up at their holder's meeting (上会议事), against the holder
  kReplied,    // residents answered (答复): a reply, and each duplicate told it, for the unit that answered
};
inline constexpr int kCountCount = 25;
std::string_view to_string(Count c);  // "received", "signed_in_time", …
std::string_view label_zh(Count c);   // "受理", "按时签收", …
std::optional<Count> parse_count(std::string_view name);  // by its English name

// The histograms: times in seconds, each in its own fixed buckets.
enum class Histogram : std::uint8_t {
  kAcceptCalendar,  // from handing to sign-for, calendar time
  kAcceptWorking,   // the same in working time
  kResolveCalendar,  // from opening to close
  kResolveWorking,
};
inline constexpr int kHistogramCount = 4;
inline constexpr int kBucketCount = 100;
inline constexpr std::uint16_t kHistogramBase = 1000;
// Bucket 0 holds times under a minute; bucket b ≥ 1 holds times in
// [60·2^((b-1)/4), 60·2^(b/4)) seconds, the last one everything longer: an
// estimate from a bucket's geometric middle is within 9.1% of every time in it.
int bucket_of(std::chrono::seconds time);
std::chrono::seconds bucket_floor(int bucket);
std::chrono::seconds bucket_middle(int bucket);
inline constexpr double kBucketError = 0.091;
// Repeat calls (重复来电): for each day d, the calls that came d whole days
// (of 24 hours) after the same caller's previous case at the same place in
// the same category. A report sums the days within a city's window, so a new
// window applies to every period without a recount.
inline constexpr std::uint16_t kRepeatBase = 2000;
inline constexpr int kRepeatDays = 365;  // a call a year or more after the previous one is no repeat
inline std::uint16_t index_of_repeat(int days) { return static_cast<std::uint16_t>(kRepeatBase + days); }
// Never stored: a report's open overdue cases as its period began, the
// joined less the left of every earlier day.
inline constexpr std::uint16_t kOpenOverdueAtStart = 1900;
// Never stored: a report's meetings held in its period, the days on which a
// unit's meeting took up any case.
inline constexpr std::uint16_t kMeetingsHeld = 1901;
// A meeting's day, so that meetings are counted once a day however many cases
// they took up: under kMeetingDayBase in a day cell, plus the day of the month
// (1–31) in its month cell and the day of the year (1–366) in its year cell.
// A cell's meetings are its indexes in use.
inline constexpr std::uint16_t kMeetingDayBase = 2400;
inline constexpr int kMeetingDays = 367;
constexpr std::uint16_t index_of(Count c) { return static_cast<std::uint16_t>(c); }
inline std::uint16_t index_of(Histogram h, int bucket) {
  return static_cast<std::uint16_t>(kHistogramBase + static_cast<int>(h) * kBucketCount + bucket);
}

// Sparse signed counts by index: one cell's, or a sum of cells.
class Tally {
 public:
  void add(std::uint16_t index, std::int64_t delta);
  void add(const Tally& other);
  std::int64_t get(std::uint16_t index) const;
  std::int64_t get(Count c) const { return get(index_of(c)); }
  bool empty() const { return values_.empty(); }
  const std::vector<std::pair<std::uint16_t, std::int64_t>>& values() const { return values_; }
  // A compact binary form (varints); decode() refuses bytes that are not one.
  std::string encode() const;
  static std::optional<Tally> decode(std::string_view bytes);
  // The time below which `share` (0 < share ≤ 1) of the histogram's times lie,
  // estimated from buckets; none when it holds no time.
  std::optional<std::chrono::seconds> percentile(Histogram h, double share) const;
  friend bool operator==(const Tally&, const Tally&) = default;

 private:
  std::vector<std::pair<std::uint16_t, std::int64_t>> values_;  // by index, none zero
};

// A cell's period: a day (China Standard Time), or the month or the year
// holding it. A fact is counted in all three, so a report reads whole years,
// then whole months, then days: a year by unit is one cell per unit.
enum class Period : std::uint8_t { kDay, kMonth, kYear };
struct CellKey {
  Dimension dimension = Dimension::kAll;
  Period period = Period::kDay;
  std::uint32_t number = 0;  // days since 1970-01-01, months since 1970-01, or years since 1970
  std::string group;
  // Bytes that sort by dimension, period kind, number, then group.
  std::string encode() const;
  static std::optional<CellKey> decode(std::string_view bytes);
  // Makes an encoded key another period's cell of the same dimension and group.
  static void repoint(std::string& encoded, Period period, std::uint32_t number);
  // The group of an encoded key, without decoding the rest.
  static std::string_view group_in(std::string_view encoded);
  // "unit/day/2025-10-30/yangguang-garden.property", "category/month/2025-11/物业/漏水", "all/year/2025/"
  std::string name() const;
  friend bool operator==(const CellKey&, const CellKey&) = default;
};
// Every cell key lies in [kCellsFrom, kCellsTo): each starts with its dimension's number.
inline constexpr std::string_view kCellsFrom{"\x00", 1};
inline constexpr std::string_view kCellsTo{"\xff", 1};

std::uint32_t day_number(std::chrono::sys_days day);
std::uint32_t month_number(std::chrono::sys_days day);
std::uint32_t year_number(std::chrono::sys_days day);
// The day (China Standard Time) an instant falls on.
std::chrono::sys_days local_day(Timestamp at);

// Cell tallies by encoded CellKey: a whole store's, or a sum of writes'.
using Cells = std::map<std::string, Tally, std::less<>>;
void add_cells(Cells& into, const Cells& from);

// One write's counts as they are made: each adds one to an index of a cell.
// They are packed into one buffer, so counting a command allocates next to
// nothing (it makes dozens of counts); whoever stores them sums them by cell.
class Marks {
 public:
  void add(std::string_view key, std::uint16_t index);
  // Adds one to `index` of the cell `key` names and of the cells of its
  // month and its year (`key` being a day's: CellKey::repoint).
  void add_day_month_year(std::string_view day_key, std::uint32_t month, std::uint32_t year, std::uint16_t index);
  void add(const Marks& other) { bytes_ += other.bytes_; }
  // Adds a case's marks after a mark of its id: a group write's marks say
  // whose each count is, for the index of the cases behind the counts
  // (cases_behind.hpp).
  void add_of_case(std::string_view case_id, const Marks& of_case);
  bool empty() const { return bytes_.empty(); }
  void clear() { bytes_.clear(); }
  // Calls visit(key, index) for each mark of a cell, in the order made.
  template <class Visit>
  void each(Visit&& visit) const {
    each_of_case([&visit](std::string_view, std::string_view key, std::uint16_t index) { visit(key, index); });
  }
  // Calls visit(case id, key, index) for each mark of a cell, in the order
  // made, with the id add_of_case() put before it ("" for none).
  template <class Visit>
  void each_of_case(Visit&& visit) const {
    std::string_view case_id;
    for (std::size_t at = 0; at < bytes_.size();) {
      const std::size_t size = read(at, 4);
      const auto key = std::string_view(bytes_).substr(at + 4, size);
      if (key.starts_with(kCaseMark)) {
        case_id = key.substr(kCaseMark.size());
      } else {
        visit(case_id, key, static_cast<std::uint16_t>(read(at + 4 + size, 2)));
      }
      at += 6 + size;
    }
  }
  // The marks summed, one tally per cell.
  Cells summed() const;
  // The marks as bytes, each its key's size (4 bytes, little-endian), the
  // key and the index (2 bytes); decode() refuses bytes that are not that.
  std::string_view bytes() const { return bytes_; }
  static std::optional<Marks> decode(std::string_view bytes);
  friend bool operator==(const Marks&, const Marks&) = default;

 private:
  // The little-endian number of `bytes` bytes at `at`.
  std::uint32_t read(std::size_t at, int bytes) const {
    std::uint32_t value = 0;
    for (int i = bytes - 1; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(bytes_[at + i]);
    return value;
  }
  // The key of a mark that names the case the marks after it are of: no
  // cell key begins with it (each begins with its dimension's number).
  static constexpr std::string_view kCaseMark{"\xfe", 1};
  std::string bytes_;  // each mark: its key's size (4 bytes), the key, the index (2 bytes)
};
void add_marks(Cells& into, const Marks& marks);

// How a city turns counts into rates. The defaults are docs/stats.md's.
struct Formulas {
  // Each outcome's weight in the resolution rate (解决率).
  double resolved = 1.0;
  double partly_resolved = 0.5;
  double unresolved = 0.0;
  // Each rating's weight in the satisfaction rate (满意率).
  double satisfied = 1.0;
  double basically_satisfied = 1.0;
  double unsatisfied = 0.0;
  // Whether a follow-up that reached nobody is a valid follow-up (in the
  // satisfaction rate's denominator, weighing nothing).
  bool no_answer_is_valid = false;
  // Whether withdrawn and merged cases leave the denominators of the rates
  // taken over cases received (urged, share).
  bool withdrawn_excluded = true;
  bool merged_excluded = true;
  // A call less than this many days after the caller's previous one about
  // the same place and category is a repeat call (1 to kRepeatDays).
  int repeat_window_days = 30;
  friend bool operator==(const Formulas&, const Formulas&) = default;
};

// What the stored counters were counted with. A store whose stamp differs
// from the engine's is recounted when the engine opens it.
struct Stamp {
  int definition = 0;         // kDefinition of the release that counted
  std::string calendar;       // the calendar's version: its notices and imports
  std::string working_hours;  // its working hours, as format_working_hours() writes them
  friend bool operator==(const Stamp&, const Stamp&) = default;
};
// Raised whenever what an event counts changes.
// 2: year cells beside the day and month ones.
// 3: open overdue, as the cases joining and leaving it.
// 4: cases taken up at meetings, and the meetings' day cells.
// 5: an on-the-spot reply by the holder before signing counts as signed for.
// 6: a deadline missed by a timeout escalation counts as overdue against the
//    unit that missed it, and a close after any missed deadline is not on time.
// 7: replies are counted, a duplicate told its primary's answer as one, and a
//    duplicate's rating counts against the unit whose answer was relayed.
inline constexpr int kDefinition = 7;

}  // namespace escalator::stats
