// The counters' building blocks: a tally's bytes, the histogram's buckets and
// the percentiles read from them, and a cell's key.
#include <doctest/doctest.h>

#include "escalator/stats/cases_behind.hpp"
#include "escalator/stats/stats.hpp"
#include "escalator/store/stats_report.hpp"
#include "escalator/store/store.hpp"
#include "repeat_calls.hpp"
#include "store_support.hpp"

using namespace escalator;
using namespace escalator::stats;
using std::chrono::seconds;

TEST_CASE("ATallyRoundTripsThroughItsBytesAndAddsUpToNothing") {
  Tally t;
  t.add(index_of(Count::kReceived), 3);
  t.add(index_of(Count::kMerged), -2);
  t.add(index_of(Histogram::kResolveWorking, 99), 1'000'000'000'000);
  const auto back = Tally::decode(t.encode());
  REQUIRE(back.has_value());
  CHECK(*back == t);
  CHECK(back->get(Count::kMerged) == -2);
  Tally undo;
  undo.add(index_of(Count::kReceived), -3);
  undo.add(index_of(Count::kMerged), 2);
  undo.add(index_of(Histogram::kResolveWorking, 99), -1'000'000'000'000);
  t.add(undo);
  CHECK(t.empty());
  CHECK(t.encode().empty());
  // Bytes that are not a tally: a varint cut short, or the same index twice.
  CHECK_FALSE(Tally::decode(std::string("\x01\x82", 2)).has_value());
  CHECK_FALSE(Tally::decode(std::string("\x01\x02\x00\x02", 4)).has_value());
}

TEST_CASE("EveryTimeFallsInTheBucketWhoseBoundsHoldItAndItsMiddleIsWithinTheError") {
  CHECK(bucket_of(seconds{0}) == 0);
  CHECK(bucket_of(seconds{59}) == 0);
  CHECK(bucket_of(seconds{60}) == 1);
  CHECK(bucket_of(seconds{120}) == 5);  // 60·2^(4/4): the first second of bucket 5
  CHECK(bucket_of(seconds{119}) == 4);
  for (std::int64_t s = 60; s < 400 * 24 * 3600; s = s * 21 / 20 + 1) {
    const int b = bucket_of(seconds{s});
    INFO("time " << s << "s in bucket " << b);
    CHECK(bucket_floor(b) <= seconds{s});
    CHECK(seconds{s} < bucket_floor(b + 1));
    const double middle = static_cast<double>(bucket_middle(b).count());
    CHECK(std::abs(middle - double(s)) <= kBucketError * double(s) + 1);
  }
}

TEST_CASE("APercentileIsTheMiddleOfTheBucketHoldingItsRank") {
  Tally t;
  CHECK_FALSE(t.percentile(Histogram::kAcceptCalendar, 0.5).has_value());
  for (int hours : {1, 2, 3, 4, 100}) t.add(index_of(Histogram::kAcceptCalendar, bucket_of(seconds{hours * 3600})), 1);
  const auto median = t.percentile(Histogram::kAcceptCalendar, 0.5);
  REQUIRE(median.has_value());
  CHECK(std::abs(double(median->count()) - 3 * 3600.0) <= kBucketError * 3 * 3600);
  const auto p90 = t.percentile(Histogram::kAcceptCalendar, 0.9);
  CHECK(std::abs(double(p90->count()) - 100 * 3600.0) <= kBucketError * 100 * 3600);
  CHECK_FALSE(t.percentile(Histogram::kResolveCalendar, 0.5).has_value());
}

