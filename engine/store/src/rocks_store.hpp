// The durable store's RocksDB, for the code that works on it beside the
// CaseStore interface (backups), and for tests, which put a file system under
// it that forgets what was never synced. Everyone else calls
// open_durable_store() (store.hpp).
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include "escalator/store/store.hpp"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
class Env;
class Statistics;
}  // namespace rocksdb

namespace escalator {

// A store's RocksDB opened with every column family: RocksDB's default first,
// then store_layout's families in order, then any a newer release added.
struct OpenedDb {
  OpenedDb() = default;
  OpenedDb(OpenedDb&&) = default;
  ~OpenedDb();  // closes
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  std::shared_ptr<rocksdb::Statistics> statistics;
  // A read-only (secondary) instance keeps its own few files here, removed on close.
  std::filesystem::path secondary_dir;
};

// `env` null: RocksDB's default; otherwise not owned, and must outlive the DB.
// Errors as open_durable_store's, without the format check.
[[nodiscard]] Result<OpenedDb> open_rocks_db(const DurableStoreOptions& options, rocksdb::Env* env);

// Adds a verified backup of `db`, open or live, to `backups`; `what` names
// the store in errors.
[[nodiscard]] Result<BackupInfo> backup_db(rocksdb::DB& db, const std::filesystem::path& backups,
                                           const std::string& what);

[[nodiscard]] Result<std::shared_ptr<CaseStore>> open_rocks_store(const DurableStoreOptions& options,
                                                                  rocksdb::Env* env);

}  // namespace escalator
