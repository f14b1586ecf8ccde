// Timers in the durable store: kept with the case's write, found due from a
// low-water mark without walking the fired ones, and fired after a restart.
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <future>
#include <vector>

#include "escalator/engine/engine.hpp"
#include "escalator/lifecycle/history.hpp"
#include "rocks_store.hpp"
#include "store_records.hpp"
#include "store_support.hpp"

using namespace escalator;
using namespace escalator::testing;

namespace {

Timestamp at(const char* text) { return *parse_time(text); }

// A case with one timer, as little as the store needs.
CaseWrite timed_write(const std::string& id, std::uint64_t seq, std::vector<Timestamp> at) {
  CaseWrite write = opened_write(id);
  write.events[0].seq = seq;
  write.snapshot.version = seq;
  if (seq > 1) write.events[0].payload = ev::CaseClosed{.note = "x"};
  REQUIRE(seal(write.events[0], kGenesisHash).has_value());
  for (const auto t : at) {
    write.timers.push_back(
        PendingTimer{t, false, RunningDeadline{t, id, DeadlineKind::kAccept, seq}});
  }
  return write;
}

// Deleted keys RocksDB stepped over while `read` ran.
std::uint64_t tombstones_walked(const std::function<void()>& read) {
  return counted_while(read).internal_delete_skipped_count;
}

}  // namespace

TEST_CASE("TimersAreKeptInTheStoreAndFireAfterARestartForCasesNotLoaded") {
  TempDir dir;
  auto clock = std::make_shared<ManualClock>(at("2025-11-11T09:00:00+08:00"));
  auto engine_with_clock = [&](std::shared_ptr<CaseStore> store) {
    EngineOptions options;
    options.config.limits.worker_threads = 0;
    options.clock = clock;
    options.store = std::move(store);
    return std::move(*Engine::open(std::move(options)));
  };
  std::string id;
  Timestamp accept_by;
  {
    auto store = open_durable_at(dir.path());
    auto engine = engine_with_clock(store);
    id = engine->submit(command("", "GD-1", leak_report())).get()->case_id;
    REQUIRE(engine->submit(command(id, "d", cmd::Dispatch{})).get().has_value());
    accept_by = *engine->get(id)->accept_by;
    // The case's timers after each write are the write's: accept and reply
    // now, warnings ahead of them.
    auto timers = store->timers_until(Timestamp::max());
    REQUIRE(timers.has_value());
    std::vector<DeadlineKind> kinds;
    for (const auto& t : *timers) {
      CHECK(t.deadline.case_id == id);
      if (!t.warning) kinds.push_back(t.deadline.kind);
    }
    std::sort(kinds.begin(), kinds.end());
    CHECK(kinds == std::vector<DeadlineKind>{DeadlineKind::kAccept, DeadlineKind::kReply});
  }
  auto store = open_durable_at(dir.path());
  auto engine = engine_with_clock(store);
  CHECK(engine->next_timer() <= accept_by);
  clock->set(accept_by);
  const auto fired = engine->fire_due_timers();
  // The accept deadline's timeout, for a case this engine never loaded before it fired.
  bool timed_out = false;
  for (const auto& decided : fired) {
    REQUIRE(decided.has_value());
    for (const auto& e : decided->events) {
      const auto type = event_type(e.payload);
      timed_out =
          timed_out || type == EventType::kCaseEscalated || type == EventType::kOverdueMarked;
    }
  }
  CHECK(timed_out);
  // The fired deadline's timer is gone; the next step's are there.
  auto left = store->timers_until(Timestamp::max());
  REQUIRE(left.has_value());
  for (const auto& t : *left)
    CHECK_FALSE((t.deadline.kind == DeadlineKind::kAccept && t.deadline.due == accept_by));
}

