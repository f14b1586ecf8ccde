// Merging a duplicate into a primary while either case has a write with the
// store: the merge waits its turn on both cases and is written on both at once.
#include <doctest/doctest.h>

#include <chrono>
#include <mutex>
#include <set>

#include "escalator/engine/engine.hpp"
#include "store_support.hpp"

using namespace escalator;

namespace {

// Holds the writes led by chosen cases until the test lets them through, so
// that a case stays busy for as long as a test needs.
struct HeldStore final : testing::ForwardingStore {
  using CaseStore::commit;
  void commit(std::span<CaseWrite> writes, Done done) override {
    {
      std::lock_guard lock(mutex);
      if (held_cases.contains(writes.front().case_id)) {
        held.emplace_back(std::vector<CaseWrite>(writes.begin(), writes.end()), std::move(done));
        return;
      }
    }
    real->commit(writes, std::move(done));
  }
  void hold(const std::string& case_id) {
    std::lock_guard lock(mutex);
    held_cases.insert(case_id);
  }
  // Lets the case's held write through; later ones are not held.
  void let_through(const std::string& case_id) {
    std::pair<std::vector<CaseWrite>, Done> write;
    {
      std::lock_guard lock(mutex);
      held_cases.erase(case_id);
      auto it = std::find_if(held.begin(), held.end(), [&](const auto& h) { return h.first.front().case_id == case_id; });
      REQUIRE(it != held.end());
      write = std::move(*it);
      held.erase(it);
    }
    real->commit(write.first, std::move(write.second));
  }

  std::mutex mutex;
  std::set<std::string> held_cases;
  std::vector<std::pair<std::vector<CaseWrite>, Done>> held;
};

struct Setup {
  std::shared_ptr<HeldStore> store = std::make_shared<HeldStore>();
  std::unique_ptr<Engine> engine;
  Setup() {
    EngineOptions options;
    options.config.limits.worker_threads = 2;
    options.clock = std::make_shared<ManualClock>(*parse_time("2025-11-11T09:00:00+08:00"));
    options.store = store;
    engine = std::move(*Engine::open(std::move(options)));
  }
  std::string open(const std::string& key) {
    return engine->submit(Command{"", key, std::nullopt, "t", testing::leak_report()}).get()->case_id;
  }
  std::future<Result<Decision>> send(const std::string& id, const std::string& key, CommandPayload p) {
    return engine->submit(Command{id, key, std::nullopt, "t", std::move(p)});
  }
};

bool answered(std::future<Result<Decision>>& f) {
  // Not a wait for time to pass: a bound on a hang, which is the failure.
  return f.wait_for(std::chrono::seconds(20)) == std::future_status::ready;
}

bool pending(std::future<Result<Decision>>& f) { return f.wait_for(std::chrono::seconds(0)) != std::future_status::ready; }

std::vector<EventType> types(const std::vector<Event>& events) {
  std::vector<EventType> t;
  for (const auto& e : events) t.push_back(event_type(e.payload));
  return t;
}

}  // namespace

