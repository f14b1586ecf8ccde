#include "escalator/store/stats_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "escalator/stats/cases_behind.hpp"
#include "stats_count.hpp"

namespace escalator::stats {
namespace {

using std::chrono::sys_days;

sys_days last_of_month(sys_days day) {
  const std::chrono::year_month_day date{day};
  return sys_days{date.year() / date.month() / std::chrono::last};
}

// The key ranges that cover the period: whole years, whole months where a
// year is only partly in it, and days where a month is.
std::vector<std::pair<std::string, std::string>> ranges_of(const Query& q) {
  std::vector<std::pair<std::string, std::string>> ranges;
  auto add = [&](Period period, std::uint32_t first, std::uint32_t last) {
    if (!ranges.empty()) {
      auto key = CellKey::decode(ranges.back().second);
      if (key && key->period == period && key->number == first) {
        ranges.back().second = CellKey{q.by, period, last + 1, ""}.encode();
        return;
      }
    }
    ranges.emplace_back(CellKey{q.by, period, first, ""}.encode(), CellKey{q.by, period, last + 1, ""}.encode());
  };
  for (sys_days day = q.from; day <= q.to;) {
    const std::chrono::year_month_day date{day};
    const sys_days month_end = last_of_month(day);
    const sys_days year_end{date.year() / std::chrono::December / 31};
    if (date.month() == std::chrono::January && date.day() == std::chrono::day{1} && year_end <= q.to) {
      add(Period::kYear, year_number(day), year_number(day));
      day = year_end + std::chrono::days{1};
    } else if (date.day() == std::chrono::day{1} && month_end <= q.to) {
      add(Period::kMonth, month_number(day), month_number(day));
      day = month_end + std::chrono::days{1};
    } else {
      add(Period::kDay, day_number(day), day_number(day));
      day += std::chrono::days{1};
    }
  }
  return ranges;
}

double ratio(double numerator, double denominator, bool& defined) {
  defined = denominator > 0;
  return defined ? numerator / denominator : 0.0;
}

std::int64_t valid_received(const Tally& t, const Formulas& f) {
  return t.get(Count::kReceived) - (f.withdrawn_excluded ? t.get(Count::kWithdrawn) : 0) -
         (f.merged_excluded ? t.get(Count::kMerged) : 0);
}

// The rates and times, in the order of figures(); a figure's code is its place among its kind.
enum class Rate {
  kSignedInTime, kOnTimeClose, kResolution, kSatisfaction, kSendBack, kUrge, kReopen, kShare, kRepeatCall
};

// The derived counts, by code.
constexpr int kRepeatCalls = 0, kOpenOverdue = 1, kMeetings = 2;

// The calls within the formulas' window of the caller's previous one.
std::int64_t repeat_calls(const Tally& t, const Formulas& f) {
  std::int64_t calls = 0;
  const int days = std::clamp(f.repeat_window_days, 0, kRepeatDays);
  for (const auto& [index, value] : t.values()) {
    if (index >= index_of_repeat(0) && index < index_of_repeat(days)) calls += value;
  }
  return calls;
}

std::vector<Figure> make_figures() {
  std::vector<Figure> all;
  for (int c = 0; c < kCountCount; ++c) {
    all.push_back({to_string(Count(c)), label_zh(Count(c)), Figure::Kind::kCount, c});
  }
  all.push_back({"repeat_calls", "重复来电", Figure::Kind::kDerivedCount, kRepeatCalls});
  all.push_back({"open_overdue", "逾期未办结", Figure::Kind::kDerivedCount, kOpenOverdue});
  all.push_back({"meetings", "会议次数", Figure::Kind::kDerivedCount, kMeetings});
  all.push_back({"resolved_per_meeting", "每次会议解决问题数", Figure::Kind::kAverage, 0});
  const std::pair<std::string_view, std::string_view> rates[] = {
      {"signed_in_time_rate", "按时签收率"}, {"on_time_close_rate", "按时办结率"}, {"resolution_rate", "解决率"},
      {"satisfaction_rate", "满意率"},       {"send_back_rate", "发回重办率"},     {"urge_rate", "催办率"},
      {"reopen_rate", "重启率"},             {"share", "占比"},           {"repeat_call_rate", "重复来电率"},
  };
  int code = 0;
  for (auto [name, zh] : rates) all.push_back({name, zh, Figure::Kind::kRate, code++});
  // Accept before resolve, calendar before working hours, p50 before p90: hours_of reads the code so.
  const std::pair<std::string_view, std::string_view> times[] = {
      {"accept_p50_hours", "签收用时中位数(小时)"},
      {"accept_p90_hours", "签收用时90分位(小时)"},
      {"accept_p50_working_hours", "签收用时中位数(工作小时)"},
      {"accept_p90_working_hours", "签收用时90分位(工作小时)"},
      {"resolve_p50_hours", "办结用时中位数(小时)"},
      {"resolve_p90_hours", "办结用时90分位(小时)"},
      {"resolve_p50_working_hours", "办结用时中位数(工作小时)"},
      {"resolve_p90_working_hours", "办结用时90分位(工作小时)"},
  };
  code = 0;
  for (auto [name, zh] : times) all.push_back({name, zh, Figure::Kind::kHours, code++});
  return all;
}

std::optional<double> rate_of(Rate rate, const Tally& t, const Tally& total, const Formulas& f) {
  bool defined = false;
  double value = 0;
  switch (rate) {
    case Rate::kSignedInTime:
      value = ratio(double(t.get(Count::kSignedInTime)), double(t.get(Count::kHanded)), defined);
      break;
    case Rate::kOnTimeClose:
      value = ratio(double(t.get(Count::kClosedOnTime)), double(t.get(Count::kClosed)), defined);
      break;
    case Rate::kResolution: {
      const double weighed = f.resolved * double(t.get(Count::kClosedResolved)) +
                             f.partly_resolved * double(t.get(Count::kClosedPartly)) +
                             f.unresolved * double(t.get(Count::kClosedUnresolved));
      const auto closed_with_outcome =
          t.get(Count::kClosedResolved) + t.get(Count::kClosedPartly) + t.get(Count::kClosedUnresolved);
      value = ratio(weighed, double(closed_with_outcome), defined);
      break;
    }
    case Rate::kSatisfaction: {
      const double weighed = f.satisfied * double(t.get(Count::kRatedSatisfied)) +
                             f.basically_satisfied * double(t.get(Count::kRatedBasically)) +
                             f.unsatisfied * double(t.get(Count::kRatedUnsatisfied));
      const auto valid = t.get(Count::kRatedSatisfied) + t.get(Count::kRatedBasically) +
                         t.get(Count::kRatedUnsatisfied) + (f.no_answer_is_valid ? t.get(Count::kRatedNoAnswer) : 0);
      value = ratio(weighed, double(valid), defined);
      break;
    }
    case Rate::kSendBack:
      value = ratio(double(t.get(Count::kSentBack)), double(t.get(Count::kClosed)), defined);
      break;
    case Rate::kUrge: value = ratio(double(t.get(Count::kUrged)), double(valid_received(t, f)), defined); break;
    case Rate::kReopen:
      value = ratio(double(t.get(Count::kReopened)), double(t.get(Count::kClosed)), defined);
      break;
    case Rate::kShare:
      value = ratio(double(valid_received(t, f)), double(valid_received(total, f)), defined);
      break;
    case Rate::kRepeatCall:
      // Over every call: a repeat is often merged into the case it repeats.
      value = ratio(double(repeat_calls(t, f)), double(t.get(Count::kReceived)), defined);
      break;
  }
  if (!defined) return std::nullopt;
  return value;
}

std::optional<double> hours_of(int code, const Tally& t) {
  const bool accept = code < 4, working = code % 4 >= 2;
  const double share = code % 2 == 1 ? 0.9 : 0.5;
  const Histogram h = accept ? (working ? Histogram::kAcceptWorking : Histogram::kAcceptCalendar)
                             : (working ? Histogram::kResolveWorking : Histogram::kResolveCalendar);
  auto time = t.percentile(h, share);
  if (!time) return std::nullopt;
  return static_cast<double>(time->count()) / 3600.0;
}

// The ranges of every day before the query's, from the first day counted.
std::vector<std::pair<std::string, std::string>> ranges_before(const Query& query) {
  const sys_days first{};
  if (query.from <= first) return {};
  return ranges_of(Query{first, query.from - std::chrono::days{1}, query.by});
}

// Reads the cells of `ranges`, calling add(row, cell) with the row of the
// group group_of(the cell's group) names.
template <typename GroupOf, typename Add>
Result<void> read_by_group(const CounterStore& store, const std::vector<std::pair<std::string, std::string>>& ranges,
                           std::map<std::string, Tally, std::less<>>& by_group, GroupOf group_of, Add add) {
  for (const auto& [from, to] : ranges) {
    auto cells = store.stats_cells(from, to);
    if (!cells) return tl::unexpected(cells.error());
    for (const auto& [key, tally] : *cells) {
      const std::string_view group = group_of(CellKey::group_in(key));
      auto at = by_group.lower_bound(group);
      if (at == by_group.end() || at->first != group) at = by_group.emplace_hint(at, std::string(group), Tally{});
      add(at->second, tally);
    }
  }
  return {};
}
template <typename Add>
Result<void> read_by_group(const CounterStore& store, const std::vector<std::pair<std::string, std::string>>& ranges,
                           std::map<std::string, Tally, std::less<>>& by_group, Add add) {
  return read_by_group(store, ranges, by_group, [](std::string_view group) { return group; }, add);
}

// The meetings held in the period, for the units, rungs or whole store the
// query groups by: one a day for a unit whose meeting took up any case.
Result<void> add_meetings(const CounterStore& store, const Query& query, std::map<std::string, Tally, std::less<>>& by_group) {
  if (query.by != Dimension::kAll && query.by != Dimension::kUnit && query.by != Dimension::kLevel) return {};
  // Whole years, then months, then days, as for any figure: each cell's days in use are its meetings.
  return read_by_group(store, ranges_of(Query{query.from, query.to, Dimension::kMeeting}), by_group,
                       [&](std::string_view group) {
    const auto slash = group.find('/');
    const auto step = group.substr(0, slash), unit = slash == std::string_view::npos ? group : group.substr(slash + 1);
    return query.by == Dimension::kUnit ? unit : query.by == Dimension::kLevel ? step : std::string_view{};
  }, [](Tally& row, const Tally& cell) {
    std::int64_t days = 0;
    for (const auto& [index, value] : cell.values()) {
      days += index >= kMeetingDayBase && index < kMeetingDayBase + kMeetingDays && value > 0;
    }
    row.add(kMeetingsHeld, days);
  });
}

// Calls f(case id, marks) with what each stored case's events count, afresh.
template <typename F>
Result<void> count_every_case(const CaseStore& store, const Calendar& calendar, F f, const Progress& progress = {}) {
  Marks marks;  // one case's, its buffer reused
  const auto ids = store.case_ids();
  std::uint64_t done = 0;
  for (const auto& id : ids) {
    if (progress && ++done % kProgressEvery == 0) progress("cases", done, ids.size());
    auto stored = store.load(id);
    if (!stored) return tl::unexpected(stored.error());
    if (!*stored) continue;
    marks.clear();
    if (auto counted = count_case((*stored)->events, calendar, marks); !counted) {
      return fail(counted.error().code, "case " + id + ": " + counted.error().message);
    }
    f(id, marks);
  }
  return {};
}

// Whether the figure counts cases, which cases_behind() can list: a count,
// or a derived one but the meetings (a unit's, not a case's).
bool counts_cases(const Figure& f) {
  return f.kind == Figure::Kind::kCount || (f.kind == Figure::Kind::kDerivedCount && f.code != kMeetings);
}

// The index of the cases behind the counts in a store's worth of memory,
// so that the store's and a recount's can be set side by side: a sum of a
// hash of each entry, the same for the same entries in any order, and each
// day cell's count under each index summed over its cases.
struct BehindSummary {
  std::uint64_t digest = 0;
  std::map<std::string, std::int64_t> by_cell;  // an entry's key up to its case id

