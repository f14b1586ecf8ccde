// The durable half of `escalator bench` (bench.cpp): the engine on RocksDB
// against raw synced RocksDB writes on the same device, and start-up over a
// large store. Internal to the tools.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_runs.hpp"

namespace escalator::tools::bench_parts {

struct Throughput {
  double per_second = 0;  // acknowledged commands (or writes) per second, wall
  double p50_us = 0;      // submission to acknowledgement
  double p99_us = 0;
  double bytes_per_write = 0;
  double syncs_per_write = 0;
};

// `clients` threads each take `lifecycles` cases from Open to Closed through
// Engine::submit on a new durable store under `dir` (2 worker threads).
Throughput durable_engine_run(const std::filesystem::path& dir, int run, int clients, int lifecycles,
                              Tally& tally);
// `clients` threads each make `writes` synced WriteBatches of `bytes` bytes
// (one Put) to a new plain RocksDB under `dir`: the device's and RocksDB's own
// limit for what the engine does.
Throughput raw_rocksdb_run(const std::filesystem::path& dir, int clients, int writes, std::size_t bytes);

struct Startup {
  std::uint64_t cases = 0;
  double fill_seconds = 0;
  double open_seconds = 0;        // open_durable_store + Engine::open, in a new process
  double first_read_seconds = 0;  // then Engine::get of one case
  double next_timer_seconds = 0;  // then Engine::next_timer over all the stored timers
  long rss_kib = 0;               // of that process after the read
  std::string error;
};
// Stores `cases` opened cases under `dir`, then measures a fresh process
// starting on them.
Startup startup_run(const std::filesystem::path& dir, int cases);
// The measured process of startup_run: opens the store at `path`, reads one
// case and asks for the next timer, prints
// "READ OPEN_SECONDS FIRST_READ_SECONDS NEXT_TIMER_SECONDS RSS_KIB".
int startup_probe(const std::filesystem::path& path);

}  // namespace escalator::tools::bench_parts