TEST_CASE("AMergeWaitsForItsPrimarysWriteAndTheDuplicatesNextCommandWaitsForTheMerge") {
  Setup s;
  const auto primary = s.open("GD-P");
  const auto duplicate = s.open("GD-D");
  s.store->hold(primary);
  auto dispatched = s.send(primary, "d", cmd::Dispatch{});
  auto merged = s.send(duplicate, "m", cmd::Merge{primary});
  auto withdrawn = s.send(duplicate, "w", cmd::Withdraw{"居民自行解决"});
  CHECK(pending(dispatched));
  CHECK(pending(merged));
  CHECK(pending(withdrawn));

  s.store->let_through(primary);
  REQUIRE(answered(dispatched));
  REQUIRE(answered(merged));
  REQUIRE(answered(withdrawn));
  REQUIRE(dispatched.get().has_value());
  const auto merge = merged.get();
  REQUIRE_MESSAGE(merge.has_value(), merge.error().message);
  CHECK(merge->state == LifecycleState::kMerged);
  const auto withdraw = withdrawn.get();
  REQUIRE_FALSE(withdraw.has_value());
  CHECK(withdraw.error().message ==
        "Expected to withdraw case " + duplicate + " in state New, Dispatched, Accepted or Suspended, but it is Merged");

  // The primary's record comes after its dispatch, on its chain.
  CHECK(types(*s.engine->history(primary)) ==
        std::vector{EventType::kCaseOpened, EventType::kCaseDispatched, EventType::kDuplicateMergedIn});
  CHECK(s.engine->get(primary)->duplicates == std::vector{duplicate});
  auto stored = s.store->load(primary);
  REQUIRE(stored.has_value());
  CHECK((*stored)->snapshot.duplicates == std::vector{duplicate});
  CHECK(testing::wholeness_problem(**stored) == "");
}

TEST_CASE("TwoMergesThatWouldWaitForEachOtherEndWithOneRefusedAndOneDone") {
  Setup s;
  const auto a = s.open("GD-A");
  const auto b = s.open("GD-B");
  s.store->hold(b);
  auto dispatched = s.send(b, "d", cmd::Dispatch{});
  // b into a waits in b's line; a into b then finds b busy and waits there
  // too, keeping a. When b's write is done, b into a would wait for a, which
  // waits for b: it is refused instead, and a into b goes ahead.
  auto b_into_a = s.send(b, "m", cmd::Merge{a});
  auto a_into_b = s.send(a, "m", cmd::Merge{b});
  CHECK(pending(b_into_a));
  CHECK(pending(a_into_b));

  s.store->let_through(b);
  REQUIRE(answered(dispatched));
  REQUIRE(answered(b_into_a));
  REQUIRE(answered(a_into_b));
  const auto refused = b_into_a.get();
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == ErrorCode::kAborted);
  CHECK(refused.error().message == "Expected case " + a + " to be free for merging case " + b +
                                       " into it, but it waits to be merged into this one; decide which case stays "
                                       "and submit again");
  const auto done = a_into_b.get();
  REQUIRE_MESSAGE(done.has_value(), done.error().message);
  CHECK(s.engine->get(a)->merged_into == b);
  CHECK(s.engine->get(b)->duplicates == std::vector{a});
  CHECK(s.engine->get(b)->state == LifecycleState::kDispatched);
}

TEST_CASE("AMergeWhoseWriteFailsLeavesBothCasesAsTheyWere") {
  Setup s;
  const auto primary = s.open("GD-P");
  const auto duplicate = s.open("GD-D");
  s.store->hold(duplicate);
  auto merged = s.send(duplicate, "m", cmd::Merge{primary});
  auto dispatched = s.send(primary, "d", cmd::Dispatch{});  // waits for the merge's write
  CHECK(pending(dispatched));
  {
    // The store refuses the held merge: as if the disk had failed.
    std::lock_guard lock(s.store->mutex);
    auto& [writes, done] = s.store->held.front();
    CHECK(writes.size() == 2);
    done(fail(ErrorCode::kUnavailable, "store: disk unavailable"));
    s.store->held.clear();
    s.store->held_cases.clear();
  }
  REQUIRE(answered(merged));
  REQUIRE(answered(dispatched));
  CHECK(merged.get().error().code == ErrorCode::kUnavailable);
  REQUIRE(dispatched.get().has_value());
  CHECK(s.engine->get(duplicate)->state == LifecycleState::kNew);
  CHECK(s.engine->get(primary)->duplicates.empty());
  CHECK(types(*s.engine->history(primary)) == std::vector{EventType::kCaseOpened, EventType::kCaseDispatched});
}

