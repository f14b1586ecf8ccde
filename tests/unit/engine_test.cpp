#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <thread>

#include "escalator/lifecycle/history.hpp"
#include "escalator/engine/engine.hpp"
#include "escalator/org/org_directory.hpp"
#include "escalator/workflow/workflow_registry.hpp"
#include "store_support.hpp"

using namespace escalator;

namespace {

Timestamp at(const char* text) { return *parse_time(text); }

struct Harness {
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(at("2025-11-11T09:00:00+08:00"));
  std::unique_ptr<Engine> engine;

  explicit Harness(int worker_threads = 2, std::shared_ptr<Logger> logger = nullptr, Config config = {}) {
    EngineOptions options;
    options.config = std::move(config);
    options.config.limits.worker_threads = worker_threads;
    options.clock = clock;
    options.logger = std::move(logger);
    engine = std::move(*Engine::open(std::move(options)));
  }

  static cmd::Open leak() { return testing::leak_report(); }

  std::future<Result<Decision>> send(const std::string& id, const std::string& key, CommandPayload p) {
    return engine->submit(Command{id, key, std::nullopt, "test", std::move(p)});
  }
};

// Not a static: GCC 12 tries to evaluate a static vector of variants at
// compile time, which costs a minute and 9 GB to build this file.
std::vector<CommandPayload> happy_path() {
  return {
      cmd::Dispatch{}, cmd::Accept{}, cmd::Reply{Outcome::kResolved, "已修复"},
      cmd::Rate{Rating::kSatisfied, ""}, cmd::Close{""}};
}

}  // namespace

TEST_CASE("ManyThreadsTakeManyCasesToClosedWithoutLosingOrMixingAny") {
  Harness h(2);
  constexpr int kThreads = 6, kCasesEach = 40;
  std::vector<std::vector<std::string>> opened(kThreads);
  std::atomic<int> failures{0};  // doctest's assertions are not for other threads
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCasesEach; ++i) {
        const std::string key = "GD-" + std::to_string(t) + "-" + std::to_string(i);
        auto open = h.send("", key, Harness::leak()).get();
        if (!open) {
          ++failures;
          continue;
        }
        // The rest of the path without waiting: one case's commands keep their order.
        std::vector<std::future<Result<Decision>>> pending;
        int n = 0;
        for (const auto& step : happy_path()) pending.push_back(h.send(open->case_id, key + "/" + std::to_string(++n), step));
        for (auto& f : pending) failures += f.get().has_value() ? 0 : 1;
        opened[t].push_back(open->case_id);
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(failures == 0);

  std::set<std::string> ids;
  for (const auto& list : opened) ids.insert(list.begin(), list.end());
  CHECK(ids.size() == kThreads * kCasesEach);
  CHECK(h.engine->case_ids().size() == ids.size());
  for (const auto& id : ids) {
    auto k = h.engine->get(id);
    REQUIRE(k.has_value());
    CHECK(k->state == LifecycleState::kClosed);
    CHECK(k->version == 6);
  }
}

TEST_CASE("AnOpensWorkflowIsChosenOnceAtIntakeAndDecidedBy") {
  // The shipped catalog, counting how often a workflow is chosen.
  struct CountingCatalog final : WorkflowCatalog {
    std::shared_ptr<const WorkflowCatalog> real = builtin_workflows();
    mutable std::atomic<int> selected{0};
    Result<const Workflow*> select(const CaseState& opened) const override {
      ++selected;
      return real->select(opened);
    }
    Result<const Workflow*> find(const WorkflowRef& ref) const override { return real->find(ref); }
  };
  for (int threads : {0, 2}) {
    auto catalog = std::make_shared<CountingCatalog>();
    EngineOptions options;
    options.config.limits.worker_threads = threads;
    options.clock = std::make_shared<ManualClock>(at("2025-11-11T09:00:00+08:00"));
    options.workflows = catalog;
    auto engine = std::move(*Engine::open(std::move(options)));
    auto opened = engine->submit(Command{"", "GD-1", std::nullopt, "test", Harness::leak()}).get();
    REQUIRE(opened.has_value());
    CHECK(opened->events.front().workflow.id == "property-first");
    CHECK(catalog->selected == 1);
    // The same order again is the same case, and chooses nothing.
    REQUIRE(engine->submit(Command{"", "GD-1", std::nullopt, "test", Harness::leak()}).get().has_value());
    CHECK(catalog->selected == 1);
  }
}

