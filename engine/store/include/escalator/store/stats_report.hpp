// Reports over a store's counters (docs/stats.md): the sums of a period by
// group, the rates a city's formulas make of them, and recounting the
// counters from the events.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "escalator/calendar/calendar.hpp"
#include "escalator/stats/stats.hpp"
#include "escalator/store/store.hpp"
#include "escalator/util/progress.hpp"

namespace escalator::stats {

// "2025-11-01" as that day; kInvalidArgument for anything else.
[[nodiscard]] Result<std::chrono::sys_days> parse_day(std::string_view text);
std::string format_day(std::chrono::sys_days day);

// What a report may be grouped by, as `escalator stats --by` and GET
// /v1/stats take it: every dimension but the meetings', which counts meetings
// rather than cases.
std::vector<std::string> report_dimension_names();

// The days from and to, both included (China Standard Time), grouped by.
struct Query {
  std::chrono::sys_days from{};
  std::chrono::sys_days to{};
  Dimension by = Dimension::kAll;
};

struct Group {
  std::string name;  // the unit's id, the category's path, …; "" for no place or unit
  Tally tally;
};

struct Report {
  Query query;
  std::vector<Group> groups;  // by name
  Tally total;                // every case's counts, whatever the grouping
};

// The period's counts by group, read from whole years and months where the period
// holds them and from days at its ends; and, under kOpenOverdueAtStart, each
// group's open overdue cases as the period began, read from every earlier
// day. kInvalidArgument when `to` is before `from`.
[[nodiscard]] Result<Report> read_report(const CounterStore& store, const Query& query);

// A figure of a report row: a count, a rate or a time.
struct Figure {
  std::string_view name;  // "received", "resolution_rate", "accept_p50_working_hours", …
  std::string_view zh;
  // kDerivedCount: a count made of others: repeat_calls by the formulas'
  // window; open_overdue as of the period's last day.
  // kAverage: problems resolved per meeting (resolved_per_meeting).
  enum class Kind { kCount, kDerivedCount, kRate, kHours, kAverage } kind = Kind::kCount;
  int code = 0;  // which of its kind: the Count, or its place among its kind
};
const std::vector<Figure>& figures();
// The figure's value in `group` of `report`; none when its denominator is 0
// or, for a time, no time was counted.
std::optional<double> value_of(const Figure& figure, const Tally& group, const Tally& total,
                               const Formulas& formulas);

// Counts every stored case's events afresh with `calendar`'s working time,
// and replaces the store's counters and the index of the cases behind them
// with what it counted, stamped stamp_of(calendar).
[[nodiscard]] Result<void> recount_into(CaseStore& store, const Calendar& calendar, const Progress& progress = {});
// Counts every stored case's events afresh with `calendar`'s working time.
[[nodiscard]] Result<Cells> recount(const CaseStore& store, const Calendar& calendar, const Progress& progress = {});
// What the engine counts with `calendar`.
Stamp stamp_of(const Calendar& calendar);
// Recounts and replaces the store's counters when they were counted with
// another definition or calendar, or never: true when it did.
[[nodiscard]] Result<bool> bring_counters_up_to_date(CaseStore& store, const Calendar& calendar,
                                                     const Progress& progress = {});

// Where the stored counters differ from a recount of the events with
// `calendar`, a line per cell: "unit/day/2025-10-30/yangguang-garden.property:
// kept received=2, recounted received=3"; none when they agree.
[[nodiscard]] Result<std::vector<std::string>> counter_differences(const CaseStore& store, const Calendar& calendar,
                                                                   const Progress& progress = {});

// A case behind a figure (drill-down), and its part in it.
struct CaseShare {
  std::string case_id;
  std::int64_t count = 0;
};
// The figures whose cases cases_behind() lists: every count of cases, the
// derived ones (repeat_calls, open_overdue) among them; not the meetings.
std::vector<std::string> listed_count_names();
// The cases behind a count (a Count or a derived count) in `group` over the
// query's days, each with its part, by case id: read from the store's index
// of them (cases_behind.hpp), never from the cases. kInvalidArgument for a
// rate, a time or the meetings.
[[nodiscard]] Result<std::vector<CaseShare>> cases_behind(const CounterStore& store, const Query& query,
                                                          std::string_view group, const Figure& figure,
                                                          const Formulas& formulas);

}  // namespace escalator::stats
