#include "bench_timers.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "escalator/engine/engine.hpp"
#include "escalator/store/store.hpp"

namespace escalator::tools::bench_parts {
namespace {

using Clock = BenchClock;

// One client opening and dispatching new cases, one command at a time, until
// `more` says stop (and at least `least` commands); the latency of each.
std::vector<double> client(Engine& engine, const std::string& tag, int least, const std::atomic<bool>& more,
                           Tally& tally) {
  std::vector<double> latencies;
  for (int i = 0; i < least || more.load(); ++i) {
    const auto sent = Clock::now();
    auto opened = engine.submit(Command{"", tag + std::to_string(i), std::nullopt, "bench", lifecycle_step(i, 0)}).get();
    latencies.push_back(std::chrono::duration<double, std::micro>(Clock::now() - sent).count());
    if (!opened) {
      tally.refuse(opened.error());
      break;
    }
    const auto again = Clock::now();
    auto dispatched = engine.submit(Command{opened->case_id, "d", std::nullopt, "bench", cmd::Dispatch{}}).get();
    latencies.push_back(std::chrono::duration<double, std::micro>(Clock::now() - again).count());
    if (!dispatched) {
      tally.refuse(dispatched.error());
      break;
    }
  }
  return latencies;
}

}  // namespace

TimerStorm timer_storm_run(const std::filesystem::path& dir, int timers, Tally& tally) {
  TimerStorm storm;
  storm.timers = timers;
  const auto path = dir / "timers";
  std::filesystem::remove_all(path);
  DurableStoreOptions store_options;
  store_options.path = path;
  auto store = open_durable_store(store_options);
  if (!store) {
    storm.error = store.error().message;
    return storm;
  }
  // Tuesday 09:00: every case must be signed for by the end of Wednesday.
  auto clock = std::make_shared<ManualClock>(*parse_time("2025-11-11T09:00:00+08:00"));
  EngineOptions options;
  options.clock = clock;
  options.store = *store;
  auto engine = std::move(*Engine::open(std::move(options)));

  const auto t0 = Clock::now();
  constexpr int kInFlight = 256;
  std::vector<std::future<Result<Decision>>> opened;
  const auto drain = [&] {
    std::vector<std::future<Result<Decision>>> dispatched;
    for (auto& f : opened) {
      auto d = f.get();
      if (!d) {
        tally.refuse(d.error());
        continue;
      }
      dispatched.push_back(engine->submit(Command{d->case_id, "d", std::nullopt, "bench", cmd::Dispatch{}}));
    }
    for (auto& f : dispatched) {
      if (auto d = f.get(); !d) tally.refuse(d.error());
    }
    opened.clear();
  };
  for (int i = 0; i < timers; ++i) {
    opened.push_back(engine->submit(Command{"", "STORM-" + std::to_string(i), std::nullopt, "bench", lifecycle_step(i, 0)}));
    if (opened.size() == kInFlight) drain();
  }
  drain();
  storm.fill_seconds = seconds_since(t0);

  // Midnight closing Wednesday: every accept deadline falls due at once.
  clock->set(*parse_time("2025-11-13T00:00:00+08:00"));
  const int probe = 400;
  std::atomic<bool> no_more{false};
  auto idle = client(*engine, "IDLE-", probe, no_more, tally);

  std::atomic<bool> storming{true};
  std::vector<double> during;
  std::thread measured([&] { during = client(*engine, "STORMY-", 1, storming, tally); });
  const auto t1 = Clock::now();
  const auto fired = engine->fire_due_timers();
  storm.fire_seconds = seconds_since(t1);
  storming = false;
  measured.join();
  long escalated = 0;
  for (const auto& d : fired) {
    if (d) {
      ++escalated;
    } else {
      tally.refuse(d.error());
    }
  }
  if (escalated < timers) storm.error = "only " + std::to_string(escalated) + " of the timers fired";
  std::sort(idle.begin(), idle.end());
  std::sort(during.begin(), during.end());
  storm.idle_p50_us = percentile(idle, 0.50);
  storm.idle_p99_us = percentile(idle, 0.99);
  storm.storm_p50_us = percentile(during, 0.50);
  storm.storm_p99_us = percentile(during, 0.99);
  storm.storm_commands = static_cast<int>(during.size());
  engine.reset();
  store->reset();
  std::filesystem::remove_all(path);
  return storm;
}

}  // namespace escalator::tools::bench_parts
