// A calendar notice imported while commands run (Engine::import_calendar,
// docs/calendar.md, "While the service runs"): every running deadline ends
// where a restart on the import would have put it, whatever commands were
// decided meanwhile, and no command is decided on a case counted on one
// calendar by another.
#include <doctest/doctest.h>

#include <thread>

#include "escalator/store/store.hpp"
#include "store_support.hpp"

using namespace escalator;
using namespace escalator::testing;

namespace {

Timestamp at(const char* text) { return *parse_time(text); }

struct Side {
  std::shared_ptr<CaseStore> store = memory_store();
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(at("2026-02-12T10:00:00+08:00"));
  std::unique_ptr<Engine> engine;

  explicit Side(int workers) { open(workers); }
  void open(int workers) {
    engine.reset();
    EngineOptions options;
    options.config.limits.worker_threads = workers;
    options.clock = clock;
    options.store = store;
    auto opened = Engine::open(std::move(options));
    REQUIRE(opened.has_value());
    engine = std::move(*opened);
  }
  std::string open_case(const std::string& key) {
    auto opened = engine->submit(command("", key, leak_report())).get();
    REQUIRE(opened.has_value());
    return opened->case_id;
  }
  void send(const std::string& id, const std::string& key, CommandPayload payload) {
    const auto decided = engine->submit(command(id, key, std::move(payload))).get();
    REQUIRE_MESSAGE(decided.has_value(), decided.error().message);
  }
  Deadlines deadlines_of(const std::string& id) const {
    const auto k = engine->get(id);
    REQUIRE(k.has_value());
    return Deadlines{k->accept_by, k->resolve_by, k->reply_by, k->rating_by, k->follow_up_by};
  }
};

bool same(const Deadlines& a, const Deadlines& b) {
  return a.accept_by == b.accept_by && a.resolve_by == b.resolve_by && a.reply_by == b.reply_by &&
         a.rating_by == b.rating_by && a.follow_up_by == b.follow_up_by;
}

// Cases opened, dispatched and accepted on 12 February: resolve deadlines in
// the Spring Festival's working days, as docs/calendar.md's example.
std::vector<std::string> accepted_cases(Side& side, int count) {
  std::vector<std::string> ids;
  for (int i = 0; i < count; ++i) {
    const auto id = side.open_case("GD-" + std::to_string(i));
    side.send(id, "d-" + std::to_string(i), cmd::Dispatch{});
    side.send(id, "a-" + std::to_string(i), cmd::Accept{});
    ids.push_back(id);
  }
  return ids;
}

}  // namespace

TEST_CASE("ACalendarImportedLiveMovesRunningDeadlinesAsARestartOnItWould") {
  Side live(2), restarted(2);
  const auto ids = accepted_cases(live, 8);
  REQUIRE(accepted_cases(restarted, 8) == ids);
  live.clock->set(at("2026-02-16T10:00:00+08:00"));
  restarted.clock->set(at("2026-02-16T10:00:00+08:00"));

  const auto imported = live.engine->import_calendar(extended_spring_festival_notice(), "2026-spring-festival-extended.json");
  REQUIRE_MESSAGE(imported.has_value(), imported.error().message);
  REQUIRE(imported->stored.has_value());
  CHECK(imported->stored->version == 1);
  CHECK(imported->recount.problems.empty());
  CHECK(imported->recount.cases_checked == 8);
  CHECK(imported->recount.cases_moved == 8);
  CHECK(*live.store->calendar_applied() == 1);
  CHECK(live.engine->calendar()->version() == imported->calendar);

  REQUIRE(restarted.store->add_calendar_import(*imported->stored));
  restarted.open(2);
  REQUIRE(restarted.engine->calendar_recount().has_value());
  for (const auto& id : ids) {
    CAPTURE(id);
    CHECK(same(live.deadlines_of(id), restarted.deadlines_of(id)));
    // The worked example of docs/calendar.md: one working day left before the 24th is the 26th.
    CHECK(live.deadlines_of(id).resolve_by == at("2026-02-27T00:00:00+08:00"));
  }
  // The same notice again changes nothing.
  const auto again = live.engine->import_calendar(extended_spring_festival_notice(), "again.json");
  REQUIRE(again.has_value());
  CHECK_FALSE(again->stored.has_value());
  CHECK(again->same_as == 1);
}

