#include <doctest/doctest.h>

#include "escalator/engine/engine.hpp"
#include "escalator/lifecycle/history.hpp"
#include "store_support.hpp"

using namespace escalator;

namespace {

Timestamp at(const char* text) { return *parse_time(text); }

// A case taken to closure, an hour between commands, on a store in memory.
struct ClosedCase {
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(at("2025-11-11T09:00:00+08:00"));
  std::shared_ptr<CaseStore> store = memory_store();
  std::string id;
  std::vector<Event> events;

  ClosedCase() {
    EngineOptions options;
    options.config.limits.worker_threads = 0;
    options.clock = clock;
    options.store = store;
    auto engine = std::move(*Engine::open(std::move(options)));
    id = engine->submit(Command{"", "GD-1", std::nullopt, "hotline", testing::leak_report()}).get()->case_id;
    int n = 0;
    for (auto& payload : testing::to_closure()) {
      clock->set(clock->now() + std::chrono::hours{1});
      REQUIRE(engine->submit(Command{id, "k" + std::to_string(++n), std::nullopt, "test", payload}).get());
    }
    events = (*store->load(id))->events;
  }
};

}  // namespace

TEST_CASE("AnEventsHashIsSha256OfThePreviousHashsBytesAndItsCanonicalBytes") {
  // Computed outside the engine: Python's hashlib.sha256(bytes(32) + b'{"a":1}').
  CHECK(chained_hash(kGenesisHash, R"({"a":1})") ==
        "b06a229070741292512e8760f470dd7a4c46ccfdf253df781d88dabe58c1ccb1");
  CHECK_FALSE(chained_hash("not hex", "{}").has_value());
}

TEST_CASE("TheEngineSealsEveryEventIntoItsCasesChainAndTheStoreGivesPositions") {
  ClosedCase c;
  REQUIRE(c.events.size() >= 5);
  CHECK(c.events.front().prev_hash == kGenesisHash);
  for (std::size_t i = 0; i < c.events.size(); ++i) {
    CHECK(c.events[i].position == i + 1);
    if (i > 0) CHECK(c.events[i].prev_hash == c.events[i - 1].hash);
    CHECK(c.events[i].hash == *chained_hash(c.events[i].prev_hash, *canonical_bytes(c.events[i])));
  }
  CHECK(chain_breaks(c.id, c.events).empty());
}

TEST_CASE("CanonicalBytesLeaveOutTheHashesAndThePositionAndSortTheMembers") {
  ClosedCase c;
  const std::string bytes = *canonical_bytes(c.events[1]);
  CHECK(bytes.starts_with(R"({"actor":"test","data":{"to":{)"));
  CHECK(bytes.find("hash\"") == std::string::npos);
  CHECK(bytes.find("position") == std::string::npos);
  CHECK(bytes.ends_with(R"("seq":2,"time":"2025-11-11T10:00:00+08:00","type":"CaseDispatched","workflow":{"id":"property-first","version":1}})"));
}

TEST_CASE("ChainBreaksNameTheEventThatWasChangedRemovedOrMoved") {
  ClosedCase c;
  SUBCASE("a changed field") {
    std::get<ev::CaseDispatched>(c.events[1].payload).to.lead_unit = "someone-else";
    const auto breaks = chain_breaks(c.id, c.events);
    REQUIRE(breaks.size() == 1);
    CHECK(breaks[0].seq == 2);
    CHECK(breaks[0].what.starts_with("hash " + c.events[1].hash.substr(0, 12) + "… does not match its bytes"));
  }
  SUBCASE("a removed event") {
    c.events.erase(c.events.begin() + 2);
    const auto breaks = chain_breaks(c.id, c.events);
    REQUIRE(breaks.size() >= 2);
    CHECK(breaks[0].seq == 3);
    CHECK(breaks[0].what == "holds event #4");
    CHECK(breaks[1].what.starts_with("prev_hash "));
  }
  SUBCASE("another case's history") {
    CHECK(chain_breaks("370811-20251111-000099", c.events).front().what ==
          "opens case " + c.id + ", not 370811-20251111-000099");
  }
}

TEST_CASE("ReplayUntilAMomentAppliesTheEventsThatHadHappenedByThen") {
  ClosedCase c;
  for (std::size_t n = 1; n <= c.events.size(); ++n) {
    const std::vector<Event> prefix(c.events.begin(), c.events.begin() + static_cast<long>(n));
    const auto then = replay_until(c.events, c.events[n - 1].time + std::chrono::minutes{59});
    REQUIRE(then.has_value());
    CHECK(*then == *replay(prefix));
  }
  CHECK(replay_until(c.events, c.events.front().time - std::chrono::seconds{1}).error().code == ErrorCode::kNotFound);
}
