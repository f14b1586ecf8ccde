// The durable store: what is acknowledged is on disk, and what is on disk is
// whole, or reported with its key.
#include <doctest/doctest.h>

#include <set>
#include <future>
#include <atomic>

#include <map>
#include <mutex>
#include <thread>

#include "escalator/engine/engine.hpp"
#include "escalator/lifecycle/history.hpp"
#include "forgetful_fs.hpp"
#include "rocks_store.hpp"
#include "store_layout.hpp"
#include "store_support.hpp"

using namespace escalator;
using namespace escalator::testing;

namespace {

// Acknowledged versions per case, as clients saw them.
struct Oracle {
  std::mutex mutex;
  std::map<std::string, std::uint64_t> acknowledged;
  void saw(const Decision& d) {
    std::lock_guard lock(mutex);
    auto& v = acknowledged[d.case_id];
    v = std::max(v, d.version);
  }
};

// `clients` threads each take one case from Open to Closed, one command at a
// time, telling the oracle of every acknowledgement.
void run_clients(Engine& engine, int clients, Oracle& oracle, const std::string& tag) {
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      const std::string order = tag + "-" + std::to_string(c);
      auto opened = engine.submit(command("", order, leak_report())).get();
      if (!opened) return;
      oracle.saw(*opened);
      int n = 0;
      for (auto& step : to_closure()) {
        auto done = engine.submit(command(opened->case_id, order + "/" + std::to_string(++n), step)).get();
        if (!done) return;
        oracle.saw(*done);
      }
    });
  }
  for (auto& t : threads) t.join();
}

}  // namespace

TEST_CASE("CasesInADurableStoreOutliveTheEngineThatWroteThem") {
  TempDir dir;
  std::string id;
  {
    auto engine = engine_on(open_durable_at(dir.path()));
    id = engine->submit(command("", "GD-1", leak_report())).get()->case_id;
    REQUIRE(engine->submit(command(id, "d", cmd::Dispatch{})).get().has_value());
  }
  auto store = open_durable_at(dir.path());
  auto engine = engine_on(store);
  CHECK(engine->get(id)->state == LifecycleState::kDispatched);
  CHECK(engine->history(id)->size() == 2);
  CHECK(engine->case_ids() == std::vector<std::string>{id});
  // Intake is idempotent across restarts: the same order number is the same case.
  auto again = engine->submit(command("", "GD-1", leak_report())).get();
  REQUIRE(again.has_value());
  CHECK(again->case_id == id);
  CHECK(again->duplicate);
  CHECK(engine->history(id)->size() == 2);
  // A new order gets the next number, not one the store holds.
  auto next = engine->submit(command("", "GD-2", leak_report())).get();
  REQUIRE(next.has_value());
  CHECK(next->case_id == "370811-20251111-000002");
  CHECK(store->case_of_external_id("GD-2") == next->case_id);
}

TEST_CASE("AnEventsLogPositionIsTheSameFromTheEnginesCacheAndFromTheStore") {
  TempDir dir;
  for (int workers : {0, 2}) {
    std::vector<std::shared_ptr<CaseStore>> stores{memory_store(),
                                                   open_durable_at(dir.path() / std::to_string(workers))};
    for (auto& store : stores) {
      auto engine = engine_on(store, workers);
      std::vector<std::string> ids;
      for (const char* key : {"hotline/1", "hotline/2"}) {
        auto opened = engine->submit(command("", key, leak_report())).get();
        REQUIRE(opened.has_value());
        CHECK(opened->events.front().position > 0);  // the answer itself carries it
        ids.push_back(opened->case_id);
      }
      REQUIRE(engine->submit(command(ids[0], "d", cmd::Dispatch{})).get().has_value());
      std::set<std::uint64_t> positions;
      for (const auto& id : ids) {
        const auto cached = engine->history(id);
        const auto stored = store->load(id);
        REQUIRE(cached.has_value());
        REQUIRE(stored.has_value());
        REQUIRE(stored->has_value());
        REQUIRE(cached->size() == (*stored)->events.size());
        for (std::size_t i = 0; i < cached->size(); ++i) {
          CHECK((*cached)[i].position == (*stored)->events[i].position);
          positions.insert((*cached)[i].position);
        }
      }
      // Each event its own place in the one log: 1, 2, ... in commit order.
      REQUIRE(positions.size() >= 3);
      CHECK(*positions.begin() == 1);
      CHECK(*positions.rbegin() == positions.size());
    }
  }
}