TEST_CASE("CommandsDecidedWhileACalendarIsImportedEndWhereTheyWouldAfterARestart") {
  Side live(4), restarted(2);
  const auto ids = accepted_cases(live, 24);
  REQUIRE(accepted_cases(restarted, 24) == ids);
  // Cases dispatched, not accepted: their accepts go on during the import.
  std::vector<std::string> waiting;
  for (int i = 0; i < 24; ++i) {
    const auto id = live.open_case("W-" + std::to_string(i));
    live.send(id, "wd-" + std::to_string(i), cmd::Dispatch{});
    REQUIRE(restarted.open_case("W-" + std::to_string(i)) == id);
    restarted.send(id, "wd-" + std::to_string(i), cmd::Dispatch{});
    waiting.push_back(id);
  }
  live.clock->set(at("2026-02-16T10:00:00+08:00"));
  restarted.clock->set(at("2026-02-16T10:00:00+08:00"));

  std::vector<std::thread> clients;
  std::atomic<int> refused{0};
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&, c] {
      for (std::size_t i = c; i < waiting.size(); i += 4) {
        if (!live.engine->submit(command(waiting[i], "wa-" + std::to_string(i), cmd::Accept{})).get()) ++refused;
      }
    });
  }
  const auto imported = live.engine->import_calendar(extended_spring_festival_notice(), "2026-spring-festival-extended.json");
  for (auto& client : clients) client.join();
  REQUIRE_MESSAGE(imported.has_value(), imported.error().message);
  CHECK(imported->recount.problems.empty());
  CHECK(refused == 0);

  REQUIRE(restarted.store->add_calendar_import(*imported->stored));
  restarted.open(2);
  for (std::size_t i = 0; i < waiting.size(); ++i) restarted.send(waiting[i], "wa-" + std::to_string(i), cmd::Accept{});
  for (const auto& list : {ids, waiting}) {
    for (const auto& id : list) {
      CAPTURE(id);
      CHECK(same(live.deadlines_of(id), restarted.deadlines_of(id)));
    }
  }
  // Each carried case says so once, by the calendar's key, whether its own
  // command or the recount carried it.
  for (const auto& id : waiting) {
    const auto history = live.engine->history(id);
    REQUIRE(history.has_value());
    int carries = 0;
    for (const auto& e : *history) {
      if (std::holds_alternative<ev::DeadlinesRecomputed>(e.payload)) {
        ++carries;
        CHECK(e.idempotency_key == "calendar/v1");
        CHECK(e.actor == "calendar");
      }
    }
    CHECK(carries <= 1);
  }
  // A restart after the import carries nothing again.
  live.open(2);
  CHECK_FALSE(live.engine->calendar_recount().has_value());
  for (const auto& id : ids) CHECK(same(live.deadlines_of(id), restarted.deadlines_of(id)));
}

namespace {

// A store that refuses to write one case's carry-over, as a failing disk
// would: the import's recount cannot carry it.
struct RefusingOneCarry : ForwardingStore {
  std::string refused_case;
  using CaseStore::commit;
  void commit(std::span<CaseWrite> writes, Done done) override {
    for (const auto& write : writes) {
      const bool carry = std::any_of(write.events.begin(), write.events.end(),
                                     [](const Event& e) { return e.idempotency_key.starts_with("calendar/"); });
      if (write.case_id == refused_case && carry) {
        return done(tl::unexpected(Error{ErrorCode::kUnavailable, "store: the disk refused the write"}));
      }
    }
    real->commit(writes, std::move(done));
  }
};

}  // namespace

TEST_CASE("ACaseTheImportCouldNotCarryIsCarriedByItsNextCommandAndNoOtherImportIsTakenMeanwhile") {
  Side side(2);
  auto refusing = std::make_shared<RefusingOneCarry>();
  side.store = refusing;
  side.open(2);
  const auto ids = accepted_cases(side, 3);
  side.clock->set(at("2026-02-16T10:00:00+08:00"));
  refusing->refused_case = ids[1];

  const auto imported = side.engine->import_calendar(extended_spring_festival_notice(), "extended.json");
  REQUIRE_MESSAGE(imported.has_value(), imported.error().message);
  REQUIRE(imported->recount.problems.size() == 1);
  CHECK(imported->recount.problems[0].starts_with(ids[1] + ": "));
  CHECK(imported->recount.cases_moved == 2);
  const auto carried = side.deadlines_of(ids[0]);
  CHECK_FALSE(same(side.deadlines_of(ids[1]), carried));  // still on the old calendar, as stored

  // Another import would leave the uncarried case behind it: refused, naming the first.
  const auto again = side.engine->import_calendar(extended_spring_festival_notice(), "extended.json");
  REQUIRE_FALSE(again.has_value());
  CHECK(again.error().code == ErrorCode::kFailedPrecondition);
  CHECK(again.error().message.find("calendar import 1 has cases it could not carry") != std::string::npos);

  // The case's next command carries it first, in the same write.
  refusing->refused_case.clear();
  side.send(ids[1], "urge-1", cmd::Urge{"请尽快处理"});
  CHECK(same(side.deadlines_of(ids[1]), carried));
  const auto history = side.store->load(ids[1]);
  REQUIRE(history.has_value());
  const auto& events = (*history)->events;
  REQUIRE(events.size() >= 2);
  CHECK(std::holds_alternative<ev::DeadlinesRecomputed>(events[events.size() - 2].payload));
  CHECK(events[events.size() - 2].idempotency_key == "calendar/v1");

  // Imports are taken again once the store next opens.
  side.open(2);
  const auto after = side.engine->import_calendar(extended_spring_festival_notice(), "extended.json");
  REQUIRE_MESSAGE(after.has_value(), after.error().message);
  CHECK(after->same_as == 1);
}
