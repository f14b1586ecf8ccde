// A calendar imported into a store after cases' deadlines were set: the engine
// that opens the store counts on it, and recomputes the running deadlines once,
// as events, also when a crash interrupted it.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "escalator/lifecycle/history.hpp"
#include "escalator/engine/engine.hpp"
#include "escalator/calendar/official_calendar.hpp"
#include "escalator/calendar/calendar.hpp"
#include "store_support.hpp"

using namespace escalator;

namespace {

Timestamp at(const char* text) { return *parse_time(text); }

struct Site {
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(at("2026-02-12T10:00:00+08:00"));
  std::shared_ptr<CaseStore> store = memory_store();

  std::unique_ptr<Engine> open() {
    EngineOptions options;
    options.clock = clock;
    options.store = store;
    auto opened = Engine::open(std::move(options));
    REQUIRE_MESSAGE(opened.has_value(), opened.error().message);
    return std::move(*opened);
  }
  Decision send(Engine& engine, const std::string& id, const std::string& key, CommandPayload p) {
    auto decided = engine.submit(Command{id, key, std::nullopt, "test", std::move(p)}).get();
    REQUIRE_MESSAGE(decided.has_value(), decided.error().message);
    return *decided;
  }
  void import_extension() {
    REQUIRE(store->add_calendar_import(CalendarImport{1, clock->now(), "2026-spring-festival-extended.json",
                                                      escalator::testing::extended_spring_festival_notice()}));
  }
};

int recomputations(const std::vector<Event>& history) {
  int n = 0;
  for (const auto& e : history) n += event_type(e.payload) == EventType::kDeadlinesRecomputed;
  return n;
}

}  // namespace

TEST_CASE("AnImportedNoticeMovesRunningDeadlinesByTheDaysItTakesAway") {
  Site site;
  std::string id;
  {
    auto engine = site.open();
    CHECK_FALSE(engine->calendar_recount().has_value());
    id = site.send(*engine, "", "GD-1", testing::leak_report()).case_id;
    site.send(*engine, id, "d", cmd::Dispatch{});
    site.send(*engine, id, "a", cmd::Accept{});
    // On the shipped notice: Friday 13th, the working Saturday 14th, then Tuesday 24th.
    CHECK(engine->get(id)->resolve_by == at("2026-02-25T00:00:00+08:00"));
    CHECK(engine->get(id)->reply_by == at("2026-03-12T00:00:00+08:00"));
  }
  // During the break, the break is extended to the 25th.
  site.clock->set(at("2026-02-16T10:00:00+08:00"));
  site.import_extension();
  auto engine = site.open();
  CHECK(engine->calendar()->version() == "official 2015-2026 (2026-02-15) + import 1");
  REQUIRE(engine->calendar_recount().has_value());
  const CalendarRecount& recount = *engine->calendar_recount();
  CHECK(recount.version == 1);
  CHECK(recount.cases_checked == 1);
  CHECK(recount.cases_moved == 1);
  CHECK(recount.problems.empty());
  CHECK(*site.store->calendar_applied() == 1);

  // One working day was left of each, Tuesday 24th; it is now Thursday 26th.
  const CaseState k = *engine->get(id);
  CHECK(k.resolve_by == at("2026-02-27T00:00:00+08:00"));
  CHECK(k.reply_by == at("2026-03-14T00:00:00+08:00"));
  const Event last = engine->history(id)->back();
  const auto& recomputed = std::get<ev::DeadlinesRecomputed>(last.payload);
  CHECK(recomputed.calendar == engine->calendar()->version());
  CHECK(last.actor == "calendar");
  CHECK(last.idempotency_key == "calendar/v1");
  CHECK(*replay(*engine->history(id)) == k);
  // The timers follow: nothing falls due on the 25th now.
  CHECK(engine->next_timer() > at("2026-02-25T00:00:00+08:00"));

  // New deadlines are counted on the import too.
  const auto second = site.send(*engine, "", "GD-2", testing::leak_report()).case_id;
  CHECK(engine->get(second)->reply_by == at("2026-03-18T00:00:00+08:00"));
}

TEST_CASE("ARecomputationInterruptedBeforeItWasRecordedDecidesNothingTwice") {
  Site site;
  std::string id;
  {
    auto engine = site.open();
    id = site.send(*engine, "", "GD-1", testing::leak_report()).case_id;
    site.send(*engine, id, "d", cmd::Dispatch{});
    site.send(*engine, id, "a", cmd::Accept{});
  }
  site.clock->set(at("2026-02-16T10:00:00+08:00"));
  site.import_extension();
  { auto engine = site.open(); }
  // As if the process died after the case's event and before "applied" was written.
  REQUIRE(site.store->set_calendar_applied(0));
  auto engine = site.open();
  REQUIRE(engine->calendar_recount().has_value());
  CHECK(engine->calendar_recount()->problems.empty());
  CHECK(recomputations(*engine->history(id)) == 1);
  CHECK(engine->get(id)->resolve_by == at("2026-02-27T00:00:00+08:00"));
  CHECK(*site.store->calendar_applied() == 1);
  // And once recorded, the next open has nothing to do.
  engine.reset();
  CHECK_FALSE(site.open()->calendar_recount().has_value());
}

TEST_CASE("CasesWhoseDeadlinesTheImportDoesNotReachAreLeftAlone") {
  Site site;
  site.clock->set(at("2026-03-02T10:00:00+08:00"));  // after the break either way
  std::string id;
  {
    auto engine = site.open();
    id = site.send(*engine, "", "GD-1", testing::leak_report()).case_id;
  }
  site.import_extension();
  auto engine = site.open();
  CHECK(engine->calendar_recount()->cases_checked == 1);
  CHECK(engine->calendar_recount()->cases_moved == 0);
  CHECK(recomputations(*engine->history(id)) == 0);
}

TEST_CASE("ImportsNeedTheOfficialCalendar") {
  Site site;
  site.import_extension();
  EngineOptions options;
  options.clock = site.clock;
  options.store = site.store;
  options.calendar = weekday_calendar();
  const auto refused = Engine::open(std::move(options));
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == ErrorCode::kFailedPrecondition);
  CHECK(refused.error().message.find("1 calendar import(s)") != std::string::npos);
}

TEST_CASE("ImportsAreNumberedInOrder") {
  Site site;
  const CalendarImport skipping{2, site.clock->now(), "x.json", escalator::testing::extended_spring_festival_notice()};
  const auto refused = site.store->add_calendar_import(skipping);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().message == "calendar import 2: the next version is 1");
}
