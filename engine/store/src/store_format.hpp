// The durable store's format number (meta/format_version) and the upgrades
// that bring an older store to this release's (docs/storage.md, "Formats and
// versions").
#pragma once

#include <filesystem>
#include <vector>

#include "escalator/util/result.hpp"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
}  // namespace rocksdb

namespace escalator::store_format {

// Records the format in a new store; refuses a newer one (kFailedPrecondition)
// and leaves it untouched; upgrades an older one, or finishes an upgrade a
// crash interrupted. `handles`: RocksDB's default first, then store_layout's
// families in order. kDataLoss when the store's records cannot be read.
[[nodiscard]] Result<void> bring_up_to_date(rocksdb::DB& db, const std::vector<rocksdb::ColumnFamilyHandle*>& handles,
                                            const std::filesystem::path& path);

// For a reader beside a running writer, which changes nothing: kFailedPrecondition
// unless the store is of this release's format.
[[nodiscard]] Result<void> check_current(rocksdb::DB& db, const std::vector<rocksdb::ColumnFamilyHandle*>& handles,
                                         const std::filesystem::path& path);

// Flushes every family and compacts it to the last level, so that no file of
// the store keeps a value deleted or overwritten before, nor a write-ahead log
// that holds one: what makes an erasure final (docs/storage.md).
[[nodiscard]] Result<void> compact_all(rocksdb::DB& db, const std::vector<rocksdb::ColumnFamilyHandle*>& handles);

}  // namespace escalator::store_format
