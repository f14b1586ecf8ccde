#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <utility>

#include "escalator/calendar/calendar.hpp"
#include "escalator/util/time.hpp"

using namespace escalator;
using namespace std::chrono;

namespace {

// Monday to Friday, less any holidays given. Real calendars also move
// weekend days to working days (调休); deadline() only asks is_working_day, so a
// plain week is enough to test the counting.
class WeekdayCalendar final : public Calendar {
 public:
  explicit WeekdayCalendar(std::set<sys_days> holidays = {}) : holidays_(std::move(holidays)) {}
  bool is_working_day(sys_days day) const override {
    const weekday wd{day};
    return wd != Saturday && wd != Sunday && !holidays_.contains(day);
  }
  std::string version() const override { return "test-weekdays"; }

 private:
  std::set<sys_days> holidays_;
};

class NoWorkCalendar final : public Calendar {
 public:
  bool is_working_day(sys_days) const override { return false; }
  std::string version() const override { return "test-no-work"; }
};

// An instant written in China Standard Time.
Timestamp cst(int y, unsigned m, unsigned d, int h, int mi = 0) {
  return Timestamp{sys_days{year{y} / month{m} / day{d}}} + hours{h} + minutes{mi} - kChinaOffset;
}

std::string deadline(const Calendar& calendar, Timestamp from, std::int64_t amount,
                     Duration::Unit unit) {
  return format_time(calendar.deadline(from, Duration{amount, unit}));
}

constexpr auto kHours = Duration::Unit::kHours;
constexpr auto kWorkingHours = Duration::Unit::kWorkingHours;
constexpr auto kDays = Duration::Unit::kDays;
constexpr auto kWorkingDays = Duration::Unit::kWorkingDays;

// 2025-09-30 is a Tuesday.
const Timestamp kTuesdayAfternoon = cst(2025, 9, 30, 15);

}  // namespace

TEST_CASE("HoursArePlainHoursThroughNightsAndWeekends") {
  const WeekdayCalendar calendar;
  CHECK(deadline(calendar, kTuesdayAfternoon, 2, kHours) == "2025-09-30T17:00:00+08:00");
  CHECK(deadline(calendar, kTuesdayAfternoon, 24, kHours) == "2025-10-01T15:00:00+08:00");
  CHECK(deadline(calendar, cst(2025, 10, 3, 20), 48, kHours) == "2025-10-05T20:00:00+08:00");
}

TEST_CASE("DaysCountFromTheNextDayAndEndAtMidnight") {
  const WeekdayCalendar calendar;
  CHECK(deadline(calendar, kTuesdayAfternoon, 1, kDays) == "2025-10-02T00:00:00+08:00");
  CHECK(deadline(calendar, kTuesdayAfternoon, 3, kDays) == "2025-10-04T00:00:00+08:00");
  // Calendar days include the weekend.
  CHECK(deadline(calendar, kTuesdayAfternoon, 7, kDays) == "2025-10-08T00:00:00+08:00");
  // Even from the first second of a day, that day is not counted.
  CHECK(deadline(calendar, cst(2025, 9, 30, 0), 1, kDays) == "2025-10-02T00:00:00+08:00");
  CHECK(deadline(calendar, cst(2025, 9, 30, 23, 59), 1, kDays) == "2025-10-02T00:00:00+08:00");
}

TEST_CASE("DaysAreCountedInChinaNotUtc") {
  const WeekdayCalendar calendar;
  // 00:30 on 1 October in China is still 30 September in UTC.
  CHECK(deadline(calendar, cst(2025, 10, 1, 0, 30), 1, kDays) == "2025-10-03T00:00:00+08:00");
}

