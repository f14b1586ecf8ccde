// The measurements behind `escalator bench` (bench.hpp). Internal to the tools.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "escalator/model/command.hpp"
#include "escalator/util/result.hpp"

namespace escalator::tools::bench_parts {

// open, dispatch, accept, reply, rate (satisfied), close.
inline constexpr int kCommandsPerLifecycle = 6;

struct Sample {
  double wall = 0;  // seconds, steady clock
  double cpu = 0;   // seconds of the process's CPU time
};

// What went wrong across runs: a bench that measures refusals measures nothing.
struct Tally {
  long refused = 0;
  long not_closed = 0;
  std::string first_refusal;
  void refuse(const Error& e) {
    if (refused++ == 0) first_refusal = e.message;
  }
};

// Step `step` (0 = open) of lifecycle `i`, and the order number of its open.
CommandPayload lifecycle_step(int i, int step);
std::string order_number(int run, int i);
// The idempotency key of step `step` (> 0) of a case.
std::string step_key(int step);

using BenchClock = std::chrono::steady_clock;
double seconds_since(BenchClock::time_point t0);
// The middle value of `v` (the mean of the middle two when even); 0 when empty.
double median(std::vector<double> v);
// The value at fraction `p` (0.99: the 99th percentile) of `sorted`; 0 when empty.
double percentile(const std::vector<double>& sorted, double p);

// `cases` lifecycles submitted to a fresh engine (worker_threads = 0, manual
// clock, no logger); `run` makes the order numbers unique. Only the
// submissions are timed; afterwards every case is checked to be Closed.
Sample engine_run(int run, int cases, Tally& tally);
// The same lifecycles through lifecycle::decide and apply on a CaseState;
// `counted`: and each command's events counted as the engine counts them
// (stats::CaseCounter), so the difference is what counting costs.
Sample baseline_run(int cases, Tally& tally, bool counted);

}  // namespace escalator::tools::bench_parts
