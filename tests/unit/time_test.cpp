#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "escalator/util/time.hpp"

using namespace escalator;
using namespace std::chrono;

namespace {

// 2025-09-30T01:00:00Z, which is 09:00 in China.
constexpr Timestamp kNineInChina = Timestamp{sys_days{year{2025} / 9 / 30}} + hours{1};

}  // namespace

TEST_CASE("FormatTimeWritesChinaStandardTime") {
  CHECK(format_time(kNineInChina) == "2025-09-30T09:00:00+08:00");
  // 16:00 UTC is already the next day in China.
  CHECK(format_time(Timestamp{sys_days{year{2025} / 9 / 30}} + hours{16} + minutes{5} +
                    seconds{7}) == "2025-10-01T00:05:07+08:00");
  CHECK(format_time(Timestamp{}) == "1970-01-01T08:00:00+08:00");
}

TEST_CASE("FormatTimeWritesEveryFieldOfEveryInstantAsDigits") {
  // Instants a prime number of seconds apart, from the year 1 to 9999, each
  // against its fields counted out by the calendar.
  for (auto t = Timestamp{sys_days{year{1} / 1 / 1}}; t < Timestamp{sys_days{year{9999} / 12 / 31}};
       t += seconds{1'000'003} * 31) {
    const auto local = t + hours{8};
    const auto day = floor<days>(local);
    const year_month_day ymd{day};
    const hh_mm_ss hms{local - day};
    char expected[32];
    std::snprintf(expected, sizeof expected, "%04d-%02u-%02uT%02d:%02d:%02d+08:00",
                  static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                  static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
    REQUIRE(format_time(t) == expected);
    REQUIRE(parse_time(format_time(t)) == t);
  }
  CHECK(format_time(Timestamp{sys_days{year{9999} / 12 / 31}} + hours{15} + minutes{59} +
                    seconds{59}) == "9999-12-31T23:59:59+08:00");
  CHECK(format_time(Timestamp{sys_days{year{2000} / 2 / 29}} - hours{8}) ==
        "2000-02-29T00:00:00+08:00");
  // Outside four digits, the year is written as it comes.
  CHECK(format_time(Timestamp{sys_days{year{10000} / 1 / 1}}) == "10000-01-01T08:00:00+08:00");
  CHECK(format_time(Timestamp{sys_days{year{-1} / 12 / 31}}) == "-001-12-31T08:00:00+08:00");
}

TEST_CASE("ParseTimeAcceptsEveryDocumentedForm") {
  CHECK(parse_time("2025-09-30T09:00:00+08:00") == kNineInChina);
  CHECK(parse_time("2025-09-30T01:00:00Z") == kNineInChina);
  CHECK(parse_time("2025-09-30T09:00") == kNineInChina);
  CHECK(parse_time("2025-09-30 09:00") == kNineInChina);
}

TEST_CASE("ParseTimeHonoursOtherOffsetsAndSeconds") {
  CHECK(parse_time("2025-09-30T03:00:00+02:00") == kNineInChina);
  CHECK(parse_time("2025-09-29T20:30:00-04:30") == kNineInChina);
  CHECK(parse_time("2025-09-30 09:00:42") == kNineInChina + seconds{42});
}

TEST_CASE("FormattedTimeParsesBackToTheSameInstant") {
  const Timestamp t = Timestamp{sys_days{year{2024} / 2 / 29}} + hours{23} + minutes{59} +
                      seconds{59};
  CHECK(parse_time(format_time(t)) == t);
}

// Stored instants all have format_time()'s form, which parse_time() reads on
// a path of its own: it must give the same instants and refuse the same text.
TEST_CASE("TheFormTheEngineWritesReadsBackOverYearsAndRefusesWhatTheGeneralFormRefuses") {
  for (Timestamp t = Timestamp{sys_days{year{2023} / 12 / 30}}; t < Timestamp{sys_days{year{2025} / 3 / 2}};
       t += hours{7} + minutes{13} + seconds{17}) {
    CAPTURE(format_time(t));
    REQUIRE(parse_time(format_time(t)) == t);
  }
  CHECK(parse_time("2025-09-30T09:00:00+08:00") == kNineInChina);
  CHECK(parse_time("2025-02-29T09:00:00+08:00").error().message.ends_with("(there is no day 29 in 2025-02)"));
  CHECK(parse_time("2025-13-01T09:00:00+08:00").error().message.ends_with("(there is no month 13)"));
  CHECK(parse_time("2025-09-30T24:00:00+08:00").error().message.ends_with("(the hour must be 00 to 23)"));
  CHECK(parse_time("2025-09-30T09:60:00+08:00").error().message.ends_with("(the minute must be 00 to 59)"));
  CHECK(parse_time("2025-09-30T09:00:60+08:00").error().message.ends_with("(the second must be 00 to 59)"));
  CHECK_FALSE(parse_time("2025-09-3aT09:00:00+08:00").has_value());
  CHECK_FALSE(parse_time("2025-09-30T09:0/:00+08:00").has_value());
  CHECK_FALSE(parse_time("2025-09-30T09:00:00+08:0a").has_value());
}

TEST_CASE("ParseTimeRefusesMalformedTextNamingIt") {
  const auto r = parse_time("tomorrow");
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error() == Error{ErrorCode::kInvalidArgument,
                           "Expected a time like 2025-09-30T09:00:00+08:00, 2025-09-30T01:00:00Z "
                           "or 2025-09-30 09:00 (China Standard Time), but got 'tomorrow'"});
  CHECK_FALSE(parse_time("").has_value());
  CHECK_FALSE(parse_time("2025-09-30").has_value());
  CHECK_FALSE(parse_time("2025-9-30 09:00").has_value());
  CHECK_FALSE(parse_time("2025-09-30T09:00:00+0800").has_value());
  CHECK_FALSE(parse_time("2025-09-30T09:00:00+08:00 ").has_value());
  CHECK_FALSE(parse_time("2025-09-30T09:00:00.5Z").has_value());
  CHECK_FALSE(parse_time("2025-09-30X09:00").has_value());
}