TEST_CASE("WorkingDaysCountOnlyWorkingDaysFromTheNextDay") {
  const WeekdayCalendar calendar;
  CHECK(deadline(calendar, kTuesdayAfternoon, 1, kWorkingDays) == "2025-10-02T00:00:00+08:00");
  // Wednesday, Thursday, Friday.
  CHECK(deadline(calendar, kTuesdayAfternoon, 3, kWorkingDays) == "2025-10-04T00:00:00+08:00");
  // Three weeks of five days, less Tuesday itself: ends after Tuesday 21 October.
  CHECK(deadline(calendar, kTuesdayAfternoon, 15, kWorkingDays) == "2025-10-22T00:00:00+08:00");
}

TEST_CASE("WorkingDaysFromFridaySkipTheWeekend") {
  const WeekdayCalendar calendar;
  // Friday 3 October: Monday is the day counted, so the deadline is Tuesday 00:00.
  CHECK(deadline(calendar, cst(2025, 10, 3, 10), 1, kWorkingDays) == "2025-10-07T00:00:00+08:00");
  // From Saturday or Sunday the same Monday is the first day counted.
  CHECK(deadline(calendar, cst(2025, 10, 4, 10), 1, kWorkingDays) == "2025-10-07T00:00:00+08:00");
  CHECK(deadline(calendar, cst(2025, 10, 5, 23), 1, kWorkingDays) == "2025-10-07T00:00:00+08:00");
}

TEST_CASE("HolidaysAreNotCountedAsWorkingDays") {
  const WeekdayCalendar calendar({sys_days{2025y / October / 1}, sys_days{2025y / October / 2}});
  // Wednesday and Thursday are holidays, so Friday is the first working day.
  CHECK(deadline(calendar, kTuesdayAfternoon, 1, kWorkingDays) == "2025-10-04T00:00:00+08:00");
  // Calendar days ignore holidays.
  CHECK(deadline(calendar, kTuesdayAfternoon, 1, kDays) == "2025-10-02T00:00:00+08:00");
}

TEST_CASE("WorkingHoursCountOnlyOfficeHours") {
  const WeekdayCalendar calendar;
  const Timestamp ten = cst(2025, 9, 30, 10);
  // A morning used up exactly ends at noon, not after lunch.
  CHECK(deadline(calendar, ten, 2, kWorkingHours) == "2025-09-30T12:00:00+08:00");
  CHECK(deadline(calendar, ten, 3, kWorkingHours) == "2025-09-30T14:30:00+08:00");
  CHECK(deadline(calendar, cst(2025, 9, 30, 9), 7, kWorkingHours) == "2025-09-30T17:30:00+08:00");
  CHECK(deadline(calendar, cst(2025, 9, 30, 9), 8, kWorkingHours) == "2025-10-01T10:00:00+08:00");
  CHECK(deadline(calendar, cst(2025, 9, 30, 10, 30), 1, kWorkingHours) ==
        "2025-09-30T11:30:00+08:00");
}

TEST_CASE("WorkingHoursStartingOutsideOfficeHoursWaitForTheNextWindow") {
  const WeekdayCalendar calendar;
  CHECK(deadline(calendar, cst(2025, 9, 30, 7), 1, kWorkingHours) == "2025-09-30T10:00:00+08:00");
  CHECK(deadline(calendar, cst(2025, 9, 30, 12, 30), 1, kWorkingHours) ==
        "2025-09-30T14:30:00+08:00");
  // Half an hour is left at 17:00; the other half is the next morning's.
  CHECK(deadline(calendar, cst(2025, 9, 30, 17), 1, kWorkingHours) == "2025-10-01T09:30:00+08:00");
  CHECK(deadline(calendar, cst(2025, 9, 30, 22), 1, kWorkingHours) == "2025-10-01T10:00:00+08:00");
}

TEST_CASE("WorkingHoursSkipWeekends") {
  const WeekdayCalendar calendar;
  // Friday 16:00: an hour and a half on Friday, half an hour on Monday morning.
  CHECK(deadline(calendar, cst(2025, 10, 3, 16), 2, kWorkingHours) == "2025-10-06T09:30:00+08:00");
  CHECK(deadline(calendar, cst(2025, 10, 4, 10), 4, kWorkingHours) == "2025-10-06T14:30:00+08:00");
}

