// The durable store's workflow changes (column family `workflows`,
// docs/storage.md): "change/" + number (8 bytes, big-endian) -> the change as
// JSON. Written synced, one record at a time: changes are rare and each
// stands alone.
#pragma once

#include <rocksdb/db.h>

#include <mutex>
#include <vector>

#include "escalator/store/import_store.hpp"

namespace escalator {

class StoredWorkflowChanges {
 public:
  StoredWorkflowChanges(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* workflows) : db_(db), workflows_(workflows) {}

  // kDataLoss naming the record when one cannot be read.
  [[nodiscard]] Result<std::vector<WorkflowChange>> list() const;
  [[nodiscard]] Result<void> add(const WorkflowChange& change);

 private:
  rocksdb::DB& db_;
  rocksdb::ColumnFamilyHandle* workflows_;
  std::mutex adding_;  // two changes at once must not both take the next number
};

}  // namespace escalator