TEST_CASE("WithoutWorkerThreadsACommandThatWaitedIsDecidedWhenTheWriteBeforeItIsDone") {
  TempDir dir;
  std::vector<std::shared_ptr<CaseStore>> stores{memory_store(), open_durable_at(dir.path())};
  for (auto& store : stores) {
    auto engine = engine_on(store, 0);
    auto opened = engine->submit(command("", "hotline/1", leak_report())).get();
    REQUIRE(opened.has_value());
    // Four threads urge the one case at once, each without waiting for the
    // others: commands queue behind the write in progress and are taken up
    // where it finishes, in order, none lost.
    constexpr int kThreads = 4, kEach = 25;
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        std::vector<std::future<Result<Decision>>> pending;
        for (int i = 0; i < kEach; ++i) {
          pending.push_back(engine->submit(command(opened->case_id, "urge/" + std::to_string(t) + "/" + std::to_string(i),
                                                   cmd::Urge{"请尽快处理"})));
        }
        for (auto& f : pending) failures += f.get().has_value() ? 0 : 1;
      });
    }
    for (auto& t : threads) t.join();
    CHECK(failures == 0);
    const auto k = engine->get(opened->case_id);
    REQUIRE(k.has_value());
    CHECK(k->version == opened->version + kThreads * kEach);
    CHECK(k->urges == kThreads * kEach);
  }
}

TEST_CASE("TheLastCaseIdOfADistrictAndDayIsFoundInOneSeek") {
  TempDir dir;
  std::vector<std::shared_ptr<CaseStore>> stores{memory_store(), open_durable_at(dir.path())};
  for (auto& store : stores) {
    for (const char* id : {"370811-20251110-000900", "370811-20251111-000002", "370811-20251111-000017",
                           "370811-20251112-000001", "370812-20251111-000500"}) {
      REQUIRE(store->append(opened_write(id)).has_value());
    }
    CHECK(*store->last_case_id("370811-20251111") == "370811-20251111-000017");
    CHECK(*store->last_case_id("370811-20251110") == "370811-20251110-000900");
    CHECK(*store->last_case_id("370812-20251111") == "370812-20251111-000500");
    CHECK_FALSE(store->last_case_id("370811-20251113")->has_value());
    CHECK_FALSE(store->last_case_id("370813-20251111")->has_value());
  }
}

TEST_CASE("ARestartedEngineNumbersOnAfterTheStoredCasesOfTheDay") {
  TempDir dir;
  {
    auto engine = engine_on(open_durable_at(dir.path()));
    for (int i = 1; i <= 3; ++i) {
      REQUIRE(engine->submit(command("", "GD-" + std::to_string(i), leak_report())).get().has_value());
    }
  }
  auto engine = engine_on(open_durable_at(dir.path()));
  auto next = engine->submit(command("", "GD-4", leak_report())).get();
  REQUIRE(next.has_value());
  CHECK(next->case_id == "370811-20251111-000004");
}

TEST_CASE("AWriteThatDoesNotFollowTheStoredEventsIsRefusedAndWritesNothing") {
  TempDir dir;
  auto store = open_durable_at(dir.path());
  auto engine = engine_on(store, 0);
  const auto id = engine->submit(command("", "GD-1", leak_report())).get()->case_id;
  auto stored = store->load(id);
  REQUIRE(stored.has_value());
  CaseWrite gap{id, {(*stored)->events.front()}, (*stored)->snapshot, {}, {}};
  gap.events.front().seq = 3;
  auto refused = store->append(gap);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == ErrorCode::kFailedPrecondition);
  CHECK(refused.error().message == "Expected event 3 of case " + id + " to follow the stored events, but it does not");
  CaseWrite again{id, {(*stored)->events.front()}, (*stored)->snapshot, {}, {}};
  CHECK_FALSE(store->append(again).has_value());
  CHECK((*store->load(id))->events.size() == 1);
  CHECK(store->counters().writes == 1);
}

TEST_CASE("AStoreOfANewerFormatIsRefusedAndLeftAsItIs") {
  TempDir dir;
  const std::string newer = std::to_string(kStoreFormatVersion + 1);
  open_durable_at(dir.path());
  {
    RawStore raw(dir.path());
    REQUIRE(raw.db().Put(rocksdb::WriteOptions(), raw.family("meta"), "format_version", newer).ok());
  }
  DurableStoreOptions options;
  options.path = dir.path();
  auto refused = open_durable_store(options);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == ErrorCode::kFailedPrecondition);
  CHECK(refused.error().message == "store at " + dir.path().string() + " has format " + newer +
                                       ", but this escalator reads formats up to " +
                                       std::to_string(kStoreFormatVersion) + "; open it with a newer escalator");
  RawStore raw(dir.path());
  std::string format;
  REQUIRE(raw.db().Get(rocksdb::ReadOptions(), raw.family("meta"), "format_version", &format).ok());
  CHECK(format == newer);
}