TEST_CASE("ZeroDurationIsDueAtOnce") {
  const WeekdayCalendar calendar;
  const Timestamp saturday_night = cst(2025, 10, 4, 22);
  for (const auto unit : {kHours, kWorkingHours, kDays, kWorkingDays}) {
    CHECK(calendar.deadline(saturday_night, Duration{0, unit}) == saturday_night);
    CHECK(calendar.deadline(saturday_night, Duration{-3, unit}) == saturday_night);
  }
}

TEST_CASE("CalendarWithoutWorkingDaysNeverFallsDue") {
  const NoWorkCalendar calendar;
  CHECK(calendar.deadline(kTuesdayAfternoon, Duration{1, kWorkingDays}) == Timestamp::max());
  CHECK(calendar.deadline(kTuesdayAfternoon, Duration{1, kWorkingHours}) == Timestamp::max());
  // Units that ignore the calendar still work.
  CHECK(deadline(calendar, kTuesdayAfternoon, 1, kDays) == "2025-10-02T00:00:00+08:00");
}

TEST_CASE("AmountsBeyondAnyParsableDurationNeverFallDue") {
  const WeekdayCalendar calendar;
  CHECK(calendar.deadline(kTuesdayAfternoon, Duration{INT64_MAX, kHours}) == Timestamp::max());
  CHECK(calendar.deadline(kTuesdayAfternoon, Duration{INT64_MAX, kWorkingDays}) ==
        Timestamp::max());
}

namespace {
std::string before(const Calendar& calendar, Timestamp due, std::int64_t amount, Duration::Unit unit) {
  return format_time(calendar.before(due, Duration{amount, unit}));
}
// The midnight closing Friday 2025-10-03: where a working-day deadline from that week ends.
const Timestamp kEndOfFriday = cst(2025, 10, 4, 0);
}  // namespace

TEST_CASE("WarningsHoursAndDaysBeforeAreSubtracted") {
  const WeekdayCalendar calendar;
  CHECK(before(calendar, kEndOfFriday, 4, kHours) == "2025-10-03T20:00:00+08:00");
  CHECK(before(calendar, kEndOfFriday, 2, kDays) == "2025-10-02T00:00:00+08:00");
}

TEST_CASE("WarningWorkingDaysBeforeStartAtMidnightOfTheLastWorkingDays") {
  const WeekdayCalendar calendar;
  CHECK(before(calendar, kEndOfFriday, 1, kWorkingDays) == "2025-10-03T00:00:00+08:00");
  CHECK(before(calendar, kEndOfFriday, 2, kWorkingDays) == "2025-10-02T00:00:00+08:00");
  // Ending at the midnight closing Monday, two working days back skips the weekend.
  CHECK(before(calendar, cst(2025, 10, 7, 0), 2, kWorkingDays) == "2025-10-03T00:00:00+08:00");
  // A holiday is not counted: Thursday off, so the second working day back is Wednesday.
  const WeekdayCalendar thursday_off({sys_days{2025y / October / 2}});
  CHECK(before(thursday_off, kEndOfFriday, 2, kWorkingDays) == "2025-10-01T00:00:00+08:00");
}

