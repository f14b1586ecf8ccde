#include "bench_durable.hpp"

#include <rocksdb/db.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include "escalator/engine/engine.hpp"

namespace escalator::tools::bench_parts {
namespace {

using Clock = BenchClock;

Throughput summarise(std::vector<std::vector<double>>& per_client, double wall) {
  std::vector<double> all;
  for (auto& v : per_client) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  Throughput t;
  t.per_second = static_cast<double>(all.size()) / wall;
  t.p50_us = percentile(all, 0.50);
  t.p99_us = percentile(all, 0.99);
  return t;
}

std::shared_ptr<CaseStore> new_store(const std::filesystem::path& path) {
  std::filesystem::remove_all(path);
  DurableStoreOptions options;
  options.path = path;
  auto store = open_durable_store(options);
  return store ? *store : nullptr;
}

long rss_kib() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

}  // namespace

Throughput durable_engine_run(const std::filesystem::path& dir, int run, int clients, int lifecycles,
                              Tally& tally) {
  auto store = new_store(dir / ("engine-" + std::to_string(clients)));
  if (!store) {
    tally.refuse(Error{ErrorCode::kUnavailable, "cannot open a store under " + dir.string()});
    return {};
  }
  EngineOptions options;
  options.clock = std::make_shared<ManualClock>(*parse_time("2025-10-08T09:00:00+08:00"));
  options.store = store;
  auto engine = std::move(*Engine::open(std::move(options)));
  std::vector<std::vector<double>> latencies(clients);
  std::vector<Tally> tallies(clients);
  const auto t0 = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      latencies[c].reserve(static_cast<std::size_t>(lifecycles) * kCommandsPerLifecycle);
      for (int l = 0; l < lifecycles; ++l) {
        const int i = c * lifecycles + l;
        std::string id;
        for (int step = 0; step < kCommandsPerLifecycle; ++step) {
          Command command{id, step == 0 ? order_number(run, i) : step_key(step), std::nullopt, "bench",
                          lifecycle_step(i, step)};
          const auto sent = Clock::now();
          auto decided = engine->submit(std::move(command)).get();
          latencies[c].push_back(std::chrono::duration<double, std::micro>(Clock::now() - sent).count());
          if (!decided) {
            tallies[c].refuse(decided.error());
            break;
          }
          if (step == 0) id = decided->case_id;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  auto result = summarise(latencies, seconds_since(t0));
  for (const auto& t : tallies) {
    if (t.refused > 0 && tally.refused == 0) tally.first_refusal = t.first_refusal;
    tally.refused += t.refused;
  }
  engine.reset();
  const auto counters = store->counters();
  result.bytes_per_write = counters.writes ? double(counters.bytes) / double(counters.writes) : 0;
  result.syncs_per_write = counters.writes ? double(counters.wal_syncs) / double(counters.writes) : 0;
  return result;
}

Throughput raw_rocksdb_run(const std::filesystem::path& dir, int clients, int writes, std::size_t bytes) {
  const auto path = dir / ("raw-" + std::to_string(clients));
  std::filesystem::remove_all(path);
  rocksdb::Options options;
  options.create_if_missing = true;
  options.statistics = rocksdb::CreateDBStatistics();
  rocksdb::DB* raw = nullptr;
  if (!rocksdb::DB::Open(options, path.string(), &raw).ok()) return {};
  std::unique_ptr<rocksdb::DB> db(raw);
  const std::string value(bytes, 'x');
  std::vector<std::vector<double>> latencies(clients);
  const auto t0 = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      rocksdb::WriteOptions sync;
      sync.sync = true;
      latencies[c].reserve(static_cast<std::size_t>(writes));
      for (int w = 0; w < writes; ++w) {
        rocksdb::WriteBatch batch;
        batch.Put(std::to_string(c) + "/" + std::to_string(w), value);
        const auto sent = Clock::now();
        if (!db->Write(sync, &batch).ok()) return;
        latencies[c].push_back(std::chrono::duration<double, std::micro>(Clock::now() - sent).count());
      }
    });
  }
  for (auto& t : threads) t.join();
  auto result = summarise(latencies, seconds_since(t0));
  const auto total = double(clients) * double(writes);
  result.bytes_per_write = double(bytes);
  result.syncs_per_write = double(options.statistics->getTickerCount(rocksdb::WAL_FILE_SYNCED)) / total;
  db->Close();
  return result;
}

