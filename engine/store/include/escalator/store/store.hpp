// Where the engine keeps cases: each case's events, in order, and its snapshot
// (the state the events make). The engine caches cases it has loaded and
// hands every decided command's write to the store before it answers.
//
// Two stores ship: memory_store(), gone with the process, and
// open_durable_store(), RocksDB on disk (docs/storage.md). Implementations
// must be thread-safe: the engine reads from any thread and hands over writes
// for different cases concurrently, but never a case's next write before its
// previous one is done.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "escalator/model/case.hpp"
#include "escalator/model/event.hpp"
#include "escalator/calendar/official_calendar.hpp"
#include "escalator/util/result.hpp"
#include "escalator/stats/stats.hpp"
#include "escalator/model/timer.hpp"

namespace escalator {

// One import of the org directory into a store (docs/directory.md,
// "Versions"): version 1, 2, … in the order imported.
struct OrgImport {
  std::uint64_t version = 0;
  Timestamp imported_at{};
  std::string source;  // the file's name, or "sample" for the one compiled in
  std::string name;    // the directory's own name
  // SHA-256 (lowercase hex) of the directory at this version, as canonical
  // JSON (RFC 8785) rebuilt from its records: what loading it checks.
  std::string digest;
  std::uint64_t added = 0;    // records new in this version
  std::uint64_t changed = 0;  // records this version replaced with others under the same key
  std::uint64_t removed = 0;  // records this version no longer holds

  friend bool operator==(const OrgImport&, const OrgImport&) = default;
};

// One record of the stored org directory: a place, unit, role, person,
// address entry or the name, as canonical JSON, under a key that names it
// ("unit/heping-li.property"). Records are never copied whole per version:
// each is held from the version that wrote it (`since`) to the one that
// replaced or removed it (`until`; 0 while it still holds).
struct StoredOrgRecord {
  std::string key;
  std::uint64_t since = 0;
  std::uint64_t until = 0;
  std::string json;

  friend bool operator==(const StoredOrgRecord&, const StoredOrgRecord&) = default;
};

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
};

// What a store has done since it opened, for tests and `escalator bench`.
struct StoreCounters {
  std::uint64_t writes = 0;     // CaseWrites made durable
  std::uint64_t groups = 0;     // group commits that carried them
  std::uint64_t wal_syncs = 0;  // syncs of the write-ahead log (0 in memory)
  std::uint64_t bytes = 0;      // keys and values written for them (0 in memory)
};

class CaseStore {
 public:
  using Done = std::function<void(Result<void>)>;

  virtual ~CaseStore() = default;
  // The case, or nullopt when it was never stored. kDataLoss, naming the
  // record's key, when stored data cannot be read.
  [[nodiscard]] virtual Result<std::optional<StoredCase>> load(const std::string& case_id) const = 0;
  // Hands over the writes of one decision: one case's, or for a merge the
  // duplicate's and its primary's, made durable together or not at all
  // (docs/history.md, "Merging"). `done` is called exactly once, on any thread
  // (perhaps before commit() returns), when they are durable or have failed.
  // The first write of a case creates it and records its external id. Errors
  // given to `done`: kFailedPrecondition when a write's first seq does not
  // follow its case's stored events (or a case's first write finds the case
  // there); kUnavailable when the store cannot write. `done` must not block:
  // the store may call it from the thread that commits everyone's writes.
  virtual void commit(std::span<const CaseWrite> writes, Done done) = 0;
  void commit(const CaseWrite& write, Done done) { commit(std::span(&write, 1), std::move(done)); }
  // The case opened with this external id (hotline order number, WeChat MsgId).
  virtual std::optional<std::string> case_of_external_id(const std::string& external_id) const = 0;
  // Every case id, in the order the cases were first stored.
  virtual std::vector<std::string> case_ids() const = 0;
  // The greatest stored case id that starts with `prefix` ("370811-20251008"),
  // if any: where a restarted engine's case numbers for that district and day
  // go on from. kDataLoss or kUnavailable when the store cannot be read.
  [[nodiscard]] virtual Result<std::optional<std::string>> last_case_id(std::string_view prefix) const = 0;
  // The pending timers of every case that fire at or before `until` and come
  // after `after` (from the first when none), earliest first (PendingTimer's
  // order), at most `limit`. A write replaces its case's timers. kDataLoss
  // naming the record when a stored timer cannot be read.
  [[nodiscard]] virtual Result<std::vector<PendingTimer>> timers_due(const std::optional<PendingTimer>& after,
                                                                     Timestamp until, std::size_t limit) const = 0;
  // Every pending timer that fires at or before `until`.
  [[nodiscard]] Result<std::vector<PendingTimer>> timers_until(Timestamp until) const {
    return timers_due(std::nullopt, until, static_cast<std::size_t>(-1));
  }
  // Called before firing the timers due at `now`: from then on a write's timer
  // that would fire before `now` may be stored to fire at `now` (it is due at
  // once either way), so that the store can keep finding due timers without
  // walking over the ones already fired (docs/storage.md). In memory: nothing.
  [[nodiscard]] virtual Result<void> begin_timer_round(Timestamp) { return {}; }
  // When the earliest pending timer fires, if any.
  virtual std::optional<Timestamp> next_timer() const = 0;
  virtual StoreCounters counters() const { return {}; }

