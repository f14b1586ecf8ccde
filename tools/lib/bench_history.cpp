#include "bench_history.hpp"

#include <rocksdb/db.h>
#include <simdjson.h>

#include <cstring>
#include <memory>
#include <vector>

#include "appliers.hpp"
#include "escalator/store/audit.hpp"
#include "escalator/engine/engine.hpp"
#include "escalator/lifecycle/history.hpp"
#include "event_record.hpp"
#include "rocks_store.hpp"
#include "sha256.hpp"
#include "store_layout.hpp"

namespace escalator::tools::bench_parts {
namespace {

// Every stored event record, in key order (each case's events together, in seq order).
struct StoredRecords {
  std::vector<std::string> values;
  std::vector<bool> first_of_case;
};

std::optional<std::string> fill(const std::filesystem::path& path, int cases, Tally& tally) {
  DurableStoreOptions options;
  options.path = path;
  auto store = open_durable_store(options);
  if (!store) return store.error().message;
  EngineOptions engine_options;
  engine_options.config.limits.worker_threads = 0;
  engine_options.clock = std::make_shared<ManualClock>(*parse_time("2025-11-11T09:00:00+08:00"));
  engine_options.store = *store;
  auto engine = Engine::open(std::move(engine_options));
  if (!engine) return engine.error().message;
  for (int i = 0; i < cases; ++i) {
    auto opened =
        (*engine)
            ->submit(Command{"", order_number(0, i), std::nullopt, "bench", lifecycle_step(i, 0)})
            .get();
    if (!opened) {
      tally.refuse(opened.error());
      return "opening a case was refused: " + opened.error().message;
    }
    for (int step = 1; step < kCommandsPerLifecycle; ++step) {
      auto done = (*engine)
                      ->submit(Command{opened->case_id, step_key(step), std::nullopt, "bench",
                                       lifecycle_step(i, step)})
                      .get();
      if (!done) tally.refuse(done.error());
    }
  }
  return std::nullopt;
}

Result<StoredRecords> read_records(const std::filesystem::path& path) {
  DurableStoreOptions options;
  options.path = path;
  options.create_if_missing = false;
  auto opened = open_rocks_db(options, nullptr);
  if (!opened) return tl::unexpected(opened.error());
  StoredRecords records;
  std::string case_id;
  std::unique_ptr<rocksdb::Iterator> it(
      opened->db->NewIterator(rocksdb::ReadOptions(), opened->handles[1 + store_layout::kEvents]));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const auto key = it->key().ToStringView();
    const auto id = key.substr(0, key.find('\0'));
    records.first_of_case.push_back(id != case_id);
    case_id = std::string(id);
    records.values.push_back(it->value().ToString());
  }
  return records;
}

// Replay and verify as audit does per event; false at the first event that fails.
bool replay_and_verify(const StoredRecords& records) {
  CaseState state;
  event_record::ChainHead head;
  Event event;  // each read over the one before, as audit reads them
  for (std::size_t i = 0; i < records.values.size(); ++i) {
    if (records.first_of_case[i]) {
      state = CaseState{};
      head = event_record::ChainHead{};
    }
    const auto parts = event_record::split(records.values[i]);
    if (!parts || parts->prev_hash != head.hash() || !head.advance(*parts)) return false;
    if (!event_record::decode(*parts, event) || !apply(state, event)) return false;
  }
  return true;
}

// SHA-256 alone over the bytes each event's hash is taken over.
std::uint64_t raw_sha256(const std::vector<std::pair<Sha256Digest, std::string_view>>& inputs) {
  Sha256 hasher;
  std::uint64_t fold = 0;  // so that the digests cannot be optimised away
  for (const auto& [prev, canonical] : inputs)
    fold += hasher.update(prev).update(canonical).finish()[0];
  return fold;
}

// simdjson's parse alone over the same canonical bytes, into its tape,
// reading no field: the first step of the reader replay uses (event_text.cpp).
std::uint64_t parse_only(const std::vector<std::pair<Sha256Digest, std::string_view>>& inputs) {
  simdjson::dom::parser parser;
  std::vector<char> padded;
  std::uint64_t failed = 0;
  for (const auto& [prev, canonical] : inputs) {
    padded.resize(canonical.size() + simdjson::SIMDJSON_PADDING);
    std::memcpy(padded.data(), canonical.data(), canonical.size());
    failed += parser.parse(padded.data(), canonical.size(), false).error() != simdjson::SUCCESS;
  }
  return failed;
}

}  // namespace

HistoryVerify history_verify_run(const std::filesystem::path& dir, int cases, int runs,
                                 Tally& tally) {
  HistoryVerify result;
  const auto path = dir / "history";
  std::filesystem::remove_all(path);
  if (auto failed = fill(path, cases, tally)) {
    result.error = *failed;
    return result;
  }
  auto records = read_records(path);
  if (!records) {
    result.error = records.error().message;
    return result;
  }
  std::vector<std::pair<Sha256Digest, std::string_view>> inputs;
  for (const auto& value : records->values) {
    const auto parts = event_record::split(value);
    if (!parts) {
      result.error = "a stored event is not an event record";
      return result;
    }
    inputs.emplace_back(*digest_from_lowercase_hex(parts->prev_hash), parts->canonical);
    result.bytes += 32 + parts->canonical.size();
  }
  result.events = inputs.size();
  std::vector<double> replayed, raw, parsed, audited;
  volatile std::uint64_t sink = 0;
  for (int run = 0; run < runs; ++run) {
    auto t0 = BenchClock::now();
    if (!replay_and_verify(*records)) {
      result.error = "a stored event did not verify or apply";
      return result;
    }
    replayed.push_back(static_cast<double>(result.events) / seconds_since(t0));
    t0 = BenchClock::now();
    sink = sink + raw_sha256(inputs);
    raw.push_back(static_cast<double>(result.events) / seconds_since(t0));
    t0 = BenchClock::now();
    if (parse_only(inputs) != 0) {
      result.error = "a stored event is not JSON";
      return result;
    }
    parsed.push_back(static_cast<double>(result.events) / seconds_since(t0));
    t0 = BenchClock::now();
    const auto audit = audit_store(path);
    if (!audit || !audit->breaks.empty() || audit->events != result.events) {
      result.error = audit ? "audit verify found the store broken" : audit.error().message;
      return result;
    }
    audited.push_back(static_cast<double>(result.events) / seconds_since(t0));
  }
  result.replay_verify_per_second = median(replayed);
  result.raw_sha256_per_second = median(raw);
  result.parse_only_per_second = median(parsed);
  result.audit_per_second = median(audited);
  std::filesystem::remove_all(path);
  return result;
}

}  // namespace escalator::tools::bench_parts
