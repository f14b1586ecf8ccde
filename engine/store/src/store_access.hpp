// The durable store's access log (column family `access`, docs/storage.md):
// position (8 bytes, big-endian) -> the record as JSON (access_record_json).
// Appended synced, each call's records in one write, one call at a time:
// a caller with many readers groups their records first, as the service's
// recorder does (adapters/http/src/access_recorder.hpp). The chain's last
// position and hash are read once, at the first append.
#pragma once

#include <rocksdb/db.h>

#include <mutex>
#include <vector>

#include "escalator/store/access_log.hpp"

namespace escalator {

class StoredAccessLog {
 public:
  StoredAccessLog(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* access) : db_(db), access_(access) {}

  [[nodiscard]] Result<std::vector<AccessRecord>> append(std::vector<AccessRecord> records);
  // kDataLoss naming the record when one cannot be read.
  [[nodiscard]] Result<std::vector<AccessRecord>> read(std::uint64_t from, std::size_t limit) const;

 private:
  rocksdb::DB& db_;
  rocksdb::ColumnFamilyHandle* access_;
  std::mutex appending_;
  // The chain's end; guarded by appending_.
  bool tail_read_ = false;
  std::uint64_t last_position_ = 0;
  std::string last_hash_;
};

}  // namespace escalator