  // Calendar imports, oldest first. A store that keeps none (the default) has none.
  [[nodiscard]] virtual Result<std::vector<CalendarImport>> calendar_imports() const {
    return std::vector<CalendarImport>{};
  }
  // Adds an import, durably. kFailedPrecondition when its version is not the
  // last one's plus one, or the store cannot keep imports.
  [[nodiscard]] virtual Result<void> add_calendar_import(const CalendarImport&) {
    return fail(ErrorCode::kFailedPrecondition, "this store cannot keep calendar imports");
  }
  // The newest import whose recomputation of running deadlines has finished
  // (0: none), and recording it, durably.
  [[nodiscard]] virtual Result<std::uint64_t> calendar_applied() const { return std::uint64_t{0}; }
  [[nodiscard]] virtual Result<void> set_calendar_applied(std::uint64_t) { return {}; }

  // Org directory imports, oldest first, and every record any of them wrote,
  // by key then since. A store that keeps none (the default) has none.
  [[nodiscard]] virtual Result<std::vector<OrgImport>> org_imports() const { return std::vector<OrgImport>{}; }
  [[nodiscard]] virtual Result<std::vector<StoredOrgRecord>> org_records() const {
    return std::vector<StoredOrgRecord>{};
  }
  // Adds an import with the records it writes (new ones, and old ones now
  // given their `until`), durably and all at once. kFailedPrecondition when
  // its version is not the last one's plus one, or the store cannot keep imports.
  [[nodiscard]] virtual Result<void> add_org_import(const OrgImport&, std::span<const StoredOrgRecord>) {
    return fail(ErrorCode::kFailedPrecondition, "this store cannot keep org directory imports");
  }

  // A case a caller opened before (docs/stats.md, "Repeat calls").
  struct Call {
    std::string case_id;
    Timestamp opened_at{};
  };
  // The latest case opened at or before `at` whose caller, place and category
  // give one of `digests` (the engine's index of callers; personal data, so
  // an erased case is not found). kDataLoss when the index cannot be read.
  [[nodiscard]] virtual Result<std::optional<Call>> previous_call(std::span<const std::string> digests,
                                                                  Timestamp at) const = 0;

  // The cases whose reporter's phone or account is `resident`, exactly as
  // recorded, by case id: whose data `escalator erase
  // --resident` erases. Cases whose data is erased are not found. This
  // default loads every case; the durable store reads only the personal records.
  [[nodiscard]] virtual Result<std::vector<std::string>> cases_of_resident(std::string_view resident) const;
  // Rewrites the store's files so that nothing deleted or overwritten stays
  // in them, nor in a write-ahead log: the last step of an erasure
  // (docs/history.md, "Erasure"), but for RocksDB's manifest, which may still
  // name a deleted key of the callers' index until the store is opened again.
  // In memory (the default) there is nothing to do.
  [[nodiscard]] virtual Result<void> purge_deleted() { return {}; }

