// official_calendar.cpp: the State Council's notices as data, checked, and the
// deadlines counted on them. The expected days below are read from the notices
// themselves (quoted in calendars/*.json), not from the files under test.
#include "escalator/calendar/official_calendar.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace escalator {
namespace {

using namespace std::chrono;

sys_days date(const char* text) { return floor<days>(*parse_time(std::string(text) + "T00:00") + kChinaOffset); }

const OfficialCalendar& shipped() {
  const auto& calendar = shipped_calendar();
  REQUIRE(calendar != nullptr);
  return *calendar;
}

// Every day from `from` to `to` is a rest day, and the days either side are working days.
void break_is(const char* from, const char* to) {
  CAPTURE(from);
  const auto& calendar = shipped();
  CHECK(calendar.is_working_day(date(from) - days{1}));
  for (sys_days d = date(from); d <= date(to); d += days{1}) CHECK_FALSE(calendar.is_working_day(d));
  CHECK(calendar.is_working_day(date(to) + days{1}));
}

void working(std::initializer_list<const char*> dates) {
  for (const char* d : dates) {
    CAPTURE(d);
    CHECK(shipped().is_working_day(date(d)));
  }
}

}  // namespace

TEST_CASE("SpringFestivalAndNationalDayFrom2019To2026AreAsTheNoticesSay") {
  // 2019: 春节 2月4日至10日, 2月2日、3日上班; 国庆 10月1日至7日, 9月29日、10月12日上班.
  break_is("2019-02-04", "2019-02-10");
  break_is("2019-10-01", "2019-10-07");
  working({"2019-02-02", "2019-02-03", "2019-09-29", "2019-10-12"});
  // 2020: 春节 1月24日起, extended to 2月2日; the 2月1日 working Saturday fell inside the extension.
  break_is("2020-01-24", "2020-02-02");
  break_is("2020-10-01", "2020-10-08");
  working({"2020-01-19", "2020-09-27", "2020-10-10"});
  // 2021
  break_is("2021-02-11", "2021-02-17");
  break_is("2021-10-01", "2021-10-07");
  working({"2021-02-07", "2021-02-20", "2021-09-26", "2021-10-09"});
  // 2022
  break_is("2022-01-31", "2022-02-06");
  break_is("2022-10-01", "2022-10-07");
  working({"2022-01-29", "2022-01-30", "2022-10-08", "2022-10-09"});
  // 2023: 中秋、国庆 9月29日至10月6日.
  break_is("2023-01-21", "2023-01-27");
  break_is("2023-09-29", "2023-10-06");
  working({"2023-01-28", "2023-01-29", "2023-10-07", "2023-10-08"});
  // 2024: 2月9日 (除夕, a Friday) was not a holiday: the notice only encouraged leave.
  break_is("2024-02-10", "2024-02-17");
  break_is("2024-10-01", "2024-10-07");
  working({"2024-02-04", "2024-02-09", "2024-02-18", "2024-09-29", "2024-10-12"});
  // 2025: 除夕 is a holiday from this year on.
  break_is("2025-01-28", "2025-02-04");
  break_is("2025-10-01", "2025-10-08");
  working({"2025-01-26", "2025-02-08", "2025-09-28", "2025-10-11"});
  // 2026: nine days of Spring Festival.
  break_is("2026-02-15", "2026-02-23");
  break_is("2026-10-01", "2026-10-07");
  working({"2026-02-14", "2026-02-28", "2026-09-20", "2026-10-10"});
}

TEST_CASE("AmendingNoticesAreWhatTheCalendarFollows") {
  // 2019's Labour Day was changed to 5月1日至4日, with 4月28日 and 5月5日 worked.
  break_is("2019-05-01", "2019-05-04");
  working({"2019-04-28", "2019-05-05"});
  // 2015's extra day for the 70th anniversary: 9月3日至5日, 9月6日 worked.
  break_is("2015-09-03", "2015-09-05");
  working({"2015-09-06"});
  CHECK(shipped().day(date("2020-02-01")).name == "春节");
  CHECK(shipped().day(date("2026-02-14")).name == "春节调休上班");
  CHECK(shipped().day(date("2026-03-01")).name == "周末");
  CHECK(shipped().day(date("2026-03-02")).name.empty());
}