TEST_CASE("ParseTimeRefusesFieldsOutOfRange") {
  CHECK(parse_time("2025-02-29 09:00").error().message ==
        "Expected a time like 2025-09-30T09:00:00+08:00, 2025-09-30T01:00:00Z or 2025-09-30 09:00 "
        "(China Standard Time), but got '2025-02-29 09:00' (there is no day 29 in 2025-02)");
  CHECK(parse_time("2025-13-01 09:00").error().message.ends_with("(there is no month 13)"));
  CHECK(parse_time("2025-00-01 09:00").error().message.ends_with("(there is no month 00)"));
  CHECK(parse_time("2025-09-00 09:00").error().message.ends_with(
      "(there is no day 00 in 2025-09)"));
  CHECK(parse_time("2025-09-30 24:00").error().message.ends_with("(the hour must be 00 to 23)"));
  CHECK(parse_time("2025-09-30 09:60").error().message.ends_with(
      "(the minute must be 00 to 59)"));
  CHECK(parse_time("2025-09-30 09:00:60").error().message.ends_with(
      "(the second must be 00 to 59)"));
  CHECK(parse_time("2025-09-30T09:00:00+24:00").error().message.ends_with(
      "(the offset is out of range)"));
  // 2024 is a leap year.
  CHECK(parse_time("2024-02-29 09:00").has_value());
}

TEST_CASE("DurationsFormatInTheirShortestReadableForm") {
  CHECK(format_duration({2, Duration::Unit::kHours}) == "2h");
  CHECK(format_duration({1, Duration::Unit::kHours}) == "1h");
  CHECK(format_duration({4, Duration::Unit::kWorkingHours}) == "4 working-hours");
  CHECK(format_duration({1, Duration::Unit::kWorkingHours}) == "1 working-hour");
  CHECK(format_duration({3, Duration::Unit::kDays}) == "3 days");
  CHECK(format_duration({1, Duration::Unit::kDays}) == "1 day");
  CHECK(format_duration({15, Duration::Unit::kWorkingDays}) == "15 working-days");
  CHECK(format_duration({1, Duration::Unit::kWorkingDays}) == "1 working-day");
}

