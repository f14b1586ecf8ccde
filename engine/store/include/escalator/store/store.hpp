// Where the engine keeps cases: all that a store holds, as eight narrow
// interfaces an implementation offers together. Each part of the engine asks
// for the one it uses:
//   EventStore    cases and their events (event_store.hpp)
//   TimerStore    the pending timers, in the order they fire (timer_store.hpp)
//   ImportStore   calendar notices and directory versions (import_store.hpp)
//   CallerIndex   who called about what, and erasing it (caller_index.hpp)
//   CounterStore  the report counters (counter_store.hpp)
//   CaseLists     which cases have which state, holder, place, ... (case_lists.hpp)
//   AccessLog     who read residents' personal data in clear (access_log.hpp)
//   Outbox        what each acknowledged command added, in commit order (outbox.hpp)
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
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "escalator/store/access_log.hpp"
#include "escalator/store/caller_index.hpp"
#include "escalator/store/case_lists.hpp"
#include "escalator/store/counter_store.hpp"
#include "escalator/store/event_store.hpp"
#include "escalator/store/import_store.hpp"
#include "escalator/store/outbox.hpp"
#include "escalator/store/timer_store.hpp"
#include "escalator/util/result.hpp"

namespace escalator {

// One backup in a backup directory.
struct BackupInfo {
  std::uint32_t id = 0;
  Timestamp made_at{};
  std::uint64_t bytes = 0;  // file payloads, some shared with other backups
  std::uint32_t files = 0;
};

class CaseStore : public EventStore,
                  public TimerStore,
                  public ImportStore,
                  public CallerIndex,
                  public CounterStore,
                  public CaseLists,
                  public AccessLog,
                  public Outbox {
 public:
  // This default loads every case; the durable store reads only the personal records.
  [[nodiscard]] Result<std::vector<std::string>> cases_of_resident(std::string_view resident) const override;
  // Adds a verified backup of the store as it is now to `backups` (made if
  // missing), as backup_store() does, while the store goes on taking writes:
  // every write acknowledged before the call is in it. One at a time; a second
  // call waits for the first. This default: kFailedPrecondition, for a store
  // with nothing on disk to back up (the memory store).
  [[nodiscard]] virtual Result<BackupInfo> backup_to(const std::filesystem::path& backups);
};

// Cases in memory: gone when the process ends. Writes are done before
// commit() returns.
std::shared_ptr<CaseStore> memory_store();

// The format this release writes. A store records its format when created; a
// store of a newer format is refused, and an older one is upgraded when opened
// (docs/storage.md, "Formats and versions").
inline constexpr int kStoreFormatVersion = 15;

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
  // To read a store another process is writing (a running `escalator serve`):
  // a RocksDB secondary instance that sees every write that process had made
  // when it opened, and no later one. It changes nothing: a store of an older
  // format is refused rather than upgraded (kFailedPrecondition), every write
  // is refused (kFailedPrecondition), and no thread is started.
  bool read_only = false;
};

// Opens (or creates) the store at options.path. Errors: kNotFound (no store
// and create_if_missing false), kFailedPrecondition (a newer format),
// kUnavailable (locked by another process, or the disk refused), kDataLoss
// (a record of the store's own bookkeeping cannot be read).
[[nodiscard]] Result<std::shared_ptr<CaseStore>> open_durable_store(const DurableStoreOptions& options);
// Whether opening failed because another process has the store open for
// writing; DurableStoreOptions::read_only then opens it to read.
bool in_use_elsewhere(const Error& error);

// ---- Looking after a durable store (docs/storage.md) ----------------------

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