TEST_CASE("ADeadlineCountsAMovedWorkingSaturday") {
  const auto& calendar = shipped();
  const Duration three{3, Duration::Unit::kWorkingDays};
  // Friday 13 February 2026, 10:00: counting starts the next day, Saturday the 14th, a working
  // day; the break takes the 15th to the 23rd; the 24th and 25th end the count.
  CHECK(format_time(calendar.deadline(*parse_time("2026-02-13T10:00"), three)) == "2026-02-26T00:00:00+08:00");
  // On Monday-to-Friday counting the same deadline would have been Wednesday the 18th.
  CHECK(format_time(calendar.deadline(*parse_time("2026-02-12T10:00"), {2, Duration::Unit::kWorkingDays})) ==
        "2026-02-15T00:00:00+08:00");
  // Working hours run on into the Saturday morning: 16:00-17:30 on Friday, 09:00-09:30 on Saturday.
  CHECK(format_time(calendar.deadline(*parse_time("2026-02-13T16:00"), {2, Duration::Unit::kWorkingHours})) ==
        "2026-02-14T09:30:00+08:00");
  // The 2020 extension: a case on Friday 31 January waited until Monday 3 February.
  CHECK(format_time(calendar.deadline(*parse_time("2020-01-31T09:00"), {1, Duration::Unit::kWorkingDays})) ==
        "2020-02-04T00:00:00+08:00");
}

TEST_CASE("AYearWithoutANoticeIsCountedMondayToFridayAndSaysSo") {
  const auto& calendar = shipped();
  CHECK(calendar.is_provisional(date("2027-01-01")));
  CHECK_FALSE(calendar.is_provisional(date("2026-12-31")));
  CHECK_FALSE(calendar.is_provisional(date("2015-01-01")));
  CHECK(calendar.is_provisional(date("2014-12-31")));
  CHECK(calendar.is_working_day(date("2027-01-01")));  // a Friday; its notice is not out
  CHECK(calendar.day(date("2027-01-01")).provisional);
  const auto from = *parse_time("2026-12-25T10:00");
  const auto due = calendar.deadline(from, {10, Duration::Unit::kWorkingDays});
  CHECK(calendar.provisional(from, due));
  CHECK_FALSE(calendar.provisional(from, calendar.deadline(from, {3, Duration::Unit::kWorkingDays})));
  CHECK(calendar.version() == "official 2015-2026 (2025-11-04)");
}

TEST_CASE("TheShippedCalendarIsTheFilesUnderCalendars") {
  auto files = load_calendar_directory(ESCALATOR_SOURCE_DIR "/calendars");
  REQUIRE_MESSAGE(files.has_value(), files.error().message);
  const auto& from_files = **files;
  REQUIRE(from_files.years().size() == 12);
  for (int y = 2015; y <= 2026; ++y) {
    CAPTURE(y);
    CHECK(from_files.years()[static_cast<std::size_t>(y - 2015)].year == y);
    CHECK_FALSE(from_files.years()[static_cast<std::size_t>(y - 2015)].notices.empty());
  }
  for (sys_days d = date("2014-12-01"); d <= date("2026-12-31"); d += days{1}) {
    if (from_files.is_working_day(d) != shipped().is_working_day(d)) FAIL("differs on " << format_time(Timestamp{d}));
  }
}

namespace {

// A year's file with `holidays` and `working` spliced in.
std::string year_file(const std::string& holidays, const std::string& working, int year = 2026) {
  return "{\n  \"year\": " + std::to_string(year) +
         ",\n  \"notices\": [{\"title\": \"通知\", \"date\": \"2025-11-04\"}],\n  \"holidays\": [\n" + holidays +
         "\n  ],\n  \"working_days\": [\n" + working + "\n  ]\n}\n";
}

std::string refusal(const std::string& text) {
  auto parsed = parse_calendar_year(text, "x.json");
  REQUIRE_FALSE(parsed.has_value());
  CHECK(parsed.error().code == ErrorCode::kInvalidArgument);
  return parsed.error().message;
}

const std::string kSpring = R"(    {"name": "春节", "from": "2026-02-15", "to": "2026-02-23"})";

}  // namespace

