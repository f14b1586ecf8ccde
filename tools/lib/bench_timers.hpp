// The timers' part of `escalator bench` (bench.cpp): a storm of timers due at
// one instant on a durable store, and what a client sees while it fires.
// Internal to the tools.
#pragma once

#include <filesystem>
#include <string>

#include "bench_runs.hpp"

namespace escalator::tools::bench_parts {

struct TimerStorm {
  int timers = 0;               // accept deadlines due at one instant
  double fill_seconds = 0;      // opening and dispatching their cases
  double fire_seconds = 0;      // Engine::fire_due_timers over all of them
  double idle_p50_us = 0;       // one client's commands, nothing due
  double idle_p99_us = 0;
  double storm_p50_us = 0;      // the same client's commands while the storm fires
  double storm_p99_us = 0;
  int storm_commands = 0;       // how many the client sent during the storm
  std::string error;
};

// `timers` cases dispatched on a new durable store under `dir`, all due at the
// same midnight; then a client measured idle, and again while
// fire_due_timers() escalates every one of them.
TimerStorm timer_storm_run(const std::filesystem::path& dir, int timers, Tally& tally);

}  // namespace escalator::tools::bench_parts
