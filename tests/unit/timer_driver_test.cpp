// The timer driver fires what falls due on its own. The clock is a ManualClock:
// the test moves time, and waits (bounded) for the driver's round to report.
#include <doctest/doctest.h>

#include <condition_variable>
#include <mutex>

#include "escalator/engine/engine.hpp"
#include "escalator/engine/timer_driver.hpp"
#include "store_support.hpp"

using namespace escalator;
using namespace std::chrono_literals;

namespace {

Timestamp at(const char* text) { return *parse_time(text); }

// What the driver's rounds reported, for the test thread to wait on.
struct Rounds {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<Decision> decided;

  void add(const std::vector<Result<Decision>>& round) {
    std::lock_guard lock(mutex);
    for (const auto& d : round) {
      if (d) decided.push_back(*d);
    }
    changed.notify_all();
  }
  // Whether `count` decisions came within a generous bound; a failing test ends, never hangs.
  bool wait_for(std::size_t count) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, 20s, [&] { return decided.size() >= count; });
  }
};

struct Setup {
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(at("2025-11-11T09:00:00+08:00"));
  std::unique_ptr<Engine> engine;
  Rounds rounds;

  Setup() {
    EngineOptions options;
    options.clock = clock;
    engine = std::move(*Engine::open(std::move(options)));
  }
  std::string dispatched_case(const std::string& key) {
    const auto id = engine->submit(Command{"", key, std::nullopt, "test", testing::leak_report()}).get()->case_id;
    REQUIRE(engine->submit(Command{id, key + "-d", std::nullopt, "test", cmd::Dispatch{}}).get().has_value());
    return id;
  }
  std::unique_ptr<TimerDriver> driver() {
    TimerDriverOptions options;
    options.clock = clock;
    options.look_every = 5ms;
    options.after_round = [this](const auto& round) { rounds.add(round); };
    return std::move(*TimerDriver::start(*engine, std::move(options)));
  }
};

}  // namespace

TEST_CASE("TheDriverFiresWhatFallsDueWithoutBeingAsked") {
  Setup s;
  const auto id = s.dispatched_case("GD-1");
  auto driver = s.driver();
  // Nothing is due yet: the driver looks and leaves the case alone.
  CHECK(s.engine->get(id)->step_id == "property");

  // The property company's accept deadline (the close of the 12th) passes.
  s.clock->set(at("2025-11-13T00:00:00+08:00"));
  REQUIRE(s.rounds.wait_for(1));
  CHECK(s.engine->get(id)->step_id == "branch");
  const auto history = *s.engine->history(id);
  CHECK(event_type(history.back().payload) == EventType::kCaseEscalated);
  CHECK(history.back().actor == "timer");
  CHECK(driver->fired() == 1);
}

TEST_CASE("TheDriverFiresATimerSetAfterItStarted") {
  Setup s;
  auto driver = s.driver();
  const auto id = s.dispatched_case("GD-2");
  s.clock->set(at("2025-11-12T13:30:00+08:00"));  // four working hours before the accept deadline
  driver->wake();
  REQUIRE(s.rounds.wait_for(1));
  CHECK(s.engine->get(id)->warned.size() == 1);
}

TEST_CASE("TheDriverRefusesNoClockOrNoPace") {
  Setup s;
  TimerDriverOptions options;
  CHECK(TimerDriver::start(*s.engine, options).error().code == ErrorCode::kInvalidArgument);
  options.clock = s.clock;
  options.look_every = 0ms;
  const auto refused = TimerDriver::start(*s.engine, options);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().message.find("look_every") != std::string::npos);
}
