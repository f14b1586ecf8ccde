// The durable store's access log (column family `access`, docs/storage.md):
// position (8 bytes, big-endian) -> the record as JSON (access_record_json).
// Appended synced with group commit: the appends that arrive while one
// write is syncing wait, and the first of them then writes them all in one
// synced batch, so that readers in clear on many connections share fsyncs.
// The chain's last position and hash are read once, at the first append.
#pragma once

#include <rocksdb/db.h>

#include <condition_variable>
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
  // An append waiting for its group's write.
  struct Waiting {
    std::vector<AccessRecord>* records;
    bool done = false;
    Result<void> outcome{};
  };
  // Writes the groups' records, chained after the last, in one synced
  // batch. Only the writer of the moment calls it.
  [[nodiscard]] Result<void> write_group(const std::vector<Waiting*>& group);

  rocksdb::DB& db_;
  rocksdb::ColumnFamilyHandle* access_;
  std::mutex mutex_;
  std::condition_variable written_;
  std::vector<Waiting*> queue_;  // guarded by mutex_
  bool writing_ = false;         // guarded by mutex_: a group's write is under way
  // The chain's end, touched only by the writer of the moment.
  bool tail_read_ = false;
  std::uint64_t last_position_ = 0;
  std::string last_hash_;
};

}  // namespace escalator