namespace {

// A primary with a duplicate merged into it, and a second report merged into
// that duplicate before: the answer has two cases to reach, one below the other.
struct MergedMatter {
  std::string primary, duplicate, below;
  explicit MergedMatter(Setup& s) : primary(s.open("GD-P")), duplicate(s.open("GD-D")), below(s.open("GD-B")) {
    REQUIRE(s.send(below, "mb", cmd::Merge{duplicate}).get().has_value());
    REQUIRE(s.send(duplicate, "md", cmd::Merge{primary}).get().has_value());
    REQUIRE(s.send(primary, "d", cmd::Dispatch{}).get().has_value());
    REQUIRE(s.send(primary, "a", cmd::Accept{}).get().has_value());
  }
};

}  // namespace

TEST_CASE("AReplyWaitsForABusyDuplicateAndReachesEveryCaseMergedBelowInOneCommit") {
  Setup s;
  const MergedMatter m(s);
  s.store->hold(m.below);
  auto erased = s.send(m.below, "e", cmd::ErasePersonalData{"居民要求删除个人信息"});
  auto replied = s.send(m.primary, "r", cmd::Reply{Outcome::kResolved, "已维修完毕"});
  auto followed = s.send(m.primary, "f", cmd::FollowUp{});  // behind the reply, on the primary
  CHECK(pending(erased));
  CHECK(pending(replied));
  CHECK(pending(followed));

  s.store->let_through(m.below);
  REQUIRE(answered(erased));
  REQUIRE(answered(replied));
  REQUIRE(answered(followed));
  REQUIRE(erased.get().has_value());
  const auto reply = replied.get();
  REQUIRE_MESSAGE(reply.has_value(), reply.error().message);
  CHECK(reply->state == LifecycleState::kReplied);
  REQUIRE(followed.get().has_value());

  for (const auto& told : {m.duplicate, m.below}) {
    CAPTURE(told);
    auto stored = s.store->load(told);
    REQUIRE((stored.has_value() && *stored));
    const auto& relayed = std::get<ev::AnswerRelayed>((*stored)->events.back().payload);
    CHECK(relayed.from == m.primary);
    CHECK(relayed.answer == "已维修完毕");
    CHECK((*stored)->events.back().idempotency_key == "r");
    CHECK((*stored)->snapshot.answer == "已维修完毕");
    CHECK(s.engine->get(told)->outcome == Outcome::kResolved);
    CHECK(testing::wholeness_problem(**stored) == "");
  }
  // Erased before it was told: the answer came after the erasure, on the chain.
  CHECK(types(*s.engine->history(m.below)).back() == EventType::kAnswerRelayed);
  CHECK(types(*s.engine->history(m.below)).end()[-2] == EventType::kPersonalDataErased);
}

TEST_CASE("AReplyWhoseWriteFailsLeavesThePrimaryAndEveryDuplicateAsTheyWere") {
  Setup s;
  const MergedMatter m(s);
  s.store->hold(m.primary);
  auto replied = s.send(m.primary, "r", cmd::Reply{Outcome::kResolved, "已维修完毕"});
  auto rated = s.send(m.duplicate, "x", cmd::Rate{Rating::kSatisfied, ""});  // waits for the reply's write
  CHECK(pending(rated));
  {
    std::lock_guard lock(s.store->mutex);
    auto& [writes, done] = s.store->held.front();
    CHECK(writes.size() == 3);  // the primary, its duplicate, and the case merged into that
    done(fail(ErrorCode::kUnavailable, "store: disk unavailable"));
    s.store->held.clear();
    s.store->held_cases.clear();
  }
  REQUIRE(answered(replied));
  REQUIRE(answered(rated));
  CHECK(replied.get().error().code == ErrorCode::kUnavailable);
  // Never told, so not asked.
  const auto refused = rated.get();
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == ErrorCode::kFailedPrecondition);
  for (const auto& id : {m.primary, m.duplicate, m.below}) {
    CAPTURE(id);
    CHECK_FALSE(s.engine->get(id)->outcome.has_value());
  }
  CHECK(s.engine->get(m.primary)->state == LifecycleState::kAccepted);
}