TEST_CASE("OpeningWithoutCreatingFindsNoStoreWhereThereIsNone") {
  TempDir dir;
  DurableStoreOptions options;
  options.path = dir.path() / "nothing-here";
  options.create_if_missing = false;
  auto missing = open_durable_store(options);
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == ErrorCode::kNotFound);
  CHECK(missing.error().message == "No store at " + options.path.string());
  CHECK_FALSE(std::filesystem::exists(options.path));
}

TEST_CASE("AStoreInUseCannotBeOpenedTwice") {
  TempDir dir;
  auto first = open_durable_at(dir.path());
  DurableStoreOptions options;
  options.path = dir.path();
  auto second = open_durable_store(options);
  REQUIRE_FALSE(second.has_value());
  CHECK(second.error().code == ErrorCode::kUnavailable);
  CHECK(second.error().message.starts_with("The store at " + dir.path().string() + " is in use by another process"));
  CHECK(in_use_elsewhere(second.error()));
}

TEST_CASE("DamagedRecordsAreReportedWithTheirKeyNotSkipped") {
  TempDir dir;
  std::string id;
  {
    auto engine = engine_on(open_durable_at(dir.path()), 0);
    id = engine->submit(command("", "GD-1", leak_report())).get()->case_id;
    REQUIRE(engine->submit(command(id, "d", cmd::Dispatch{})).get().has_value());
  }
  auto load_error = [&] {
    auto store = open_durable_at(dir.path());
    auto loaded = store->load(id);
    REQUIRE_FALSE(loaded.has_value());
    CHECK(loaded.error().code == ErrorCode::kDataLoss);
    return loaded.error().message;
  };
  const std::string second = store_layout::event_key(id, 2);
  std::string original;
  {
    RawStore raw(dir.path());
    REQUIRE(raw.db().Get(rocksdb::ReadOptions(), raw.family("events"), second, &original).ok());
    REQUIRE(raw.db().Put(rocksdb::WriteOptions(), raw.family("events"), second, "{\"seq\":2").ok());
  }
  CHECK(load_error() == "events/" + id + "#2: not an event record");
  {
    RawStore raw(dir.path());
    auto changed = original;
    changed.replace(changed.find("\"CaseDispatched\""), 16, "\"CaseTeleported\"");
    REQUIRE(raw.db().Put(rocksdb::WriteOptions(), raw.family("events"), second, changed).ok());
  }
  CHECK(load_error() == "events/" + id + "#2: event type 'CaseTeleported' is unknown");
  {
    RawStore raw(dir.path());
    REQUIRE(raw.db().Put(rocksdb::WriteOptions(), raw.family("events"), second, original).ok());
    REQUIRE(raw.db().Delete(rocksdb::WriteOptions(), raw.family("events"), store_layout::event_key(id, 1)).ok());
  }
  CHECK(load_error() == "events/" + id + "#1: missing (the next stored is #2)");
  {
    RawStore raw(dir.path());
    REQUIRE(raw.db().Put(rocksdb::WriteOptions(), raw.family("cases"), id, "[]").ok());
  }
  CHECK(load_error() == "cases/" + id + ": a case snapshot should be a JSON object, found array");
}

TEST_CASE("EveryAcknowledgedCommandSurvivesAPowerCut") {
  TempDir dir;
  auto fs = std::make_shared<ForgetfulFileSystem>();
  auto env = rocksdb::NewCompositeEnv(fs);
  Oracle first_round;
  Oracle second_round;
  std::map<std::string, std::uint64_t> acknowledged;
  {
    auto engine = engine_on(open_durable_at(dir.path(), env.get()));
    run_clients(*engine, 16, first_round, "first");
    REQUIRE(first_round.acknowledged.size() == 16);
    acknowledged = first_round.acknowledged;
    // Cut the power while more commands are on their way. The oracle's lock is
    // held across the cut, so what it holds then was acknowledged before it;
    // what clients are told after the cut proves nothing.
    std::thread cutter([&] {
      for (;;) {
        std::lock_guard lock(second_round.mutex);
        if (second_round.acknowledged.size() >= 8) {
          fs->cut_power();
          acknowledged.insert(second_round.acknowledged.begin(), second_round.acknowledged.end());
          return;
        }
      }
    });
    run_clients(*engine, 16, second_round, "second");
    cutter.join();
  }
  fs->forget_unsynced();

  auto store = open_durable_at(dir.path());
  for (const auto& [id, version] : acknowledged) {
    CAPTURE(id);
    auto stored = store->load(id);
    REQUIRE_MESSAGE(stored.has_value(), stored.error().message);
    REQUIRE(stored->has_value());
    CHECK((*stored)->snapshot.version >= version);
    CHECK(wholeness_problem(**stored) == "");
  }
  // Whatever of the second round survived is whole: no batch is half there.
  for (const auto& id : store->case_ids()) {
    CAPTURE(id);
    auto stored = store->load(id);
    REQUIRE_MESSAGE(stored.has_value(), stored.error().message);
    CHECK(wholeness_problem(**stored) == "");
  }
}

