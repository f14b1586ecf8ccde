// Engine::find_cases and Engine::inbox over the store's case lists.
#include <doctest/doctest.h>

#include <set>

#include "escalator/engine/engine.hpp"
#include "store_support.hpp"

using namespace escalator;
using namespace escalator::testing;

namespace {

struct Town {
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(*parse_time("2025-11-11T09:00:00+08:00"));
  std::unique_ptr<Engine> engine;
  Town() {
    EngineOptions options;
    options.clock = clock;
    engine = std::move(*Engine::open(std::move(options)));
  }
  std::string open(const std::string& key, const std::string& compound, const std::string& category) {
    auto report = leak_report();
    report.location.compound = compound;
    report.location.building.clear();
    report.category = category;
    auto decided = engine->submit(command("", key, report)).get();
    REQUIRE_MESSAGE(decided.has_value(), decided.error().message);
    return decided->case_id;
  }
  void send(const std::string& id, const std::string& key, CommandPayload p) {
    auto decided = engine->submit(command(id, key, std::move(p))).get();
    REQUIRE_MESSAGE(decided.has_value(), decided.error().message);
  }
  std::vector<std::string> found(CaseQuery q) {
    auto page = engine->find_cases(q);
    REQUIRE_MESSAGE(page.has_value(), page.error().message);
    std::vector<std::string> ids;
    for (const auto& k : page->cases) ids.push_back(k.id);
    return ids;
  }
};

}  // namespace

TEST_CASE("CasesAreFoundByEveryFieldTogetherAndByCategoryLevel") {
  Town t;
  const auto a = t.open("A", "yangguang-garden", "物业/漏水");
  const auto b = t.open("B", "yangguang-garden", "物业/电梯");
  const auto c = t.open("C", "heping-li", "市政/路灯");
  t.send(a, "a1", cmd::Dispatch{});
  CaseQuery by_place;
  by_place.compound = "yangguang-garden";
  CHECK(t.found(by_place) == std::vector<std::string>{a, b});
  by_place.state = LifecycleState::kNew;
  CHECK(t.found(by_place) == std::vector<std::string>{b});
  CaseQuery by_category;
  by_category.category = "物业";
  CHECK(t.found(by_category) == std::vector<std::string>{a, b});
  by_category.category = "物业/漏";  // a level is a whole name, not a prefix of one
  CHECK(t.found(by_category).empty());
  CaseQuery held;
  held.unit = t.engine->get(a)->lead_unit;
  held.level = Level::kCompound;
  CHECK(t.found(held) == std::vector<std::string>{a});
  CaseQuery everything;
  CHECK(t.found(everything) == std::vector<std::string>{a, b, c});
  CaseQuery not_overdue;
  not_overdue.overdue = false;
  not_overdue.channel = Channel::kHotline;
  CHECK(t.found(not_overdue).size() == 3);
}

TEST_CASE("PagesFollowTheirCursorsWithoutLosingOrRepeatingACase") {
  Town t;
  std::set<std::string> opened;
  for (int i = 0; i < 7; ++i) opened.insert(t.open("K" + std::to_string(i), "yangguang-garden", "物业/漏水"));
  CaseQuery q;
  q.category = "物业/漏水";
  q.limit = 3;
  std::vector<std::string> seen;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = t.engine->find_cases(q);
    REQUIRE(page.has_value());
    for (const auto& k : page->cases) seen.push_back(k.id);
    if (page->next_cursor.empty()) break;
    q.cursor = page->next_cursor;
  }
  CHECK(seen.size() == 7);
  CHECK(std::set<std::string>(seen.begin(), seen.end()) == opened);
  q.cursor = "state:00";  // a cursor of another list
  CHECK(t.engine->find_cases(q).error().code == ErrorCode::kInvalidArgument);
  q.cursor = "category:zz";
  CHECK(t.engine->find_cases(q).error().code == ErrorCode::kInvalidArgument);
  q.cursor.clear();
  q.limit = 0;
  CHECK(t.engine->find_cases(q).error().message.starts_with("limit: "));
  q.limit = kMaxPage + 1;
  CHECK(t.engine->find_cases(q).error().code == ErrorCode::kInvalidArgument);
}

TEST_CASE("CasesAreFoundByWhenTheyWereOpened") {
  Town t;
  const auto first = t.open("A", "yangguang-garden", "物业/漏水");
  t.clock->advance(std::chrono::hours(24));
  const auto second = t.open("B", "yangguang-garden", "物业/漏水");
  t.clock->advance(std::chrono::hours(24));
  const auto third = t.open("C", "yangguang-garden", "物业/漏水");
  CaseQuery q;
  q.opened_from = *parse_time("2025-11-12T00:00:00+08:00");
  CHECK(t.found(q) == std::vector<std::string>{second, third});
  q.opened_before = *parse_time("2025-11-13T00:00:00+08:00");
  CHECK(t.found(q) == std::vector<std::string>{second});
  q.opened_from.reset();
  CHECK(t.found(q) == std::vector<std::string>{first, second});
}

TEST_CASE("AUnitsInboxHoldsItsOpenCasesNearestDeadlineFirstWithTimeLeftAndColour") {
  Town t;
  const auto early = t.open("A", "yangguang-garden", "物业/漏水");
  t.send(early, "d", cmd::Dispatch{});
  t.clock->advance(std::chrono::hours(3));
  const auto later = t.open("B", "yangguang-garden", "物业/漏水");
  t.send(later, "d", cmd::Dispatch{});
  const auto unit = t.engine->get(early)->lead_unit;
  REQUIRE(t.engine->get(later)->lead_unit == unit);

  auto inbox = t.engine->inbox(unit);
  REQUIRE(inbox.has_value());
  REQUIRE(inbox->entries.size() == 2);
  CHECK(inbox->entries[0].state.id == early);
  CHECK(inbox->entries[1].state.id == later);
  REQUIRE(inbox->entries[0].deadline.has_value());
  CHECK(inbox->entries[0].deadline->kind == DeadlineKind::kAccept);
  CHECK(inbox->entries[0].working_time_left > std::chrono::seconds(0));
  CHECK(inbox->entries[0].colour == WarningColour::kGreen);
  CHECK(inbox->next_cursor.empty());

  // Past the accept deadline, before any timer fires: red now, with time overdue.
  t.clock->set(inbox->entries[0].deadline->due + std::chrono::hours(1));
  inbox = t.engine->inbox(unit, "", 1);
  REQUIRE(inbox.has_value());
  REQUIRE(inbox->entries.size() == 1);
  CHECK(inbox->entries[0].colour == WarningColour::kRed);
  CHECK(inbox->entries[0].working_time_left <= std::chrono::seconds(0));
  REQUIRE(!inbox->next_cursor.empty());
  auto rest = t.engine->inbox(unit, inbox->next_cursor, 1);
  REQUIRE(rest.has_value());
  REQUIRE(rest->entries.size() == 1);
  CHECK(rest->entries[0].state.id == later);

  // Signed for and closed: out of the inbox.
  int n = 0;
  for (auto& step : to_closure()) {
    if (!std::holds_alternative<cmd::Dispatch>(step)) t.send(early, "s" + std::to_string(++n), step);
  }
  inbox = t.engine->inbox(unit);
  REQUIRE(inbox.has_value());
  REQUIRE(inbox->entries.size() == 1);
  CHECK(inbox->entries[0].state.id == later);
  CHECK(t.engine->inbox("").error().code == ErrorCode::kInvalidArgument);
}
