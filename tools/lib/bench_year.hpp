// The reports' part of `escalator bench` (bench.cpp): a year of one district's
// cases run through the shipped workflows on a durable store, then the year's
// report read from the counters, next to recounting it from the events.
// Internal to the tools.
#pragma once

#include <filesystem>
#include <string>

#include "bench_runs.hpp"

namespace escalator::tools::bench_parts {

struct YearLoad {
  int cases = 0;                 // opened over the year
  long commands = 0;             // submitted, timers' commands included
  long timer_commands = 0;       // of those, what fire_due_timers() submitted
  long events = 0;               // the events they stored
  int units = 0;                 // in the generated district's directory
  double load_seconds = 0;       // running the year through the engine
  int unit_groups = 0;           // rows of the report by unit
  int category_groups = 0;       // rows of the report by category
  double report_by_unit_ms = 0;  // a full-year report by unit: counters read, every figure of every row; median
  double report_by_category_ms = 0;
  // The cases behind a count, read from the index (stats::cases_behind), medians:
  // the unit handed the most cases, its handed over the year; and every
  // case overdue in November.
  long unit_handed_cases = 0;
  double unit_handed_ms = 0;
  long november_overdue_cases = 0;
  double november_overdue_ms = 0;
  double recount_seconds = 0;    // every stored case's events counted again
  double replace_seconds = 0;    // a recount again, replacing the counters and the cases behind them (what --recompute does)
  bool recount_agrees = false;   // the recount equals the counters kept as the year ran
  long cells = 0;                // counter cells kept
  std::string error;
};

// `cases` cases opened over 2025 in one generated district (bench_routing.hpp's
// generated_district()) on a new durable store under `dir`, with the
// workflows in `workflows` (the shipped ones). Each case takes a path drawn
// from the mix a hotline sees: late signing, returns, urgings, unresolved
// replies, send-backs, unsatisfied ratings and reopens, no answer, withdrawals
// and duplicates. The clock is manual and steps an hour at a time; due timers
// fire every hour. Then `runs` timed reads of the full-year report by unit and
// by category and of the cases behind two counts, and one recount.
YearLoad year_run(const std::filesystem::path& dir, const std::filesystem::path& workflows, int cases, int runs,
                  Tally& tally);

}  // namespace escalator::tools::bench_parts
