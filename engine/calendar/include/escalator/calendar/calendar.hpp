// Which days are working days, and so when a deadline falls.
//
// Working-day durations count from the next day (12345 practice: "counting
// starts the next day") and end at midnight closing the last working day
// counted. Working hours are the calendar's windows on working days, by
// default 09:00-12:00 and 13:30-17:30 China Standard Time (docs/calendar.md).
// Implementations must be thread-safe for concurrent readers.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "escalator/util/result.hpp"
#include "escalator/util/time.hpp"

namespace escalator {

// A span of working time on a working day, from midnight China Standard Time.
struct WorkingWindow {
  std::chrono::minutes begin;
  std::chrono::minutes end;
  friend bool operator==(const WorkingWindow&, const WorkingWindow&) = default;
};
// Windows in order, none overlapping, at least one.
using WorkingHours = std::vector<WorkingWindow>;

// 12345 practice: 09:00-12:00 and 13:30-17:30.
const WorkingHours& default_working_hours();
// Reads windows written "09:00-12:00". kInvalidArgument naming the window (by
// its index) when one is malformed, empty, or begins before the one before it
// ends; or when there are none.
[[nodiscard]] Result<WorkingHours> parse_working_hours(const std::vector<std::string>& windows);
// "09:00-12:00, 13:30-17:30".
std::string format_working_hours(const WorkingHours& hours);

class Calendar {
 public:
  virtual ~Calendar() = default;
  // Whether the day (a date in China Standard Time) is a working day.
  virtual bool is_working_day(std::chrono::sys_days day) const = 0;
  // Whether the day's working status is a guess (a year with no official
  // notice, counted Monday to Friday) rather than data.
  virtual bool is_provisional(std::chrono::sys_days) const { return false; }
  // Identifies the calendar's data ("weekdays", a notice's year): for logs and tools.
  virtual std::string version() const = 0;
  // The windows working hours are counted in.
  virtual const WorkingHours& working_hours() const { return default_working_hours(); }

  // Whether any day from `from` to `to` (China Standard Time, both included)
  // is provisional: a deadline counted over such a day may move when the
  // notice for its year comes out.
  bool provisional(Timestamp from, Timestamp to) const;

  // The instant `d` after `from` on this calendar; `from` itself for an amount
  // of zero or less. Timestamp::max() ("never due") for more than 1,000,000
  // units, or when no working day comes within ten years.
  Timestamp deadline(Timestamp from, const Duration& d) const;

  // The instant `d` before `due`, for warnings (预警) ahead of a deadline:
  // hours and days are subtracted; N working hours are walked back through
  // the working hours before `due`; N working days before `due` is 00:00 of
  // the N-th working day counted back from the day `due` ends (that day
  // included when it is a working day), so "1 working-day" before a deadline
  // at the midnight closing Friday is Friday 00:00. `due` itself for an amount
  // of zero or less; Timestamp::min() (already past) when the walk finds no
  // room within ten years; `due` unchanged when it is Timestamp::max().
  Timestamp before(Timestamp due, const Duration& d) const;

  // The working time from `from` to `to`: the part of that span inside working
  // hours on working days. Zero when `to` is not after `from`; a span reaching
  // more than ten years without a working day counts only what came before.
  std::chrono::seconds working_time(Timestamp from, Timestamp to) const;
  // The instant `amount` of working time after `from`, walked through working
  // hours; `from` itself for zero or less. A walk that uses a window up exactly
  // ends at the window's close (17:30), not at the next one's start.
  // Timestamp::max() when no working day comes within ten years.
  Timestamp after_working_time(Timestamp from, std::chrono::seconds amount) const;
};

// A calendar for tests that want no holidays: every Monday to Friday is a
// working day. Immutable, safe from any thread.
std::shared_ptr<const Calendar> weekday_calendar();

}  // namespace escalator
