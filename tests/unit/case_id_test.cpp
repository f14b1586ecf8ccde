#include <doctest/doctest.h>

#include "case_id.hpp"

using namespace escalator;

TEST_CASE("IdsCountUpWithinADistrictAndDayAndRestartTheNextDay") {
  CaseIdAllocator ids;
  const auto evening = *parse_time("2025-11-11T23:59:59+08:00");
  CHECK(*ids.next("370811", evening) == "370811-20251111-000001");
  CHECK(*ids.next("370811", evening) == "370811-20251111-000002");
  CHECK(*ids.next("370802", evening) == "370802-20251111-000001");
  // 16:00 UTC on the 11th is already the 12th in China Standard Time.
  CHECK(*ids.next("370811", *parse_time("2025-11-11T16:00:00Z")) == "370811-20251112-000001");
  CHECK(*ids.next("370811", evening) == "370811-20251111-000003");
}

TEST_CASE("MalformedDistrictCodeIsRefusedByName") {
  CaseIdAllocator ids;
  auto bad = ids.next("3708", *parse_time("2025-11-11T09:00:00+08:00"));
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().code == ErrorCode::kInvalidArgument);
  CHECK(bad.error().message ==
        "location.district_code: expected a 6-digit administrative division code, but got '3708'");
}

TEST_CASE("CaseIdShapeIsChecked") {
  CHECK(is_case_id("370811-20250930-000017"));
  CHECK_FALSE(is_case_id("370811-20250930-00017"));
  CHECK_FALSE(is_case_id("370811_20250930_000017"));
  CHECK_FALSE(is_case_id("37081a-20250930-000017"));
  CHECK_FALSE(is_case_id("C-17"));
}

TEST_CASE("ADistrictDayHasNoMoreThan999999Cases") {
  CaseIdAllocator ids;
  const auto t = *parse_time("2025-11-11T09:00:00+08:00");
  std::string last;
  for (int i = 0; i < 999999; ++i) last = *ids.next("370811", t);
  CHECK(last == "370811-20251111-999999");
  auto exhausted = ids.next("370811", t);
  REQUIRE_FALSE(exhausted.has_value());
  CHECK(exhausted.error().code == ErrorCode::kUnavailable);
}

TEST_CASE("NumberingGoesOnAfterTheLastStoredCaseOfEachDistrictAndDay") {
  std::vector<std::string> asked;
  CaseIdAllocator ids([&](std::string_view prefix) -> Result<std::optional<std::string>> {
    asked.emplace_back(prefix);
    if (prefix == "370811-20251111") return std::optional<std::string>{"370811-20251111-000041"};
    return std::optional<std::string>{};
  });
  const auto t = *parse_time("2025-11-11T09:00:00+08:00");
  CHECK(*ids.next("370811", t) == "370811-20251111-000042");
  CHECK(*ids.next("370811", t) == "370811-20251111-000043");
  CHECK(*ids.next("370802", t) == "370802-20251111-000001");
  // The store is asked once per district and day, not once per number.
  CHECK(asked == std::vector<std::string>{"370811-20251111", "370802-20251111"});
}

TEST_CASE("WhenTheStoreCannotSayTheLastNumberNoNumberIsGiven") {
  const auto t = *parse_time("2025-11-11T09:00:00+08:00");
  CaseIdAllocator unreadable([](std::string_view) -> Result<std::optional<std::string>> {
    return fail(ErrorCode::kUnavailable, "store: disk gone");
  });
  auto refused = unreadable.next("370811", t);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().message == "store: disk gone");

  CaseIdAllocator damaged([](std::string_view) -> Result<std::optional<std::string>> {
    return std::optional<std::string>{"370811-20251111-00x041"};
  });
  auto data_loss = damaged.next("370811", t);
  REQUIRE_FALSE(data_loss.has_value());
  CHECK(data_loss.error().code == ErrorCode::kDataLoss);
  CHECK(data_loss.error().message == "cases/370811-20251111-00x041: not a case id of 370811-20251111");
}