TEST_CASE("GroupCommitSyncsTheLogFarLessThanOncePerCommand") {
  TempDir dir;
  auto store = open_durable_at(dir.path());
  // Opening a new store syncs its format version, and the engine's first open
  // the import of the sample directory.
  StoreCounters at_open;
  Oracle oracle;
  {
    auto engine = engine_on(store);
    at_open = store->counters();
    run_clients(*engine, 64, oracle, "GD");
  }
  REQUIRE(oracle.acknowledged.size() == 64);
  auto counters = store->counters();
  counters.wal_syncs -= at_open.wal_syncs;
  CHECK(counters.writes == 64 * 6);
  CHECK(counters.groups < counters.writes);
  CHECK(counters.wal_syncs <= counters.groups);
  MESSAGE("writes " << counters.writes << ", groups " << counters.groups << ", WAL syncs " << counters.wal_syncs);
  // Each client waits for its acknowledgement before its next command, so up
  // to 64 writes are ready whenever the committer comes back from the disk.
  CHECK(double(counters.wal_syncs) / double(counters.writes) < 0.5);
}

TEST_CASE("EachCommandLeavesOneOutboxRecordInCommitOrder") {
  TempDir dir;
  std::string id;
  {
    auto engine = engine_on(open_durable_at(dir.path()), 0);
    id = engine->submit(command("", "GD-1", leak_report())).get()->case_id;
    REQUIRE(engine->submit(command(id, "d", cmd::Dispatch{})).get().has_value());
    REQUIRE_FALSE(engine->submit(command(id, "r", cmd::Rate{Rating::kSatisfied, ""})).get().has_value());
  }
  RawStore raw(dir.path());
  const auto outbox = raw.all("outbox");
  REQUIRE(outbox.size() == 2);
  CHECK(outbox[0].first == store_layout::outbox_key(0));
  CHECK(outbox[0].second == R"({"case_id":")" + id + R"(","first_seq":1,"last_seq":1,"types":["CaseOpened"]})");
  CHECK(outbox[1].second == R"({"case_id":")" + id + R"(","first_seq":2,"last_seq":2,"types":["CaseDispatched"]})");
}

TEST_CASE("ABackupRestoresToTheStoreAsItWasAndChecksClean") {
  TempDir dir;
  const auto data = dir.path() / "data";
  const auto backups = dir.path() / "backups";
  std::string first, second;
  {
    auto engine = engine_on(open_durable_at(data), 0);
    first = engine->submit(command("", "GD-1", leak_report())).get()->case_id;
  }
  auto one = backup_store(data, backups);
  REQUIRE_MESSAGE(one.has_value(), one.error().message);
  {
    auto engine = engine_on(open_durable_at(data), 0);
    REQUIRE(engine->submit(command(first, "d", cmd::Dispatch{})).get().has_value());
    second = engine->submit(command("", "GD-2", leak_report())).get()->case_id;
  }
  auto two = backup_store(data, backups);
  REQUIRE(two.has_value());
  CHECK(two->id == one->id + 1);
  CHECK(list_backups(backups)->size() == 2);

  auto restored = restore_store(backups, dir.path() / "as-of-one", one->id);
  REQUIRE_MESSAGE(restored.has_value(), restored.error().message);
  {
    auto store = open_durable_at(dir.path() / "as-of-one");
    CHECK(store->case_ids() == std::vector<std::string>{first});
    CHECK((*store->load(first))->snapshot.state == LifecycleState::kNew);
    const auto check = check_store(*store);
    CHECK(check.cases == 1);
    CHECK(check.events == 1);
    CHECK(check.problems.empty());
  }
  REQUIRE(restore_store(backups, dir.path() / "newest").has_value());
  auto newest = open_durable_at(dir.path() / "newest");
  CHECK(newest->case_ids() == std::vector<std::string>{first, second});
  CHECK((*newest->load(first))->snapshot.state == LifecycleState::kDispatched);

  auto over = restore_store(backups, data);
  REQUIRE_FALSE(over.has_value());
  CHECK(over.error().code == ErrorCode::kFailedPrecondition);
  CHECK(open_durable_at(data)->case_ids().size() == 2);
}

