// The official working-day calendar of mainland China: the public holidays and
// moved working days (调休) of the State Council's yearly notices, kept as data,
// one JSON file per year under calendars/ (docs/calendar.md).
//
// A year the calendar has no notice for is counted Monday to Friday and marked
// provisional, so that a deadline reaching past the last notice is never a
// silent guess and never stops intake.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "escalator/calendar/calendar.hpp"
#include "escalator/util/result.hpp"
#include "escalator/util/time.hpp"

namespace escalator {

struct CalendarNotice {
  std::string title;   // 国务院办公厅关于2026年部分节假日安排的通知
  std::string number;  // 国办发明电〔2025〕7号; empty when not known
  std::chrono::sys_days date;  // the day it was issued
  std::string note;    // what an amending notice changed
};

// A break: every day from `from` to `to` is a rest day, weekend days inside
// included.
struct HolidayPeriod {
  std::string name;  // 春节
  std::chrono::sys_days from;
  std::chrono::sys_days to;
};

// A Saturday or Sunday made a working day to make up for a holiday.
struct MovedWorkingDay {
  std::chrono::sys_days date;
  std::string holiday;  // the holiday it makes up for
};

// One year's file: the notices it follows and what they decided, as it stands
// after any amendment. Its dates may fall in the year before (a New Year break
// that starts on 30 December).
struct CalendarYear {
  int year = 0;
  std::vector<CalendarNotice> notices;
  std::vector<HolidayPeriod> holidays;
  std::vector<MovedWorkingDay> working_days;
};

// How the calendar sees one day.
struct CalendarDay {
  bool working = false;
  bool provisional = false;  // no notice covers the day's year: Monday to Friday assumed
  std::string name;          // "春节", "春节调休上班", "周末", or empty for an ordinary working day
};

// Reads one year's file. Errors (kInvalidArgument) begin with `source` and name
// the value by JSON pointer or the date at fault: a field missing or of the
// wrong type, a date that does not exist, a break that ends before it begins,
// a date listed twice, a day that is both a holiday and a moved working day, a
// moved working day that is not a Saturday or Sunday, a date outside the year
// and the last days of the year before, a year with no holidays.
[[nodiscard]] Result<CalendarYear> parse_calendar_year(std::string_view json_text, std::string_view source);

// Reads and parses one file; kNotFound when it cannot be read.
[[nodiscard]] Result<CalendarYear> read_calendar_file(const std::filesystem::path& file);

class OfficialCalendar final : public Calendar {
 public:
  // Errors: two files for one year, or one date decided by two years' files.
  [[nodiscard]] static Result<std::shared_ptr<const OfficialCalendar>> from_years(std::vector<CalendarYear> years);

  bool is_working_day(std::chrono::sys_days day) const override;
  bool is_provisional(std::chrono::sys_days day) const override;
  // "official 2015-2026 (2025-11-04)": the years covered and the latest notice.
  std::string version() const override;
  const WorkingHours& working_hours() const override { return working_hours_; }
  // The same days with other working hours (configuration's calendar.working_hours).
  std::shared_ptr<const OfficialCalendar> with_working_hours(WorkingHours hours) const;
  // This calendar with `years` in place of its files for the same years (an
  // imported notice, docs/calendar.md), and " + label" after its version
  // instead of any label it had: "official 2015-2027 (2026-11-10) + import 2".
  // Errors as from_years'.
  [[nodiscard]] Result<std::shared_ptr<const OfficialCalendar>> with_years(std::vector<CalendarYear> years,
                                                                           const std::string& label) const;

  CalendarDay day(std::chrono::sys_days day) const;
  // The years covered, in order.
  const std::vector<CalendarYear>& years() const { return years_; }

 private:
  struct Marked {
    bool working;
    std::string name;
  };
  OfficialCalendar() = default;
  const Marked* marked(std::chrono::sys_days day) const;

  std::vector<CalendarYear> years_;
  std::string label_;  // what was imported over the shipped files, if anything
  WorkingHours working_hours_ = default_working_hours();
  std::vector<std::pair<std::chrono::sys_days, Marked>> days_;  // sorted by date
};

// A calendar notice an operator imported into the store (`escalator calendar
// import`, docs/calendar.md): versions 1, 2, ... in the order imported; each
// replaces the shipped file of the year it holds.
struct CalendarImport {
  std::uint64_t version = 0;
  Timestamp imported_at{};
  std::string source;  // the file's name as given, for people
  std::string text;    // the file as imported (schemas/calendar.schema.json)

  friend bool operator==(const CalendarImport&, const CalendarImport&) = default;
};

// `base` with imports 1..up_to: each import's year in place of the file for
// that year, a later import of a year replacing an earlier one, labelled
// "import <up_to>". Errors name the import (kInvalidArgument): one that cannot
// be read, or one whose dates clash with another year's.
[[nodiscard]] Result<std::shared_ptr<const OfficialCalendar>> calendar_with_imports(
    const OfficialCalendar& base, const std::vector<CalendarImport>& imports, std::uint64_t up_to);

// The *.json files of `directory`, in name order; kNotFound when it cannot be read.
[[nodiscard]] Result<std::vector<std::filesystem::path>> calendar_files(const std::filesystem::path& directory);

// Every *.json file of `directory` as one calendar; errors name the file.
[[nodiscard]] Result<std::shared_ptr<const OfficialCalendar>> load_calendar_directory(
    const std::filesystem::path& directory);

// The calendar of the notices shipped under calendars/, compiled in.
std::shared_ptr<const OfficialCalendar> shipped_calendar();

}  // namespace escalator
