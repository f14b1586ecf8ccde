// Which days are working days, and so when a deadline falls.
//
// Working-day durations count from the next day (12345 practice: "counting
// starts the next day") and end at midnight closing the last working day
// counted. Working hours run 09:00-12:00 and 13:00-17:00 China Standard Time on
// working days. Implementations must be thread-safe for concurrent readers.
#pragma once

#include <chrono>
#include <string>

#include "escalator/time.hpp"

namespace escalator {

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
};

}  // namespace escalator