TEST_CASE("EveryKindOfBadCalendarFileIsRefusedNamingTheDate") {
  CHECK(parse_calendar_year(year_file(kSpring, R"(    {"date": "2026-02-14", "for": "春节"})"), "x.json"));

  CHECK(refusal(year_file(kSpring + ",\n" + R"(    {"name": "元宵", "from": "2026-02-23", "to": "2026-02-23"})", "")) ==
        "x.json:6: /holidays/1: 2026-02-23 is listed twice: a day of 春节 and a day of 元宵");
  CHECK(refusal(year_file(kSpring, R"(    {"date": "2026-02-15", "for": "春节"})")) ==
        "x.json:8: /working_days/0/date: 2026-02-15 is both a holiday (春节) and a moved working day");
  CHECK(refusal(year_file(kSpring, R"(    {"date": "2026-02-14", "for": "春节"},
    {"date": "2026-02-14", "for": "春节"})")) ==
        "x.json:9: /working_days/1/date: 2026-02-14 is listed twice: a working day for 春节 and a working day "
        "for 春节");
  CHECK(refusal(year_file("", "")) ==
        "x.json:4: /holidays: the year 2026 has no holidays; every notice names some, so the file is incomplete");
  CHECK(refusal(year_file(kSpring, R"(    {"date": "2026-02-13", "for": "春节"})")) ==
        "x.json:8: /working_days/0/date: 2026-02-13 is a weekday, a working day already; a moved working day is a "
        "Saturday or Sunday");
  CHECK(refusal(year_file(R"(    {"name": "春节", "from": "2026-02-30", "to": "2026-03-01"})", "")) ==
        "x.json:5: /holidays/0/from: there is no such day as 2026-02-30");
  CHECK(refusal(year_file(R"(    {"name": "春节", "from": "2027-02-01", "to": "2027-02-02"})", ""))
            .starts_with("x.json:5: /holidays/0/from: 2027-02-01 is outside 2026"));
  CHECK(refusal(year_file(R"(    {"name": "春节", "from": "2026-02-23", "to": "2026-02-15"})", "")) ==
        "x.json:5: /holidays/0/to: the break ends on 2026-02-15, before it begins on 2026-02-23");
  CHECK(refusal(year_file(R"(    {"name": "春节", "from": "2026-2-15", "to": "2026-02-23"})", ""))
            .starts_with("x.json:5: /holidays/0/from: "));
  CHECK(refusal(R"({"year": 2026, "holidays": [], "working_days": []})").find("notices") != std::string::npos);
  CHECK(refusal("{\"year\": 2026,").starts_with("x.json: invalid JSON"));
  // Every problem is reported, not only the first.
  const auto both = refusal(year_file(R"(    {"name": "春节", "from": "2026-02-30", "to": "2026-02-15"})",
                                      R"(    {"date": "2026-02-13", "for": "春节"})"));
  CHECK(both.find("2026-02-30") != std::string::npos);
  CHECK(both.find("2026-02-13 is a weekday") != std::string::npos);
}

TEST_CASE("YearsThatDisagreeCannotBeLoadedTogether") {
  auto y2019 = parse_calendar_year(year_file(R"(    {"name": "元旦", "from": "2018-12-30", "to": "2019-01-01"})", "", 2019), "2019.json");
  auto y2018 = parse_calendar_year(year_file(R"(    {"name": "圣诞", "from": "2018-12-30", "to": "2018-12-30"})", "", 2018), "2018.json");
  REQUIRE(y2019);
  REQUIRE(y2018);
  auto clash = OfficialCalendar::from_years({*y2018, *y2019});
  REQUIRE_FALSE(clash.has_value());
  CHECK(clash.error().message == "2018-12-30 is decided by the files of both 2018 and 2019");
  auto twice = OfficialCalendar::from_years({*y2019, *y2019});
  REQUIRE_FALSE(twice.has_value());
  CHECK(twice.error().message == "two files for the year 2019");
}

}  // namespace escalator