TEST_CASE("OneExternalIdOpensOneCaseHoweverManyTimesItArrives") {
  Harness h(2);
  std::vector<std::future<Result<Decision>>> pending;
  for (int i = 0; i < 16; ++i) pending.push_back(h.send("", "GD-20251111-0001", Harness::leak()));
  std::set<std::string> ids;
  int first_decisions = 0;
  for (auto& f : pending) {
    auto d = f.get();
    REQUIRE(d.has_value());
    ids.insert(d->case_id);
    if (!d->duplicate) ++first_decisions;
    CHECK(d->events.size() == 1);
  }
  CHECK(ids.size() == 1);
  CHECK(first_decisions == 1);
  CHECK(h.engine->case_ids().size() == 1);
}

TEST_CASE("ARefusedCommandLeavesTheCaseAsItWas") {
  Harness h(0);
  const auto id = h.send("", "GD-1", Harness::leak()).get()->case_id;
  const auto before = *h.engine->get(id);
  auto refused = h.send(id, "a-1", cmd::Accept{}).get();
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == ErrorCode::kFailedPrecondition);
  CHECK(*h.engine->get(id) == before);
  // The refused key was not used up: the same key can carry the command once it is allowed.
  REQUIRE(h.send(id, "d-1", cmd::Dispatch{}).get().has_value());
  CHECK(h.send(id, "a-1", cmd::Accept{}).get().has_value());
}

TEST_CASE("ReplayingAHistoryGivesTheLiveState") {
  Harness h(0);
  const auto id = h.send("", "GD-1", Harness::leak()).get()->case_id;
  int n = 0;
  for (const auto& step : happy_path()) {
    h.clock->advance(std::chrono::hours{5});
    REQUIRE(h.send(id, "k" + std::to_string(++n), step).get().has_value());
  }
  auto replayed = replay(*h.engine->history(id));
  REQUIRE(replayed.has_value());
  CHECK(*replayed == *h.engine->get(id));
}

TEST_CASE("DueTimersFireInDeadlineOrderAndOnlyWhenDue") {
  Harness h(0);
  const auto a = h.send("", "GD-A", Harness::leak()).get()->case_id;
  REQUIRE(h.send(a, "d", cmd::Dispatch{}).get().has_value());
  h.clock->advance(std::chrono::hours{24});
  const auto b = h.send("", "GD-B", Harness::leak()).get()->case_id;
  REQUIRE(h.send(b, "d", cmd::Dispatch{}).get().has_value());

  // a's warning, four working hours before its accept deadline at the end of the 12th.
  CHECK(h.engine->next_timer() == at("2025-11-12T13:30:00+08:00"));
  CHECK(h.engine->fire_due_timers().empty());
  h.clock->set(at("2025-11-15T00:00:00+08:00"));
  // a's property step (due the 13th) and b's (the 14th); a's branch step is due the 15th.
  // The warnings before them are not raised: their deadlines have come.
  auto fired = h.engine->fire_due_timers();
  REQUIRE(fired.size() == 2);
  CHECK(fired[0]->case_id == a);
  CHECK(fired[1]->case_id == b);
  CHECK(h.engine->get(a)->step_id == "branch");
  CHECK(h.engine->get(b)->step_id == "branch");
}

TEST_CASE("LogLinesNameTheCaseButNeverTheResident") {
  std::ostringstream lines;
  auto logger = std::make_shared<JsonLinesLogger>(lines, LogLevel::kDebug);
  Harness h(0, logger);
  const auto id = h.send("", "GD-1", Harness::leak()).get()->case_id;
  (void)h.send(id, "x", cmd::Accept{}).get();
  const std::string log = lines.str();
  CHECK(log.find("\"case\":\"" + id + "\"") != std::string::npos);
  CHECK(log.find("command refused") != std::string::npos);
  for (const char* personal : {"张三", "13800000000", "楼上卫生间漏水", "3号楼2单元401"}) {
    CHECK_MESSAGE(log.find(personal) == std::string::npos, "personal data in the log: " << personal);
  }
}

TEST_CASE("AnEngineNeedsAClock") {
  auto engine = Engine::open(EngineOptions{});
  REQUIRE_FALSE(engine.has_value());
  CHECK(engine.error().message == "clock: required");
}

