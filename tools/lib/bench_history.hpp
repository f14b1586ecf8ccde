// The history's part of `escalator bench` (bench.cpp): replaying and verifying
// stored events against raw SHA-256 over the same bytes. Internal to the tools.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "bench_runs.hpp"

namespace escalator::tools::bench_parts {

struct HistoryVerify {
  std::uint64_t events = 0;     // events replayed and verified per run
  std::uint64_t bytes = 0;      // their hashed bytes, prev_hash's 32 included
  double replay_verify_per_second = 0;  // median over runs, one core
  double raw_sha256_per_second = 0;     // the same runs, SHA-256 alone over the same bytes
  double parse_only_per_second = 0;     // the same runs, simdjson's parse alone over the canonical bytes
  double audit_per_second =
      0;  // median over runs: audit_store over the whole store, opening included
  std::string error;
};

// `cases` lifecycles written to a new durable store under `dir`; their stored
// event records read into memory; then, `runs` times on this thread: every
// record split, its hash recomputed and compared, its prev_hash checked,
// decoded and applied to its case (what audit and replay do per event);
// SHA-256 alone over each record's prev_hash bytes and canonical bytes; and
// simdjson's parse alone over the canonical bytes, the first step of decoding;
// and audit_store over the whole store, as `escalator audit verify` runs it.
HistoryVerify history_verify_run(const std::filesystem::path& dir, int cases, int runs, Tally& tally);

}  // namespace escalator::tools::bench_parts