TEST_CASE("EachWriteLeavesTheStoreHoldingTheCasesTimersAndNoneOfTheOldOnes") {
  // The engine hands each write the timers the store answered its last one
  // with, so the store deletes those without reading them: none may be left.
  TempDir dir;
  auto store = open_durable_at(dir.path());
  auto engine = engine_on(store, 0);
  const auto kinds_stored = [&] {
    auto timers = store->timers_until(Timestamp::max());
    REQUIRE(timers.has_value());
    std::vector<DeadlineKind> kinds;
    for (const auto& t : *timers) kinds.push_back(t.deadline.kind);
    std::sort(kinds.begin(), kinds.end());
    return kinds;
  };
  const auto id = engine->submit(command("", "GD-1", leak_report())).get()->case_id;
  using K = DeadlineKind;
  CHECK(kinds_stored() == std::vector<K>{K::kReply, K::kReply});  // the deadline and its warning
  REQUIRE(engine->submit(command(id, "d", cmd::Dispatch{})).get().has_value());
  CHECK(kinds_stored() == std::vector<K>{K::kAccept, K::kAccept, K::kReply, K::kReply});
  REQUIRE(engine->submit(command(id, "a", cmd::Accept{})).get().has_value());
  CHECK(kinds_stored() == std::vector<K>{K::kResolve, K::kResolve, K::kReply, K::kReply});
  REQUIRE(engine->submit(command(id, "r", cmd::Reply{Outcome::kResolved, "已修复"})).get().has_value());
  CHECK(kinds_stored().empty());
}

TEST_CASE("ADamagedTimerIsReportedWithItsKey") {
  TempDir dir;
  {
    auto engine = engine_on(open_durable_at(dir.path()), 0);
    const auto id = engine->submit(command("", "GD-1", leak_report())).get()->case_id;
    REQUIRE(engine->submit(command(id, "d", cmd::Dispatch{})).get().has_value());
  }
  std::string key;
  {
    RawStore raw(dir.path());
    for (const auto& [k, v] : raw.all("timers")) {
      if (k.starts_with("t/")) key = k;
    }
    REQUIRE_FALSE(key.empty());
    REQUIRE(raw.db().Put(rocksdb::WriteOptions(), raw.family("timers"), key, "{}").ok());
  }
  auto store = open_durable_at(dir.path());
  auto due = store->timers_until(Timestamp::max());
  REQUIRE_FALSE(due.has_value());
  CHECK(due.error().code == ErrorCode::kDataLoss);
  CHECK(due.error().message.starts_with("timers/t/"));
  CHECK(due.error().message.ends_with(": field 'at' should be a string"));
  EngineOptions options;
  options.config.limits.worker_threads = 0;
  options.clock =
      std::make_shared<ManualClock>(at("2026-01-01T09:00:00+08:00"));  // every timer is due
  options.store = store;
  auto engine = std::move(*Engine::open(std::move(options)));
  const auto fired = engine->fire_due_timers();
  REQUIRE(fired.size() == 1);
  CHECK_FALSE(fired.front().has_value());
  CHECK(check_store(*store).problems.size() == 1);
}

TEST_CASE("ATimerRecordIsTheDocumentedJsonAndReadsBack") {
  const PendingTimer timer{at("2025-11-11T11:00:00+08:00"), false,
                           RunningDeadline{at("2025-11-11T11:00:00+08:00"),
                                           "370811-20251111-000001", DeadlineKind::kAccept, 2}};
  const std::string text = store_records::timer(timer);
  CHECK(text ==
        R"({"at":"2025-11-11T11:00:00+08:00","warning":false,"case_id":"370811-20251111-000001",)"
        R"("kind":"accept","due":"2025-11-11T11:00:00+08:00","case_version":2})");
  CHECK(store_records::timers({timer, timer}) == "[" + text + "," + text + "]");
  CHECK(store_records::timers({}) == "[]");
  auto back = store_records::timer_from_json(nlohmann::json::parse(text), "timers/x");
  REQUIRE(back.has_value());
  CHECK(*back == timer);
  auto damaged = store_records::timer_from_json(nlohmann::json::parse(R"({"at":1})"), "timers/x");
  REQUIRE_FALSE(damaged.has_value());
  CHECK(damaged.error().message == "timers/x: field 'at' should be a string");
}