  void add(std::string_view entry, std::int64_t count) {
    std::uint64_t hash = 14695981039346656037ull;  // FNV-1a of the entry, then its count
    const auto mix = [&hash](unsigned char byte) { hash = (hash ^ byte) * 1099511628211ull; };
    for (unsigned char c : entry) mix(c);
    for (int shift = 0; shift < 64; shift += 8) mix(static_cast<unsigned char>(static_cast<std::uint64_t>(count) >> shift));
    digest += hash;
    const auto key = BehindKey::decode(entry);
    const auto cell = key ? entry.substr(0, entry.size() - key->case_id.size()) : entry;
    by_cell[std::string(cell)] += count;
  }
};

// "unit/day/2025-11-03/yangguang-garden.property: kept received=2, recounted received=3"
// for each day cell whose cases in the index do not add up to a recount's,
// or one line when they do but name other cases.
std::vector<std::string> behind_differences(const BehindSummary& kept, const BehindSummary& recounted) {
  std::vector<std::string> lines;
  if (kept.digest == recounted.digest && kept.by_cell == recounted.by_cell) return lines;
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> both;  // kept, recounted
  for (const auto& [cell, count] : kept.by_cell) both[cell].first = count;
  for (const auto& [cell, count] : recounted.by_cell) both[cell].second = count;
  for (const auto& [cell, counts] : both) {
    if (counts.first == counts.second) continue;
    auto key = BehindKey::decode(cell + "?");  // any case id, to read the rest
    const std::string name = key ? std::string(CellKey{key->dimension, Period::kDay, key->day, key->group}.name()) : "?";
    const std::string index = !key ? "?" : key->index < kCountCount ? std::string(to_string(Count(key->index)))
                                                               : "repeat_day_" + std::to_string(key->index - kRepeatBase);
    lines.push_back("behind/" + name + ": kept cases' " + index + "=" + std::to_string(counts.first) +
                    ", recounted " + index + "=" + std::to_string(counts.second));
  }
  if (lines.empty()) {
    lines.push_back("behind: the index holds the counts a recount finds, but behind other cases");
  }
  return lines;
}

}  // namespace

std::vector<std::string> report_dimension_names() {
  std::vector<std::string> names;
  for (auto d : kEveryDimension) {
    if (d != Dimension::kMeeting) names.emplace_back(to_string(d));
  }
  return names;
}

Result<sys_days> parse_day(std::string_view text) {
  int y = 0;
  unsigned m = 0, d = 0;
  char tail = 0;
  const std::string copy(text);
  if (copy.size() == 10 && std::sscanf(copy.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) == 3) {
    const std::chrono::year_month_day date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
    if (date.ok()) return sys_days{date};
    if (m < 1 || m > 12) return fail(ErrorCode::kInvalidArgument, "'" + copy + "' has no month " + std::to_string(m));
    const std::chrono::year_month_day_last last{std::chrono::year{y}, std::chrono::month_day_last{std::chrono::month{m}}};
    return fail(ErrorCode::kInvalidArgument, "'" + copy + "' is not a day: " + copy.substr(0, 7) + " has " +
                                                 std::to_string(unsigned(last.day())) + " days");
  }
  return fail(ErrorCode::kInvalidArgument, "Expected a day as YYYY-MM-DD, but got '" + copy + "'");
}

std::string format_day(sys_days day) {
  const std::chrono::year_month_day date{day};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", int(date.year()), unsigned(date.month()), unsigned(date.day()));
  return text;
}

Result<Report> read_report(const CounterStore& store, const Query& query) {
  if (query.to < query.from) {
    return fail(ErrorCode::kInvalidArgument, "to: the period ends before it begins");
  }
  Report report{query, {}, {}};
  std::map<std::string, Tally, std::less<>> by_group;
  auto read = read_by_group(store, ranges_of(query), by_group, [](Tally& row, const Tally& cell) { row.add(cell); });
  if (!read) return tl::unexpected(read.error());
  // Open overdue is a level: what joined it less what left it, since the first day.
  read = read_by_group(store, ranges_before(query), by_group, [](Tally& row, const Tally& cell) {
    row.add(kOpenOverdueAtStart, cell.get(Count::kOpenOverdueJoined) - cell.get(Count::kOpenOverdueLeft));
  });
  if (!read) return tl::unexpected(read.error());
  if (auto held = add_meetings(store, query, by_group); !held) return tl::unexpected(held.error());
  for (auto& [name, tally] : by_group) {
    if (!tally.empty()) report.groups.push_back({name, std::move(tally)});
  }
  if (query.by == Dimension::kAll) {
    if (!report.groups.empty()) report.total = report.groups.front().tally;
    return report;
  }
  auto whole = read_report(store, Query{query.from, query.to, Dimension::kAll});
  if (!whole) return tl::unexpected(whole.error());
  report.total = std::move(whole->total);
  return report;
}

const std::vector<Figure>& figures() {
  static const std::vector<Figure> all = make_figures();
  return all;
}

std::optional<double> value_of(const Figure& figure, const Tally& group, const Tally& total,
                               const Formulas& formulas) {
  switch (figure.kind) {
    case Figure::Kind::kCount: return static_cast<double>(group.get(Count(figure.code)));
    case Figure::Kind::kDerivedCount:
      if (figure.code == kRepeatCalls) return static_cast<double>(repeat_calls(group, formulas));
      if (figure.code == kMeetings) return static_cast<double>(group.get(kMeetingsHeld));
      return static_cast<double>(group.get(kOpenOverdueAtStart) + group.get(Count::kOpenOverdueJoined) -
                                 group.get(Count::kOpenOverdueLeft));
    case Figure::Kind::kRate: return rate_of(Rate(figure.code), group, total, formulas);
    case Figure::Kind::kAverage: {
      bool defined = false;
      const double value =
          ratio(double(group.get(Count::kClosedResolved)), double(group.get(kMeetingsHeld)), defined);
      if (!defined) return std::nullopt;
      return value;
    }
    case Figure::Kind::kHours: return hours_of(figure.code, group);
  }
  return std::nullopt;
}

Result<void> recount_into(CaseStore& store, const Calendar& calendar, const Progress& progress) {
  return store.replace_stats([&](const CounterStore::CaseMarksSink& sink) {
    return count_every_case(store, calendar, [&sink](const std::string& id, const Marks& marks) { sink(id, marks); },
                             progress);
  }, stamp_of(calendar));
}

Result<Cells> recount(const CaseStore& store, const Calendar& calendar, const Progress& progress) {
  Cells cells;
  auto counted = count_every_case(
      store, calendar, [&cells](const std::string&, const Marks& marks) { add_marks(cells, marks); }, progress);
  if (!counted) return tl::unexpected(counted.error());
  return cells;
}

Result<std::vector<std::string>> counter_differences(const CaseStore& store, const Calendar& calendar,
                                                     const Progress& progress) {
  Cells recounted;
  BehindSummary expected;
  Behind of_case;
  auto counted = count_every_case(store, calendar, [&](const std::string& id, const Marks& marks) {
    add_marks(recounted, marks);
    of_case.clear();
    add_behind(of_case, id, marks);
    for (const auto& [entry, count] : of_case) expected.add(entry, count);
  }, progress);
  if (!counted) return tl::unexpected(counted.error());
  BehindSummary kept_behind;
  auto read = store.each_case_counted([&](std::string_view entry, std::int64_t count) { kept_behind.add(entry, count); });
  if (!read) return tl::unexpected(read.error());
  auto kept = store.stats_cells(kCellsFrom, kCellsTo);
  if (!kept) return tl::unexpected(kept.error());
  // What the one has that the other has not: the recount less what is kept.
  Cells difference = recounted;
  for (const auto& [key, tally] : *kept) {
    Tally negated;
    for (const auto& [index, value] : tally.values()) negated.add(index, -value);
    add_cells(difference, Cells{{key, negated}});
  }
  auto described = [](const Tally* tally, const Tally& differing) {
    std::string text;
    for (const auto& [index, ignored] : differing.values()) {
      const std::int64_t value = tally ? tally->get(index) : 0;
      const std::string name = index < kCountCount ? std::string(to_string(Count(index)))
                                                   : "bucket" + std::to_string(index);
      text += (text.empty() ? "" : " ") + name + "=" + std::to_string(value);
    }
    return text;
  };
  const Cells kept_cells(kept->begin(), kept->end());
  std::vector<std::string> lines;
  for (const auto& [key, differing] : difference) {
    const auto cell = CellKey::decode(key);
    const auto k = kept_cells.find(key);
    const auto r = recounted.find(key);
    lines.push_back((cell ? cell->name() : "?") + ": kept " +
                    described(k == kept_cells.end() ? nullptr : &k->second, differing) + ", recounted " +
                    described(r == recounted.end() ? nullptr : &r->second, differing));
  }
  for (auto& line : behind_differences(kept_behind, expected)) lines.push_back(std::move(line));
  return lines;
}

std::vector<std::string> listed_count_names() {
  std::vector<std::string> names;
  for (const auto& f : figures()) {
    if (counts_cases(f)) names.emplace_back(f.name);
  }
  return names;
}

Result<std::vector<CaseShare>> cases_behind(const CounterStore& store, const Query& query, std::string_view group,
                                            const Figure& figure, const Formulas& formulas) {
  if (!counts_cases(figure)) {
    return fail(ErrorCode::kInvalidArgument, std::string(figure.name) + " is not a count of cases");
  }
  const bool derived = figure.kind == Figure::Kind::kDerivedCount;
  BehindQuery asked{query.by, std::string(group), 0, 0, day_number(query.from), day_number(query.to)};
  if (!derived) {
    asked.first_index = asked.last_index = index_of(Count(figure.code));
  } else if (figure.code == kRepeatCalls) {
    const int days = std::clamp(formulas.repeat_window_days, 0, kRepeatDays);
    if (days == 0) return std::vector<CaseShare>{};
    asked.first_index = index_of_repeat(0);
    asked.last_index = index_of_repeat(days - 1);
  } else {
    // Late and open on the last day: joined less left, over every day up to it.
    static_assert(index_of(Count::kOpenOverdueLeft) == index_of(Count::kOpenOverdueJoined) + 1);
    asked.first_index = index_of(Count::kOpenOverdueJoined);
    asked.last_index = index_of(Count::kOpenOverdueLeft);
    asked.from_day = 0;
  }
  auto counted = store.cases_counted(asked);
  if (!counted) return tl::unexpected(counted.error());
  std::vector<CaseShare> shares;
  for (const auto& [case_id, tally] : *counted) {
    std::int64_t part = 0;
    for (const auto& [index, value] : tally.values()) part += index == index_of(Count::kOpenOverdueLeft) && derived ? -value : value;
    if (part != 0) shares.push_back({case_id, part});
  }
  return shares;
}

Stamp stamp_of(const Calendar& calendar) {
  return Stamp{kDefinition, calendar.version(), format_working_hours(calendar.working_hours())};
}

Result<bool> bring_counters_up_to_date(CaseStore& store, const Calendar& calendar, const Progress& progress) {
  auto stamp = store.stats_stamp();
  if (!stamp) return tl::unexpected(stamp.error());
  const Stamp wanted = stamp_of(calendar);
  if (*stamp == wanted) return false;
  if (auto replaced = recount_into(store, calendar, progress); !replaced) return tl::unexpected(replaced.error());
  return true;
}

}  // namespace escalator::stats