TEST_CASE("ARepeatedCommandReturnsItsOwnDecisionNotTheCasesLatest") {
  Harness h(0);
  const auto id = h.send("", "GD-1", Harness::leak()).get()->case_id;
  REQUIRE(h.send(id, "d", cmd::Dispatch{}).get().has_value());
  const auto first = h.send(id, "a", cmd::Accept{}).get();
  REQUIRE(h.send(id, "r", cmd::Reply{Outcome::kResolved, "好了"}).get().has_value());
  const auto again = h.send(id, "a", cmd::Accept{}).get();
  REQUIRE(again.has_value());
  CHECK(again->duplicate);
  CHECK(again->version == first->version);
  CHECK(again->state == LifecycleState::kAccepted);
  CHECK(again->events.size() == 1);
  CHECK(h.engine->get(id)->state == LifecycleState::kReplied);
}

TEST_CASE("NothingMergesIntoAWithdrawnCase") {
  Harness h(2);
  const auto a = h.send("", "GD-A", Harness::leak()).get()->case_id;
  const auto b = h.send("", "GD-B", Harness::leak()).get()->case_id;
  REQUIRE(h.send(a, "w", cmd::Withdraw{"自行解决"}).get().has_value());
  const auto m = h.send(b, "m", cmd::Merge{a}).get();
  REQUIRE_FALSE(m.has_value());
  CHECK(m.error().message == "Expected to merge case " + b + " into a case still being answered, but " + a +
                                 " is withdrawn");
  CHECK(h.engine->get(b)->state == LifecycleState::kNew);
}

namespace {

struct ThrowingDirectory final : OrgDirectory {
  std::shared_ptr<const OrgDirectory> real = sample_directory();
  Result<Location> complete(const Location&, Timestamp) const override { throw std::runtime_error("directory down"); }
  Result<std::string> holder(const Location& w, const WorkflowStep& s, Timestamp at) const override {
    return real->holder(w, s, at);
  }
  std::optional<Level> unit_level(const std::string& u, Timestamp at) const override {
    return real->unit_level(u, at);
  }
  bool has_role(Level l, const std::string& r) const override { return real->has_role(l, r); }
};

struct ThrowingLogger final : Logger {
  void log(const LogRecord&) override { throw std::runtime_error("disk full"); }
};

// A store that can be told to stop writing.
struct FlakyStore final : testing::ForwardingStore {
  bool broken = false;
  using CaseStore::commit;
  void commit(std::span<CaseWrite> writes, Done done) override {
    if (broken) return done(fail(ErrorCode::kUnavailable, "store: disk unavailable"));
    real->commit(writes, std::move(done));
  }
};

}  // namespace

TEST_CASE("ACollaboratorThatThrowsFailsTheCommandNotTheCaller") {
  for (int threads : {0, 2}) {
    EngineOptions options;
    options.config.limits.worker_threads = threads;
    options.clock = std::make_shared<ManualClock>(at("2025-11-11T09:00:00+08:00"));
    options.directory = std::make_shared<ThrowingDirectory>();
    auto engine = std::move(*Engine::open(std::move(options)));
    auto opened = engine->submit(Command{"", "GD-1", std::nullopt, "t", Harness::leak()}).get();
    REQUIRE_FALSE(opened.has_value());
    CHECK(opened.error().code == ErrorCode::kInternal);
    CHECK(opened.error().message == "Submitting open threw: directory down");
  }
}

TEST_CASE("ALoggerThatThrowsDoesNotUndoOrAbortADecision") {
  for (int threads : {0, 2}) {
    Harness h(threads, std::make_shared<ThrowingLogger>());
    auto opened = h.send("", "GD-1", Harness::leak()).get();
    REQUIRE(opened.has_value());
    CHECK(h.engine->get(opened->case_id)->state == LifecycleState::kNew);
  }
}

