// Backups, restores and the whole-store check (store.hpp).
#include <rocksdb/db.h>
#include <rocksdb/utilities/backup_engine.h>

#include "escalator/lifecycle/history.hpp"
#include "escalator/store/store.hpp"
#include "rocks_store.hpp"

namespace escalator {
namespace {

Error backup_error(const rocksdb::IOStatus& status, const std::string& what) {
  return Error{status.IsNotFound() ? ErrorCode::kNotFound
               : status.IsCorruption() ? ErrorCode::kDataLoss
                                       : ErrorCode::kUnavailable,
               what + ": " + status.ToString()};
}

BackupInfo info_of(const rocksdb::BackupInfo& b) {
  return BackupInfo{b.backup_id, Timestamp{std::chrono::seconds(b.timestamp)}, b.size, b.number_files};
}

// The backup engine over `backups`, or an error.
Result<std::unique_ptr<rocksdb::BackupEngine>> backup_engine(const std::filesystem::path& backups) {
  rocksdb::BackupEngine* raw = nullptr;
  rocksdb::BackupEngineOptions options(backups.string());
  options.sync = true;
  const auto status = rocksdb::BackupEngine::Open(options, rocksdb::Env::Default(), &raw);
  if (!status.ok()) return tl::unexpected(backup_error(status, "Cannot open the backups at " + backups.string()));
  return std::unique_ptr<rocksdb::BackupEngine>(raw);
}

}  // namespace

Result<BackupInfo> backup_store(const std::filesystem::path& data, const std::filesystem::path& backups) {
  DurableStoreOptions options;
  options.path = data;
  options.create_if_missing = false;
  auto opened = open_rocks_db(options, nullptr);
  if (!opened) return tl::unexpected(opened.error());
  return backup_db(*opened->db, backups, data.string());
}

Result<BackupInfo> backup_db(rocksdb::DB& db, const std::filesystem::path& backups, const std::string& what) {
  auto engine = backup_engine(backups);
  if (!engine) return tl::unexpected(engine.error());
  rocksdb::BackupID id = 0;
  rocksdb::CreateBackupOptions create;
  // The memtables are flushed so that a quiet store's backup needs no log
  // replay. Writes go on meanwhile on a live one: RocksDB then copies the
  // logs that hold what the flushed files of the eleven column families do
  // not, so the backup restores to one instant (its checkpoint does this
  // whenever there is more than one column family without atomic flush).
  create.flush_before_backup = true;
  auto status = (*engine)->CreateNewBackup(create, &db, &id);
  if (!status.ok()) return tl::unexpected(backup_error(status, "Backing up " + what));
  status = (*engine)->VerifyBackup(id, /*verify_with_checksum=*/true);
  if (!status.ok()) return tl::unexpected(backup_error(status, "Verifying backup " + std::to_string(id)));
  rocksdb::BackupInfo made;
  if (auto s = (*engine)->GetBackupInfo(id, &made); !s.ok()) {
    return tl::unexpected(backup_error(rocksdb::IOStatus::IOError(s.ToString()), "Reading backup " + std::to_string(id)));
  }
  return info_of(made);
}

Result<std::vector<BackupInfo>> list_backups(const std::filesystem::path& backups) {
  if (std::error_code error; !std::filesystem::is_directory(backups, error)) {
    return fail(ErrorCode::kNotFound, "No backups at " + backups.string());
  }
  auto engine = backup_engine(backups);
  if (!engine) return tl::unexpected(engine.error());
  std::vector<rocksdb::BackupInfo> all;
  (*engine)->GetBackupInfo(&all);
  std::vector<BackupInfo> infos;
  for (const auto& b : all) infos.push_back(info_of(b));
  return infos;
}

Result<BackupInfo> restore_store(const std::filesystem::path& backups, const std::filesystem::path& data,
                                 std::optional<std::uint32_t> id) {
  if (std::error_code error; std::filesystem::exists(data, error)) {
    return fail(ErrorCode::kFailedPrecondition,
                data.string() + " already exists; a restore never overwrites a store: name a new directory");
  }
  auto listed = list_backups(backups);
  if (!listed) return tl::unexpected(listed.error());
  if (listed->empty()) return fail(ErrorCode::kNotFound, "No backups at " + backups.string());
  const BackupInfo chosen = id ? BackupInfo{*id} : listed->back();
  auto found = std::find_if(listed->begin(), listed->end(), [&](const auto& b) { return b.id == chosen.id; });
  if (found == listed->end()) {
    return fail(ErrorCode::kNotFound, "No backup " + std::to_string(chosen.id) + " at " + backups.string());
  }
  auto engine = backup_engine(backups);
  if (!engine) return tl::unexpected(engine.error());
  const auto status = (*engine)->RestoreDBFromBackup(found->id, data.string(), data.string());
  if (!status.ok()) return tl::unexpected(backup_error(status, "Restoring backup " + std::to_string(found->id)));
  DurableStoreOptions options;
  options.path = data;
  options.create_if_missing = false;
  if (auto opened = open_durable_store(options); !opened) return tl::unexpected(opened.error());
  return *found;
}

StoreCheck check_store(const CaseStore& store) {
  StoreCheck check;
  if (auto timers = store.timers_until(Timestamp::max()); !timers) check.problems.push_back(timers.error().message);
  for (const auto& id : store.case_ids()) {
    ++check.cases;
    auto loaded = store.load(id);
    if (!loaded) {
      check.problems.push_back(loaded.error().message);
      continue;
    }
    if (!*loaded) {
      check.problems.push_back("index: case " + id + " is listed but not stored");
      continue;
    }
    const auto& stored = **loaded;
    check.events += stored.events.size();
    auto replayed = replay(stored.events);
    if (!replayed) {
      check.problems.push_back("case " + id + ": " + replayed.error().message);
    } else if (!(*replayed == stored.snapshot)) {
      check.problems.push_back("cases/" + id + ": the snapshot differs from the replay of its " +
                               std::to_string(stored.events.size()) + " events");
    }
  }
  return check;
}

}  // namespace escalator