TEST_CASE("WarningWorkingHoursBeforeWalkBackThroughOfficeHours") {
  const WeekdayCalendar calendar;
  // Friday afternoon holds four working hours, so four before the end of Friday is 13:30,
  CHECK(before(calendar, kEndOfFriday, 4, kWorkingHours) == "2025-10-03T13:30:00+08:00");
  // and a fifth reaches back over lunch into the morning.
  CHECK(before(calendar, kEndOfFriday, 5, kWorkingHours) == "2025-10-03T11:00:00+08:00");
  CHECK(before(calendar, cst(2025, 10, 3, 15, 30), 1, kWorkingHours) == "2025-10-03T14:30:00+08:00");
  // From Monday 10:00 two working hours back: one on Monday, one on Friday afternoon.
  CHECK(before(calendar, cst(2025, 10, 6, 10), 2, kWorkingHours) == "2025-10-03T16:30:00+08:00");
  // Each is the inverse of deadline() where the start lies in office hours.
  const Timestamp start = cst(2025, 9, 30, 10);
  for (std::int64_t h = 1; h <= 20; ++h) {
    const Timestamp due = calendar.deadline(start, Duration{h, kWorkingHours});
    CHECK(calendar.before(due, Duration{h, kWorkingHours}) == start);
  }
}

TEST_CASE("WarningBeforeANeverDueDeadlineNeverComes") {
  const WeekdayCalendar calendar;
  CHECK(calendar.before(Timestamp::max(), Duration{1, kWorkingDays}) == Timestamp::max());
  CHECK(calendar.before(kEndOfFriday, Duration{0, kWorkingDays}) == kEndOfFriday);
  const NoWorkCalendar no_work;
  CHECK(no_work.before(kEndOfFriday, Duration{1, kWorkingHours}) == Timestamp::min());
  CHECK(no_work.before(kEndOfFriday, Duration{1, kWorkingDays}) == Timestamp::min());
}

TEST_CASE("WorkingTimeCountsOnlyOfficeHoursOnWorkingDays") {
  const WeekdayCalendar calendar({sys_days{2025y / October / 1}});
  // Tuesday 10:00 to 15:00: two hours before lunch, an hour and a half after.
  CHECK(calendar.working_time(cst(2025, 9, 30, 10), cst(2025, 9, 30, 15)) == hours{3} + minutes{30});
  // Over a night, a holiday (Wednesday) and into Thursday morning.
  CHECK(calendar.working_time(cst(2025, 9, 30, 17), cst(2025, 10, 2, 10)) == hours{1} + minutes{30});
  // A whole working week is five days of seven hours, whatever hour it starts.
  CHECK(calendar.working_time(cst(2025, 10, 6, 0), cst(2025, 10, 13, 0)) == hours{35});
  CHECK(calendar.working_time(cst(2025, 10, 4, 0), cst(2025, 10, 6, 0)) == seconds{0});
  CHECK(calendar.working_time(cst(2025, 9, 30, 15), cst(2025, 9, 30, 10)) == seconds{0});
  // Never due is not a span to walk.
  CHECK(calendar.working_time(cst(2025, 9, 30, 17), Timestamp::max()) > hours{7 * 200 * 100});
}

TEST_CASE("WorkingTimeWalkedForwardIsWhatWorkingTimeMeasures") {
  const WeekdayCalendar calendar({sys_days{2025y / October / 1}});
  CHECK(format_time(calendar.after_working_time(cst(2025, 9, 30, 17), hours{1} + minutes{30})) ==
        "2025-10-02T10:00:00+08:00");
  // Using the afternoon up exactly ends at its close, not the next morning.
  CHECK(format_time(calendar.after_working_time(cst(2025, 9, 30, 13), hours{4})) ==
        "2025-09-30T17:30:00+08:00");
  CHECK(calendar.after_working_time(cst(2025, 9, 30, 13), seconds{0}) == cst(2025, 9, 30, 13));
  for (const Timestamp from : {cst(2025, 9, 29, 8), cst(2025, 9, 30, 12, 15), cst(2025, 10, 4, 23)}) {
    for (const int minutes_of_work : {1, 90, 420, 421, 3000}) {
      const Timestamp end = calendar.after_working_time(from, minutes{minutes_of_work});
      CHECK(calendar.working_time(from, end) == minutes{minutes_of_work});
    }
  }
  const NoWorkCalendar idle;
  CHECK(idle.after_working_time(cst(2025, 9, 30, 13), hours{1}) == Timestamp::max());
}