TEST_CASE("EveryDecisionIsInTheStoreAndAnotherEngineCarriesOnFromIt") {
  auto store = std::make_shared<FlakyStore>();
  auto clock = std::make_shared<ManualClock>(at("2025-11-11T09:00:00+08:00"));
  auto open_engine = [&] {
    EngineOptions options;
    options.config.limits.worker_threads = 0;
    options.clock = clock;
    options.store = store;
    return std::move(*Engine::open(std::move(options)));
  };
  std::string id;
  {
    auto first = open_engine();
    id = first->submit(Command{"", "GD-1", std::nullopt, "t", Harness::leak()}).get()->case_id;
    REQUIRE(first->submit(Command{id, "d", std::nullopt, "t", cmd::Dispatch{}}).get().has_value());
    store->broken = true;
    auto refused = first->submit(Command{id, "a", std::nullopt, "t", cmd::Accept{}}).get();
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == ErrorCode::kUnavailable);
    CHECK(first->get(id)->state == LifecycleState::kDispatched);  // not applied when not stored
    store->broken = false;
  }
  auto second = open_engine();
  CHECK(second->get(id)->state == LifecycleState::kDispatched);
  CHECK(second->history(id)->size() == 2);
  // The stored keys still count: a repeated dispatch is the first decision again.
  auto repeated = second->submit(Command{id, "d", std::nullopt, "t", cmd::Dispatch{}}).get();
  REQUIRE(repeated.has_value());
  CHECK(repeated->duplicate);
  // The same order number finds the stored case.
  CHECK(second->submit(Command{"", "GD-1", std::nullopt, "t", Harness::leak()}).get()->case_id == id);
  REQUIRE(second->submit(Command{id, "a", std::nullopt, "t", cmd::Accept{}}).get().has_value());
  CHECK(second->get(id)->state == LifecycleState::kAccepted);
  // Case numbers the store holds are not handed out again.
  auto next = second->submit(Command{"", "GD-2", std::nullopt, "t", Harness::leak()}).get();
  REQUIRE(next.has_value());
  CHECK(next->case_id == "370811-20251111-000002");
}

TEST_CASE("TextThatIsNotUtf8IsRefusedByField") {
  Harness h(0);
  auto open = Harness::leak();
  open.content = std::string("漏水\xff\xfe");
  auto refused = h.send("", "GD-1", open).get();
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error() == Error{ErrorCode::kInvalidArgument, "content: not valid UTF-8"});
  CHECK(h.engine->case_ids().empty());
}

TEST_CASE("AnOpenWithoutAFirstContactIsRefused") {
  Harness h(0);
  auto open = Harness::leak();
  open.first_contact = Party{};
  auto refused = h.send("", "GD-1", open).get();
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().message == "first_contact.unit: required for open");
}

TEST_CASE("AWarningIsRaisedOnceAheadOfItsDeadlineAndNotForAMovedOne") {
  Harness h(0);
  const auto id = h.send("", "GD-W", Harness::leak()).get()->case_id;
  REQUIRE(h.send(id, "d", cmd::Dispatch{}).get().has_value());
  // Accept by the end of Wednesday the 12th; the built-in workflow warns four working hours ahead.
  REQUIRE(h.engine->get(id)->accept_by == at("2025-11-13T00:00:00+08:00"));
  h.clock->set(at("2025-11-12T13:29:59+08:00"));
  CHECK(h.engine->fire_due_timers().empty());
  h.clock->set(at("2025-11-12T13:30:00+08:00"));
  auto fired = h.engine->fire_due_timers();
  REQUIRE(fired.size() == 1);
  REQUIRE(fired[0].has_value());
  REQUIRE(fired[0]->events.size() == 1);
  const auto* warning = std::get_if<ev::WarningRaised>(&fired[0]->events[0].payload);
  REQUIRE(warning != nullptr);
  CHECK(warning->kind == DeadlineKind::kAccept);
  CHECK(warning->due == at("2025-11-13T00:00:00+08:00"));
  CHECK(h.engine->get(id)->warned == std::vector<DeadlineWarning>{{DeadlineKind::kAccept, warning->due}});
  // Once raised, the next timer is the deadline itself, and firing again raises nothing.
  CHECK(h.engine->next_timer() == at("2025-11-13T00:00:00+08:00"));
  CHECK(h.engine->fire_due_timers().empty());
  // The same warning sent again, as a timer that fired twice would, is refused.
  Command again{id, "again", std::nullopt, "timer", cmd::RaiseWarning{DeadlineKind::kAccept, warning->due}};
  auto refused = h.engine->submit(std::move(again)).get();
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().message.find("not to have been warned of") != std::string::npos);
  // Escalated at the deadline, the branch's own deadline gets its own warning.
  h.clock->set(at("2025-11-13T00:00:00+08:00"));
  REQUIRE(h.engine->fire_due_timers().size() == 1);
  CHECK(h.engine->get(id)->warned.empty());
  CHECK(h.engine->get(id)->warnings == 1);
  CHECK(h.engine->next_timer() == at("2025-11-13T13:30:00+08:00"));
}