TEST_CASE("TheCheckReportsEveryCaseThatIsNotWholeAndGoesOn") {
  TempDir dir;
  std::vector<std::string> ids;
  {
    auto engine = engine_on(open_durable_at(dir.path()), 0);
    for (const char* order : {"GD-1", "GD-2", "GD-3"}) {
      ids.push_back(engine->submit(command("", order, leak_report())).get()->case_id);
    }
  }
  {
    RawStore raw(dir.path());
    std::string snapshot;
    REQUIRE(raw.db().Get(rocksdb::ReadOptions(), raw.family("cases"), ids[0], &snapshot).ok());
    snapshot.replace(snapshot.find("\"urges\":0"), 9, "\"urges\":7");
    REQUIRE(raw.db().Put(rocksdb::WriteOptions(), raw.family("cases"), ids[0], snapshot).ok());
    REQUIRE(raw.db().Put(rocksdb::WriteOptions(), raw.family("events"), store_layout::event_key(ids[2], 1), "x").ok());
  }
  const auto check = check_store(*open_durable_at(dir.path()));
  CHECK(check.cases == 3);
  CHECK(check.events == 2);  // the third case's event cannot be read
  REQUIRE(check.problems.size() == 2);
  CHECK(check.problems[0] == "cases/" + ids[0] + ": the snapshot differs from the replay of its 1 events");
  CHECK(check.problems[1] == "events/" + ids[2] + "#1: not an event record");
}

namespace {

// A copy of the fixture store `name` opened: opening writes to a store.
Result<std::shared_ptr<CaseStore>> open_fixture_copy(const char* name, const std::filesystem::path& copy) {
  std::filesystem::copy(std::filesystem::path(ESCALATOR_SOURCE_DIR) / "tests/fixtures" / name, copy);
  DurableStoreOptions options;
  options.path = copy;
  options.create_if_missing = false;
  return open_durable_store(options);
}

}  // namespace

TEST_CASE("TheStoreOfFormatOneThatThisReleaseWroteStillOpensWhole") {
  TempDir dir;
  const auto copy = dir.path() / "store";
  auto store = open_fixture_copy("store-format-1", copy);
  REQUIRE_MESSAGE(store.has_value(), store.error().message);
  const auto check = check_store(**store);
  CHECK(check.cases == 12);
  CHECK(check.events == 99);
  CHECK(check.problems.empty());
  const auto first = (*store)->load("370811-20251103-000001");
  REQUIRE(first.has_value());
  CHECK((*first)->snapshot.state == LifecycleState::kClosed);
  CHECK((*first)->snapshot.category == "物业/电梯故障");
  CHECK((*first)->events.size() == 7);
  CHECK((*store)->case_of_external_id("GD-20251111-0001") == "370811-20251111-000001");
  CHECK((*(*store)->load("370811-20251111-000001"))->snapshot.state == LifecycleState::kWithdrawn);
  // The case numbers it holds are not handed out again.
  auto engine = engine_on(*store, 0);
  auto next = engine->submit(command("", "GD-NEW", leak_report())).get();
  REQUIRE(next.has_value());
  CHECK(next->case_id == "370811-20251111-000002");
  engine.reset();
  store->reset();
  // Opening it upgraded it to this release's format, so that an older escalator refuses it.
  RawStore raw(copy);
  std::string format;
  REQUIRE(raw.db().Get(rocksdb::ReadOptions(), raw.family("meta"), "format_version", &format).ok());
  CHECK(format == std::to_string(kStoreFormatVersion));
}

TEST_CASE("TheStoreOfFormatTwoThatThisReleaseWroteStillOpensWhole") {
  TempDir dir;
  auto store = open_fixture_copy("store-format-2", dir.path() / "store");
  REQUIRE_MESSAGE(store.has_value(), store.error().message);
  const auto check = check_store(**store);
  CHECK(check.cases == 12);
  CHECK(check.events == 99);
  CHECK(check.problems.empty());
  CHECK((*(*store)->load("370811-20251103-000001"))->snapshot.state == LifecycleState::kClosed);
  CHECK((*store)->case_of_external_id("GD-20251111-0001") == "370811-20251111-000001");
  // Its timers read from its low-water mark.
  auto timers = (*store)->timers_until(Timestamp::max());
  REQUIRE_MESSAGE(timers.has_value(), timers.error().message);
  auto engine = engine_on(*store, 0);
  auto next = engine->submit(command("", "GD-NEW", leak_report())).get();
  REQUIRE(next.has_value());
  CHECK(next->case_id == "370811-20251111-000002");
}
