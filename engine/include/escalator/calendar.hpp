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
  // Identifies the calendar's data ("weekdays", a notice's year): for logs and tools.
  virtual std::string version() const = 0;

  // The instant `d` after `from` on this calendar; `from` itself for an amount
  // of zero or less. Timestamp::max() ("never due") for more than 1,000,000
  // units, or when no working day comes within ten years.
  Timestamp deadline(Timestamp from, const Duration& d) const;
};

}  // namespace escalator