TEST_CASE("CellKeysSortByDimensionPeriodAndNumberBeforeGroup") {
  const CellKey a{Dimension::kUnit, Period::kDay, 20'000, "zz"};
  const CellKey b{Dimension::kUnit, Period::kDay, 20'001, "aa"};
  const CellKey c{Dimension::kUnit, Period::kMonth, 0, ""};
  CHECK(a.encode() < b.encode());
  CHECK(b.encode() < c.encode());
  CHECK(CellKey::decode(a.encode()) == a);
  CHECK_FALSE(CellKey::decode("\x09" "d0000").has_value());
  CHECK(local_day(Timestamp{seconds{16 * 3600}}) == std::chrono::sys_days{std::chrono::days{1}});  // 00:00 CST on 2 Jan 1970
  CHECK(month_number(std::chrono::sys_days{std::chrono::year{2025} / 11 / 30}) == 55 * 12 + 10);
  const CellKey y{Dimension::kUnit, Period::kYear, year_number(std::chrono::sys_days{std::chrono::year{2025} / 1 / 1}), "x"};
  CHECK(y.number == 55);
  CHECK(c.encode() < y.encode());
  CHECK(CellKey::decode(y.encode()) == y);
  CHECK(y.name() == "unit/year/2025/x");
}

// Cells that disagree on purpose show which ones a report reads.
TEST_CASE("AReportReadsWholeYearsThenWholeMonthsThenDays") {
  using std::chrono::sys_days;
  using std::chrono::year;
  const auto store = memory_store();
  const auto cell = [](Period period, std::uint32_t number, std::int64_t received) {
    Tally t;
    t.add(index_of(Count::kReceived), received);
    return std::pair{CellKey{Dimension::kAll, period, number, ""}.encode(), t};
  };
  const sys_days jan1{year{2025} / 1 / 1}, dec31{year{2025} / 12 / 31}, nov30{year{2025} / 11 / 30};
  Cells cells{cell(Period::kYear, year_number(jan1), 1000), cell(Period::kDay, day_number(dec31), 3)};
  for (unsigned m = 1; m <= 12; ++m) cells.insert(cell(Period::kMonth, month_number(sys_days{year{2025} / m / 1}), 10));
  REQUIRE(testing::replace_counters(*store, cells, Stamp{kDefinition, "test", "09:00-17:00"}).has_value());
  const auto received = [&](sys_days from, sys_days to) {
    return read_report(*store, {from, to, Dimension::kAll})->total.get(Count::kReceived);
  };
  CHECK(received(jan1, dec31) == 1000);                           // the year cell alone
  CHECK(received(jan1, nov30) == 110);                            // eleven month cells
  CHECK(received(jan1, dec31 + std::chrono::days{1}) == 1000);    // the year, and 1 January 2026 with nothing
  CHECK(received(sys_days{year{2025} / 12 / 2}, dec31) == 3);     // December in part: its days
}

// A write's counts are marks in one buffer; summed, they are the cells the
// counters add, a day's mark with its month's and its year's.
TEST_CASE("MarksSumToOneTallyPerCellAndADaysMarkCountsInItsMonthAndYear") {
  const std::chrono::sys_days nov30{std::chrono::year{2025} / 11 / 30};
  const CellKey day{Dimension::kCategory, Period::kDay, day_number(nov30), "供水"};
  const auto month = month_number(nov30), year = year_number(nov30);
  Marks marks;
  CHECK(marks.empty());
  marks.add_day_month_year(day.encode(), month, year, index_of(Count::kReceived));
  marks.add_day_month_year(day.encode(), month, year, index_of(Count::kReceived));
  marks.add(day.encode(), index_of(Histogram::kAcceptWorking, 7));
  Marks other;
  other.add(CellKey{Dimension::kAll, Period::kDay, 1, std::string(70'000, 'x')}.encode(), index_of(Count::kClosed));
  marks.add(other);

  const Cells cells = marks.summed();
  REQUIRE(cells.size() == 4);
  const Tally& on_day = cells.at(day.encode());
  CHECK(on_day.get(Count::kReceived) == 2);
  CHECK(on_day.get(index_of(Histogram::kAcceptWorking, 7)) == 1);
  CHECK(on_day.values().size() == 2);
  for (const auto& [period, number] : {std::pair{Period::kMonth, month}, std::pair{Period::kYear, year}}) {
    const CellKey whole{Dimension::kCategory, period, number, "供水"};
    INFO(whole.name());
    REQUIRE(cells.count(whole.encode()) == 1);
    CHECK(cells.at(whole.encode()).get(Count::kReceived) == 2);
    CHECK(cells.at(whole.encode()).values().size() == 1);
  }
  // A group longer than 65,535 bytes keeps all of its key.
  CHECK(cells.at(CellKey{Dimension::kAll, Period::kDay, 1, std::string(70'000, 'x')}.encode()).get(Count::kClosed) == 1);

  Cells store{{day.encode(), on_day}};
  add_marks(store, marks);
  CHECK(store.at(day.encode()).get(Count::kReceived) == 4);
  marks.clear();
  CHECK(marks.empty());
  CHECK(marks.summed().empty());
}

// A caller is the same however the phone is written; the place and the
// category are part of the digest, and a caller with neither phone nor account has none.
TEST_CASE("ACallersDigestIgnoresHowThePhoneIsWrittenButNotThePlaceOrTheCategory") {
  const Location building3{"370811", "", "", "", "yangguang-garden", "yangguang-garden-3", "3单元201"};
  const auto digests = [](std::string phone, std::string account, const Location& at, std::string category) {
    return repeat_calls::digests_of(Reporter{"", std::move(phone), std::move(account)}, at, category);
  };
  const auto plain = digests("13900001111", "", building3, "物业/漏水");
  REQUIRE(plain.size() == 1);
  CHECK(plain.front().size() == 32);
  CHECK(digests("+86 139-0000-1111", "", building3, "物业/漏水") == plain);
  CHECK(digests("8613900001111", "", building3, "物业/漏水") == plain);
  Location other_address = building3;
  other_address.address = "5单元101";  // below building level: not part of the place
  CHECK(digests("13900001111", "", other_address, "物业/漏水") == plain);
  Location building4 = building3;
  building4.building = "yangguang-garden-4";
  CHECK(digests("13900001111", "", building4, "物业/漏水") != plain);
  CHECK(digests("13900001111", "", building3, "物业/电梯") != plain);
  CHECK(digests("13900002222", "", building3, "物业/漏水") != plain);
  const auto both = digests("13900001111", "oUser", building3, "物业/漏水");
  REQUIRE(both.size() == 2);
  CHECK(both.front() == plain.front());
  CHECK(digests("", "", building3, "物业/漏水").empty());
  // An account that happens to be a phone's digits is another identity.
  CHECK(digests("", "13900001111", building3, "物业/漏水") != plain);

  const auto entry = repeat_calls::entry(plain.front(), Timestamp{seconds{1'762'131'600}}, "370811-20251103-000001");
  const auto call = repeat_calls::call_in(entry, plain.front());
  REQUIRE(call.has_value());
  CHECK(call->case_id == "370811-20251103-000001");
  CHECK(call->opened_at == Timestamp{seconds{1'762'131'600}});
  CHECK_FALSE(repeat_calls::call_in(entry, both.back()).has_value());
  CHECK(entry < repeat_calls::bound(plain.front(), Timestamp{seconds{1'762'131'600}}));
  CHECK(repeat_calls::bound(plain.front(), Timestamp{seconds{1'762'131'599}}) < entry);
}

TEST_CASE("ADayOutsideTheCalendarIsRefusedSayingWhy") {
  using escalator::stats::parse_day;
  CHECK(parse_day("2025-11-30").has_value());
  const auto november = parse_day("2025-11-31");
  REQUIRE_FALSE(november.has_value());
  CHECK(november.error().message == "'2025-11-31' is not a day: 2025-11 has 30 days");
  const auto february = parse_day("2026-02-29");
  REQUIRE_FALSE(february.has_value());
  CHECK(february.error().message == "'2026-02-29' is not a day: 2026-02 has 28 days");
  CHECK(parse_day("2025-13-01").error().message == "'2025-13-01' has no month 13");
  CHECK(parse_day("2025/11/30").error().message == "Expected a day as YYYY-MM-DD, but got '2025/11/30'");
}

// A group write's marks name each count's case, and only the day cells'
// counts (not their month and year, nor a histogram's buckets) are entries.
TEST_CASE("AGroupsMarksNameTheCaseOfEachCountAndTheIndexKeepsTheDayCellsCounts") {
  const std::uint32_t day = 20403, month = 670, year = 55;
  const auto key_of = [&](Dimension d, std::string group) { return CellKey{d, Period::kDay, day, group}.encode(); };
  Marks first, second;
  first.add_day_month_year(key_of(Dimension::kUnit, "yangguang-garden.property"), month, year, index_of(Count::kHanded));
  first.add(key_of(Dimension::kAll, ""), index_of(Histogram::kAcceptCalendar, 3));
  second.add_day_month_year(key_of(Dimension::kUnit, "yangguang-garden.property"), month, year, index_of(Count::kHanded));
  second.add(key_of(Dimension::kMeeting, "council/x"), kMeetingDayBase + 1);
  Marks group;
  group.add_of_case("370811-20251111-000001", first);
  group.add_of_case("370811-20251111-000002", second);
  group.add_of_case("370811-20251111-000003", Marks{});

  // The cells see no case mark: the sum is the two cases' marks.
  Cells both = first.summed();
  add_cells(both, second.summed());
  CHECK(group.summed() == both);
  std::vector<std::string> whose;
  group.each_of_case([&](std::string_view case_id, std::string_view, std::uint16_t) { whose.emplace_back(case_id); });
  CHECK(whose == std::vector<std::string>{"370811-20251111-000001", "370811-20251111-000001", "370811-20251111-000001",
                                          "370811-20251111-000001", "370811-20251111-000002", "370811-20251111-000002",
                                          "370811-20251111-000002", "370811-20251111-000002"});
  REQUIRE(Marks::decode(group.bytes()).has_value());
  CHECK(*Marks::decode(group.bytes()) == group);

  Behind behind;
  add_behind(behind, group);
  REQUIRE(behind.size() == 2);
  const auto entry = BehindKey::decode(behind.begin()->first);
  REQUIRE(entry.has_value());
  CHECK(*entry == BehindKey{Dimension::kUnit, "yangguang-garden.property", index_of(Count::kHanded), day,
                            "370811-20251111-000001"});
  CHECK(entry->encode() == behind.begin()->first);
  // Marks of no case are no entries.
  Behind none;
  add_behind(none, first);
  CHECK(none.empty());
  Behind one;
  add_behind(one, "370811-20251111-000002", second);
  CHECK(one.size() == 1);

  // A query holds the entries of its group, indexes and days, and reads them from the marks alike.
  const BehindQuery query{Dimension::kUnit, "yangguang-garden.property", index_of(Count::kHanded),
                          index_of(Count::kHanded), day, day};
  for (const auto& [entry, count] : behind) CHECK(query.holds(entry));
  CasesCounted from_marks;
  add_counted(from_marks, query, group);
  REQUIRE(from_marks.size() == 2);
  CHECK(from_marks.begin()->second.get(Count::kHanded) == 1);
  const BehindQuery the_day_after{query.dimension, query.group, query.first_index, query.last_index, day + 1, day + 5};
  CHECK_FALSE(the_day_after.holds(behind.begin()->first));
  CasesCounted none_after;
  add_counted(none_after, the_day_after, group);
  CHECK(none_after.empty());
  const BehindQuery another_unit{Dimension::kUnit, "yangguang-garden.branch", query.first_index, query.last_index, day, day};
  CHECK_FALSE(another_unit.holds(behind.begin()->first));
}