TEST_CASE("AWarningIsRefusedBeforeItsTimeAndWhereTheWorkflowSetsNone") {
  Harness h(0);
  const auto id = h.send("", "GD-E", Harness::leak()).get()->case_id;
  REQUIRE(h.send(id, "d", cmd::Dispatch{}).get().has_value());
  const Timestamp due = *h.engine->get(id)->accept_by;
  Command early{id, "early", std::nullopt, "timer", cmd::RaiseWarning{DeadlineKind::kAccept, due}};
  auto refused = h.engine->submit(std::move(early)).get();
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().message ==
        "Expected the warning for the accept deadline of case " + id +
            " to be due (2025-11-12T13:30:00+08:00), but it is 2025-11-11T09:00:00+08:00");
  // The built-in workflow warns of no rating deadline.
  Command rating{id, "rating", std::nullopt, "timer", cmd::RaiseWarning{DeadlineKind::kRating, due}};
  auto none = h.engine->submit(std::move(rating)).get();
  REQUIRE_FALSE(none.has_value());
  CHECK(none.error().message.find("not running") != std::string::npos);
}

namespace {
// Counts the cases the engine had to read back from the store.
struct CountingStore final : testing::ForwardingStore {
  mutable std::atomic<int> loads{0};
  Result<std::optional<StoredCase>> load(const std::string& id) const override {
    ++loads;
    return real->load(id);
  }
};
}  // namespace

TEST_CASE("TheEngineKeepsAtMostCachedCasesInMemoryAndReadsTheRestBack") {
  for (const int cached : {2, 100}) {
    CAPTURE(cached);
    auto store = std::make_shared<CountingStore>();
    EngineOptions options;
    options.config.limits.worker_threads = 0;
    options.config.limits.shards = 1;
    options.config.limits.cached_cases = cached;
    options.clock = std::make_shared<ManualClock>(at("2025-11-11T09:00:00+08:00"));
    options.store = store;
    auto engine = std::move(*Engine::open(std::move(options)));
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i) {
      ids.push_back(engine->submit(Command{"", "GD-" + std::to_string(i), std::nullopt, "t", Harness::leak()}).get()->case_id);
    }
    const int loads_before = store->loads;
    // The first case was used longest ago: with room for two, it was dropped and is read back.
    REQUIRE(engine->submit(Command{ids[0], "d", std::nullopt, "t", cmd::Dispatch{}}).get().has_value());
    CHECK(engine->get(ids[0])->state == LifecycleState::kDispatched);
    CHECK(engine->history(ids[0])->size() == 2);
    CHECK((store->loads > loads_before) == (cached == 2));
    // Nothing is lost by leaving memory: every case answers as stored.
    for (const auto& id : ids) CHECK(engine->get(id).has_value());
  }
}

TEST_CASE("TheEngineCountsWorkingHoursInTheConfiguredWindows") {
  Config config;
  config.working_hours = *parse_working_hours({"09:00-12:00", "14:00-18:00"});
  Harness h(0, nullptr, config);
  const auto id = h.send("", "GD-H", Harness::leak()).get()->case_id;
  REQUIRE(h.send(id, "d", cmd::Dispatch{}).get().has_value());
  // Four working hours before the end of Wednesday is 14:00 in these windows (13:30 by default).
  CHECK(h.engine->next_timer() == at("2025-11-12T14:00:00+08:00"));
}

TEST_CASE("LimitsATimerRoundCannotWorkWithAreRefusedAtOpen") {
  EngineOptions options;
  options.clock = std::make_shared<ManualClock>(at("2025-11-11T09:00:00+08:00"));
  options.config.limits.timers_at_once = 0;
  auto refused = Engine::open(options);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().message == "limits.timers_at_once: must be at least 1");
  options.config.limits.timers_at_once = 8;
  options.config.working_hours.clear();
  refused = Engine::open(options);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().message == "working_hours: none given");
}


TEST_CASE("AnEventWhoseDeadlineReachesAYearWithoutANoticeSaysItIsProvisional") {
  Harness h(0);  // the shipped calendar: notices up to 2026
  const auto known = h.send("", "GD-2025", Harness::leak()).get();
  REQUIRE(known.has_value());
  CHECK_FALSE(known->events.front().provisional);

  // Fifteen working days from 21 December 2026 reach into January 2027.
  h.clock->set(at("2026-12-21T10:00:00+08:00"));
  const auto late = h.send("", "GD-2026", Harness::leak()).get();
  REQUIRE(late.has_value());
  const Event& opened = late->events.front();
  CHECK(std::get<ev::CaseOpened>(opened.payload).reply_by > at("2027-01-01T00:00:00+08:00"));
  CHECK(opened.provisional);
  CHECK(to_json(opened).find(R"("provisional":true)") != std::string::npos);
  // Its accept deadline, the next working day, is counted on the notice.
  const auto dispatched = h.send(late->case_id, "d", cmd::Dispatch{}).get();
  REQUIRE(dispatched.has_value());
  CHECK_FALSE(dispatched->events.front().provisional);
  CHECK((*h.engine->history(late->case_id))[0].provisional);
}