Startup startup_run(const std::filesystem::path& dir, int cases) {
  Startup startup;
  const auto path = dir / "startup";
  {
    auto store = new_store(path);
    if (!store) {
      startup.error = "cannot open a store under " + dir.string();
      return startup;
    }
    // Opened cases, written as the engine writes them, 64 at a time so the
    // committer can group them. A day holds at most 999,999 case numbers.
    EngineOptions options;
    options.store = store;
    auto clock = std::make_shared<ManualClock>(*parse_time("2025-10-08T09:00:00+08:00"));
    options.clock = clock;
    auto engine = std::move(*Engine::open(std::move(options)));
    const auto t0 = Clock::now();
    std::vector<std::future<Result<Decision>>> pending;
    for (int i = 0; i < cases; ++i) {
      if (i > 0 && i % 500000 == 0) clock->advance(std::chrono::hours(24));
      pending.push_back(engine->submit(Command{"", "S-" + std::to_string(i), std::nullopt, "bench", lifecycle_step(i, 0)}));
      if (pending.size() == 64 || i + 1 == cases) {
        for (auto& f : pending) {
          if (auto d = f.get(); !d && startup.error.empty()) startup.error = d.error().message;
        }
        pending.clear();
      }
    }
    startup.fill_seconds = seconds_since(t0);
    startup.cases = store->case_ids().size();
  }
  // A new program, so its memory is the start-up's alone: this one, run as
  // `escalator bench --startup-probe DIR`.
  int fds[2];
  if (pipe(fds) != 0) return startup;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  std::string program = "/proc/self/exe", bench = "bench", probe = "--startup-probe", where = path.string();
  char* argv[] = {program.data(), bench.data(), probe.data(), where.data(), nullptr};
  pid_t child = 0;
  const int spawned = posix_spawn(&child, program.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  char buffer[128] = {};
  const auto got = spawned == 0 ? read(fds[0], buffer, sizeof buffer - 1) : -1;
  close(fds[0]);
  if (spawned == 0) waitpid(child, nullptr, 0);
  int ok = 0;
  if (got <= 0 || std::sscanf(buffer, "%d %lf %lf %lf %ld", &ok, &startup.open_seconds, &startup.first_read_seconds,
                              &startup.next_timer_seconds, &startup.rss_kib) != 5 || !ok) {
    if (startup.error.empty()) startup.error = "the start-up process could not open the store or read a case";
  }
  std::filesystem::remove_all(path);
  return startup;
}

int startup_probe(const std::filesystem::path& path) {
  const auto t0 = Clock::now();
  DurableStoreOptions store_options;
  store_options.path = path;
  store_options.create_if_missing = false;
  auto store = open_durable_store(store_options);
  EngineOptions options;
  options.clock = std::make_shared<ManualClock>(*parse_time("2025-10-08T09:00:00+08:00"));
  if (store) options.store = *store;
  auto engine = Engine::open(std::move(options));
  const double open = seconds_since(t0);
  const auto t1 = Clock::now();
  const bool read = store && engine && (*engine)->get("370811-20251008-000001").has_value();
  const double first = seconds_since(t1);
  const auto t2 = Clock::now();
  const bool timed = read && (*engine)->next_timer().has_value();
  const double next_timer = seconds_since(t2);
  std::printf("%d %.6f %.6f %.6f %ld\n", read && timed ? 1 : 0, open, first, next_timer, rss_kib());
  return read ? 0 : 1;
}

}  // namespace escalator::tools::bench_parts
