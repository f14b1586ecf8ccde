// Time as the engine sees it: instants, durations in the units workflows use,
// and the injected Clock every component reads.
//
// Instants are UTC seconds. Every calendar question (which day, is it a working
// day) is asked in China Standard Time, UTC+08:00, which has no daylight saving.
// Nothing in the engine reads the system clock directly: tests, `simulate` and
// replay drive a ManualClock, so a month of deadlines runs in milliseconds.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "escalator/util/result.hpp"

namespace escalator {

using Timestamp = std::chrono::sys_seconds;

// The offset of China Standard Time, in which days and working hours are counted.
inline constexpr std::chrono::seconds kChinaOffset{8 * 3600};

// "2025-09-30T09:00:00+08:00". Always China Standard Time.
std::string format_time(Timestamp t);
// Whether format_time() writes `t` as parse_time() reads it back: China
// Standard Time in the years 0000 to 9999. Nothing else may be stored.
bool is_writable_time(Timestamp t);

// Parses "2025-09-30T09:00:00+08:00", "2025-09-30T01:00:00Z", "2025-09-30T09:00"
// and "2025-09-30 09:00" (the last two read as China Standard Time).
// Returns kInvalidArgument naming the text when it is none of these.
[[nodiscard]] Result<Timestamp> parse_time(std::string_view text);

// A span of time in one of the units administrators write deadlines in.
// Working units count only days the calendar says are working days.
struct Duration {
  enum class Unit { kHours, kWorkingHours, kDays, kWorkingDays };
  std::int64_t amount = 0;
  Unit unit = Unit::kHours;

  friend bool operator==(const Duration&, const Duration&) = default;
};

// "2h", "4 working-hours", "3 days", "15 working-days" and the reverse.
std::string format_duration(const Duration& d);
[[nodiscard]] Result<Duration> parse_duration(std::string_view text);

// The source of "now". Implementations must be thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

// Reads the system clock; for `serve` and embedders in production.
class SystemClock final : public Clock {
 public:
  Timestamp now() const override;
};

// A clock that moves only when told; for tests, simulation and replay.
// Thread-safe: set() and advance() may race with now().
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start) : now_(start.time_since_epoch().count()) {}
  Timestamp now() const override { return Timestamp{std::chrono::seconds{now_.load()}}; }
  void set(Timestamp t) { now_.store(t.time_since_epoch().count()); }
  void advance(std::chrono::seconds by) { now_.fetch_add(by.count()); }

 private:
  std::atomic<std::int64_t> now_;
};

}  // namespace escalator