  // The stored counters (docs/stats.md) whose encoded CellKey is in [from, to),
  // in key order. kDataLoss naming the cell when one cannot be read.
  [[nodiscard]] virtual Result<std::vector<std::pair<std::string, stats::Tally>>> stats_cells(
      std::string_view from, std::string_view to) const = 0;
  // What the stored counters were counted with; none before they ever were.
  [[nodiscard]] virtual Result<std::optional<stats::Stamp>> stats_stamp() const = 0;
  // Replaces every counter with `cells`, stamped, all at once. Writes must
  // not be handed over meanwhile: the engine recounts before it takes any.
  [[nodiscard]] virtual Result<void> replace_stats(const stats::Cells& cells, const stats::Stamp& stamp) = 0;

  // commit() and wait for it.
  [[nodiscard]] Result<void> append(std::span<const CaseWrite> writes);
  [[nodiscard]] Result<void> append(const CaseWrite& write) { return append(std::span(&write, 1)); }
};

// Cases in memory: gone when the process ends. Writes are done before
// commit() returns.
std::shared_ptr<CaseStore> memory_store();

// The format this release writes. A store records its format when created; a
// store of a newer format is refused, and an older one is upgraded when opened
// (docs/storage.md, "Formats and versions").
inline constexpr int kStoreFormatVersion = 9;

// RocksDB's settings that a deployment may want to change; docs/storage.md
// says why each default is what it is.
struct DurableStoreOptions {
  std::filesystem::path path = "./data";
  bool create_if_missing = true;  // false: kNotFound when there is no store
  std::size_t block_cache_bytes = std::size_t{32} << 20;
  std::size_t write_buffer_bytes = std::size_t{64} << 20;  // all memtables together
  std::size_t max_total_wal_bytes = std::size_t{64} << 20;
  // A group commit's counts wait in one pending record until a folder thread
  // adds them to their cells (docs/storage.md, "Counters"): when this many
  // groups wait, or when the oldest has waited fold_counts_every. 0 for
  // either: never for that reason; the store folds whatever waits when it
  // closes, and on opening what an earlier run left.
  std::size_t fold_counts_after_groups = 256;
  std::chrono::milliseconds fold_counts_every{200};
};

// Opens (or creates) the store at options.path. Errors: kNotFound (no store
// and create_if_missing false), kFailedPrecondition (a newer format),
// kUnavailable (locked by another process, or the disk refused), kDataLoss
// (a record of the store's own bookkeeping cannot be read).
[[nodiscard]] Result<std::shared_ptr<CaseStore>> open_durable_store(const DurableStoreOptions& options);

// ---- Looking after a durable store (docs/storage.md) ----------------------

// One backup in a backup directory.
struct BackupInfo {
  std::uint32_t id = 0;
  Timestamp made_at{};
  std::uint64_t bytes = 0;  // file payloads, some shared with other backups
  std::uint32_t files = 0;
};

// Adds a backup of the store at `data` to `backups` (made if missing) with
// RocksDB's backup engine: files earlier backups hold are shared, not copied
// again, and the new backup is verified against its checksums. The store must
// not be open elsewhere. kNotFound when there is no store at `data`.
[[nodiscard]] Result<BackupInfo> backup_store(const std::filesystem::path& data,
                                              const std::filesystem::path& backups);
// The backups in `backups`, oldest first.
[[nodiscard]] Result<std::vector<BackupInfo>> list_backups(const std::filesystem::path& backups);
// Restores a backup (the newest when `id` is none) into `data`, which must not
// exist: a restore never overwrites a store. The result opens as a store.
[[nodiscard]] Result<BackupInfo> restore_store(const std::filesystem::path& backups,
                                               const std::filesystem::path& data,
                                               std::optional<std::uint32_t> id = std::nullopt);

// What check_store found: every case read back, and what was wrong.
struct StoreCheck {
  std::uint64_t cases = 0;
  std::uint64_t events = 0;
  std::vector<std::string> problems;  // one line each, naming the case or record
};
// Loads every case the store lists and checks it is whole: its events 1..n,
// its snapshot at version n and equal to the replay of its events. Reports
// every problem rather than stopping at the first.
StoreCheck check_store(const CaseStore& store);

}  // namespace escalator