TEST_CASE("ParseDurationAcceptsShortAndLongUnitNames") {
  CHECK(parse_duration("2h") == Duration{2, Duration::Unit::kHours});
  CHECK(parse_duration("2 hours") == Duration{2, Duration::Unit::kHours});
  CHECK(parse_duration("1 hour") == Duration{1, Duration::Unit::kHours});
  CHECK(parse_duration("4 working-hours") == Duration{4, Duration::Unit::kWorkingHours});
  CHECK(parse_duration("1 working-hour") == Duration{1, Duration::Unit::kWorkingHours});
  CHECK(parse_duration("3 days") == Duration{3, Duration::Unit::kDays});
  CHECK(parse_duration("1 day") == Duration{1, Duration::Unit::kDays});
  CHECK(parse_duration("3d") == Duration{3, Duration::Unit::kDays});
  CHECK(parse_duration("15 working-days") == Duration{15, Duration::Unit::kWorkingDays});
  CHECK(parse_duration("1 working-day") == Duration{1, Duration::Unit::kWorkingDays});
  CHECK(parse_duration("0h") == Duration{0, Duration::Unit::kHours});
  CHECK(parse_duration("  2   hours ") == Duration{2, Duration::Unit::kHours});
}

TEST_CASE("EveryFormattedDurationParsesBack") {
  for (const auto unit : {Duration::Unit::kHours, Duration::Unit::kWorkingHours,
                          Duration::Unit::kDays, Duration::Unit::kWorkingDays}) {
    for (const std::int64_t amount : {0, 1, 2, 15, 100000}) {
      const Duration d{amount, unit};
      CAPTURE(format_duration(d));
      CHECK(parse_duration(format_duration(d)) == d);
    }
  }
}

TEST_CASE("ParseDurationRefusesUnknownUnitsAndMissingAmounts") {
  CHECK(parse_duration("2 weeks").error() ==
        Error{ErrorCode::kInvalidArgument,
              "Expected a duration like 2h, 4 working-hours, 3 days or 15 working-days, but got "
              "'2 weeks'"});
  CHECK_FALSE(parse_duration("").has_value());
  CHECK_FALSE(parse_duration("hours").has_value());
  CHECK_FALSE(parse_duration("-2h").has_value());
  CHECK_FALSE(parse_duration("2").has_value());
  CHECK_FALSE(parse_duration("2 working hours").has_value());
  CHECK_FALSE(parse_duration("2.5h").has_value());
}

TEST_CASE("ParseDurationRefusesAmountsBeyondTheCap") {
  CHECK(parse_duration("100001h").error().message ==
        "Expected a duration like 2h, 4 working-hours, 3 days or 15 working-days of at most "
        "100000, but got '100001h'");
  // Digits far past int64 must not overflow on the way to the refusal.
  CHECK_FALSE(parse_duration("99999999999999999999999999 days").has_value());
}

TEST_CASE("ManualClockMovesOnlyWhenTold") {
  ManualClock clock(kNineInChina);
  CHECK(clock.now() == kNineInChina);
  clock.advance(hours{2});
  CHECK(clock.now() == kNineInChina + hours{2});
  clock.set(Timestamp{});
  CHECK(clock.now() == Timestamp{});
}

TEST_CASE("SystemClockReadsTheSystemTimeInWholeSeconds") {
  const auto before = floor<seconds>(system_clock::now());
  const Timestamp now = SystemClock{}.now();
  const auto after = floor<seconds>(system_clock::now());
  CHECK(before <= now);
  CHECK(now <= after);
}

TEST_CASE("OnlyTheInstantsAReaderCanReadBackAreWritable") {
  using namespace std::chrono;
  const Timestamp last = *parse_time("9999-12-31T23:59:59+08:00");
  CHECK(is_writable_time(last));
  CHECK(*parse_time(format_time(last)) == last);
  CHECK_FALSE(is_writable_time(last + seconds{1}));
  const Timestamp first = *parse_time("0000-01-01T00:00:00+08:00");
  CHECK(is_writable_time(first));
  CHECK(*parse_time(format_time(first)) == first);
  CHECK_FALSE(is_writable_time(first - seconds{1}));
  CHECK_FALSE(is_writable_time(Timestamp::max()));
  CHECK_FALSE(is_writable_time(Timestamp::min()));
}