TEST_CASE("TheConfiguredOrgFileIsWhatANewStoreRoutesBy") {
  const auto open_with = [](const std::filesystem::path& org_file) {
    EngineOptions options;
    options.config.org_file = org_file;
    options.clock = std::make_shared<ManualClock>(at("2025-11-11T09:00:00+08:00"));
    options.store = testing::open_durable_at(org_file.parent_path() / "store");
    return Engine::open(std::move(options));
  };
  testing::TempDir dir;
  // The sample sheet without 幸福苑's council: the engine routes by it, not by the compiled-in sample.
  std::ifstream in(std::filesystem::path(ESCALATOR_SOURCE_DIR) / "org/sample-district.csv", std::ios::binary);
  std::string sheet((std::istreambuf_iterator<char>(in)), {});
  const auto row = sheet.find("单位,xingfu-court.council,");
  REQUIRE(row != std::string::npos);
  sheet.erase(row, sheet.find('\n', row) + 1 - row);
  std::ofstream(dir.path() / "district.csv", std::ios::binary) << sheet;
  const auto engine = open_with(dir.path() / "district.csv");
  REQUIRE_MESSAGE(engine.has_value(), engine.error().message);
  CHECK((*engine)->directory()->version() == 1);
  CHECK_FALSE((*engine)->directory()->unit_level("xingfu-court.council", at("2025-11-11T09:00:00+08:00")));
  CHECK((*engine)->directory()->unit_level("xingfu-court.property", at("2025-11-11T09:00:00+08:00")));

  testing::TempDir other;
  std::ofstream(other.path() / "broken.json") << "{\"name\": \"x\"}";
  const auto refused = open_with(other.path() / "broken.json");
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == ErrorCode::kInvalidArgument);
  CHECK(refused.error().message.starts_with("org_file " + (other.path() / "broken.json").string() + " has problems:\n"));
}

TEST_CASE("AnAnsweredSubmitTellsItsCallerOnceWithWhatTheFutureWouldHold") {
  Harness h(2);
  std::mutex mutex;
  std::condition_variable told;
  std::vector<Result<Decision>> answers;
  const auto answer = [&](Result<Decision> decided) {
    std::lock_guard lock(mutex);
    answers.push_back(std::move(decided));
    told.notify_all();
  };
  const auto wait_for = [&](std::size_t n) {
    std::unique_lock lock(mutex);
    return told.wait_for(lock, std::chrono::seconds(10), [&] { return answers.size() >= n; });
  };
  h.engine->submit(Command{"", "GD-9", std::nullopt, "test", Harness::leak()}, answer);
  REQUIRE(wait_for(1));
  REQUIRE(answers[0].has_value());
  const std::string id = answers[0]->case_id;
  // A refusal by the table, a refusal at intake and a repeated key each answer once.
  h.engine->submit(Command{id, "k-close", std::nullopt, "test", cmd::Close{""}}, answer);
  h.engine->submit(Command{id, "", std::nullopt, "test", cmd::Accept{}}, answer);
  h.engine->submit(Command{"", "GD-9", std::nullopt, "test", Harness::leak()}, answer);
  REQUIRE(wait_for(4));
  CHECK(answers[1].error().code == ErrorCode::kFailedPrecondition);
  CHECK(answers[2].error().code == ErrorCode::kInvalidArgument);
  CHECK(answers[3]->duplicate);
  CHECK(answers[3]->case_id == id);
  // An answer that throws leaves the engine working.
  h.engine->submit(Command{id, "k-d", std::nullopt, "test", cmd::Dispatch{}},
                   [](Result<Decision>) { throw std::runtime_error("caller's bug"); });
  auto accepted = h.send(id, "k-a", cmd::Accept{}).get();
  CHECK(accepted.has_value());
  std::lock_guard lock(mutex);
  CHECK(answers.size() == 4);
}
