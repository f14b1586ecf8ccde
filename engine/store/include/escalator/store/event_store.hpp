// Cases and their events: what a command's write adds to a case, and reading
// a case back. The engine hands every decided command's write to an
// EventStore before it answers, and loads a case from it when the case is
// not in its cache.
//
// Thread safety: implementations must be safe for concurrent use. The engine
// reads from any thread and hands over writes for different cases at once,
// but never a case's next write before its previous one is done.
#pragma once

#include <cstdint>
#include <iterator>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "escalator/model/case.hpp"
#include "escalator/model/event.hpp"
#include "escalator/model/timer.hpp"
#include "escalator/stats/stats.hpp"
#include "escalator/util/result.hpp"

namespace escalator {

struct StoredCase {
  CaseState snapshot;
  std::vector<Event> events;
};

// One command's effect on one case, written all or nothing.
struct CaseWrite {
  std::string case_id;
  std::vector<Event> events;  // their seq continue the stored ones
  CaseState snapshot;         // the case after them
  std::vector<PendingTimer> timers;  // every timer the case has pending after them
  stats::Marks stats;  // what the events count (docs/stats.md), added to the store's counters
  // Each event's canonical bytes as it was sealed over them (seal()); empty:
  // the store makes them again.
  std::vector<std::string> canonical{};
  // The case's timers as the store holds them, when the writer knows them
  // from the store's answer to its previous write of the case (commit()
  // leaves them in `timers`). Given, the store reads neither them nor its
  // last event, which the writer's seq already tells; none: it reads both.
  std::optional<std::vector<PendingTimer>> stored_timers{};
  // The case's list entries before the write (case_list_entries() of its
  // previous state; empty for a new case): the store removes those the
  // snapshot no longer has and adds its new ones (case_lists.hpp).
  std::vector<std::string> lists_before{};
};

// What a store has done since it opened, for benchmarks and metrics.
struct StoreCounters {
  std::uint64_t writes = 0;     // CaseWrites made durable
  std::uint64_t groups = 0;     // group commits that carried them
  std::uint64_t wal_syncs = 0;  // syncs of the write-ahead log (0 in memory)
  std::uint64_t bytes = 0;      // keys and values written for them (0 in memory)
  // Groups by the writes they carried: groups_by_size[i] counts the groups of
  // more than kGroupSizeBounds[i-1] and at most kGroupSizeBounds[i] writes
  // (the last, more than 64).
  static constexpr std::uint64_t kGroupSizeBounds[] = {1, 2, 4, 8, 16, 32, 64};
  std::uint64_t groups_by_size[std::size(kGroupSizeBounds) + 1] = {};
  // The write-ahead log's syncs as RocksDB times them (0 in memory).
  double wal_sync_seconds_sum = 0;
  double wal_sync_p50_seconds = 0;
  double wal_sync_p99_seconds = 0;
};

class EventStore {
 public:
  using Done = std::function<void(Result<void>)>;

  virtual ~EventStore() = default;
  // The case, or nullopt when it was never stored. kDataLoss, naming the
  // record's key, when stored data cannot be read.
  [[nodiscard]] virtual Result<std::optional<StoredCase>> load(const std::string& case_id) const = 0;
  // Hands over the writes of one command: one case's, or for a merge the
  // duplicate's and its primary's, made durable together or not at all
  // (docs/history.md, "Merging"). `done` is called exactly once, on any thread
  // (perhaps before commit() returns), when they are durable or have failed.
  // The first write of a case creates it and records its external id. Errors
  // given to `done`: kFailedPrecondition when a write's first seq does not
  // follow its case's stored events (or a case's first write finds the case
  // there); kUnavailable when the store cannot write. `done` must not block:
  // the store may call it from the thread that commits everyone's writes.
  // Before `done` is told of success, the store gives each event of the
  // writes its `position` in the store's log, so that an event means the same
  // whether it is read from the store or from what the writer kept, and
  // leaves in each write's `timers` the timers as it stored them (a timer due
  // before a running round of timers fires at the round's moment); the writes
  // must stay alive, and untouched by anyone else, until `done`.
  virtual void commit(std::span<CaseWrite> writes, Done done) = 0;
  // commit() and wait for it.
  [[nodiscard]] Result<void> append(std::span<CaseWrite> writes);
  [[nodiscard]] Result<void> append(CaseWrite write) { return append(std::span(&write, 1)); }

  // The case opened with this external id (hotline order number, WeChat MsgId).
  virtual std::optional<std::string> case_of_external_id(const std::string& external_id) const = 0;
  // Every case id, in the order the cases were first stored.
  virtual std::vector<std::string> case_ids() const = 0;
  // The greatest stored case id that starts with `prefix` ("370811-20251008"),
  // if any: where a restarted engine's case numbers for that district and day
  // go on from. kDataLoss or kUnavailable when the store cannot be read.
  [[nodiscard]] virtual Result<std::optional<std::string>> last_case_id(std::string_view prefix) const = 0;
  // What the store has written since it opened; nothing counted by default.
  virtual StoreCounters counters() const { return {}; }
};

}  // namespace escalator