TEST_CASE("ATimerDueBeforeTheRoundsFloorIsStoredAtIt") {
  TempDir dir;
  auto store = open_durable_at(dir.path());
  const Timestamp nine = at("2025-11-12T09:00:00+08:00");
  REQUIRE(store->append(timed_write("370811-20251111-000001", 1, {nine + std::chrono::hours{5}})));
  REQUIRE(store->begin_timer_round(nine + std::chrono::hours{1}));
  // Written after a round at 10:00 with a timer for 08:00: stored for 10:00, due at once.
  REQUIRE(store->append(timed_write("370811-20251111-000002", 1, {nine - std::chrono::hours{1}})));
  auto due = store->timers_until(nine + std::chrono::hours{1});
  REQUIRE(due.has_value());
  REQUIRE(due->size() == 1);
  CHECK(due->front().at == nine + std::chrono::hours{1});
  CHECK(due->front().deadline.due == nine - std::chrono::hours{1});
  CHECK(store->next_timer() == nine + std::chrono::hours{1});
  // The case's list holds the timer as stored, so its next write removes it.
  REQUIRE(store->append(timed_write("370811-20251111-000002", 2, {})));
  CHECK(store->timers_until(Timestamp::max())->size() == 1);
}

TEST_CASE("FindingDueTimersDoesNotWalkOverTheOnesAlreadyFired") {
  TempDir dir;
  const Timestamp nine = at("2025-11-12T09:00:00+08:00");
  const int fired = 3000;
  {
    auto store = open_durable_at(dir.path());
    for (int i = 1; i <= fired; ++i) {
      const std::string id =
          "370811-20251111-" + std::string(6 - std::to_string(i).size(), '0') + std::to_string(i);
      REQUIRE(store->append(timed_write(id, 1, {nine + std::chrono::seconds{i}})));
      REQUIRE(store->append(timed_write(id, 2, {})));  // fired: its write removed it
    }
    REQUIRE(
        store->append(timed_write("370811-20251112-000001", 1, {nine + std::chrono::hours{8}})));
    const auto scan = [&] { (void)store->timers_until(nine + std::chrono::hours{2}); };
    CHECK(tombstones_walked(scan) >= fired);  // the walk the mark saves
    REQUIRE(store->begin_timer_round(nine + std::chrono::hours{2}));
    CHECK(tombstones_walked(scan) == 0);
    CHECK(tombstones_walked([&] { CHECK(store->next_timer() == nine + std::chrono::hours{8}); }) ==
          0);
  }
  // The mark is kept in the store.
  auto store = open_durable_at(dir.path());
  CHECK(tombstones_walked([&] { CHECK(store->timers_until(Timestamp::max())->size() == 1); }) == 0);
}

TEST_CASE("AStormOfDueTimersFiresInChunksEachOnce") {
  TempDir dir;
  auto store = open_durable_at(dir.path());
  auto clock = std::make_shared<ManualClock>(at("2025-11-11T09:00:00+08:00"));
  EngineOptions options;
  options.clock = clock;
  options.store = store;
  options.config.limits.timers_at_once = 64;
  auto engine = std::move(*Engine::open(std::move(options)));
  const int cases = 64 * 2 + 50;
  std::vector<std::future<Result<Decision>>> opened;
  for (int i = 0; i < cases; ++i)
    opened.push_back(engine->submit(command("", "S-" + std::to_string(i), leak_report())));
  std::vector<std::future<Result<Decision>>> dispatched;
  for (auto& f : opened)
    dispatched.push_back(engine->submit(command(f.get()->case_id, "d", cmd::Dispatch{})));
  for (auto& f : dispatched) REQUIRE(f.get().has_value());
  // Every accept deadline (and the warning before it) has passed: one escalation each.
  clock->set(at("2025-11-13T00:00:00+08:00"));
  const auto decided = engine->fire_due_timers();
  CHECK(decided.size() == static_cast<std::size_t>(cases));
  for (const auto& d : decided) REQUIRE(d.has_value());
  // Firing again finds nothing: each timer was removed by the write it caused.
  CHECK(engine->fire_due_timers().empty());
  CHECK(engine->next_timer() > at("2025-11-13T00:00:00+08:00"));
}
