// The durable store's org directory (column family `org`, docs/storage.md):
// "import/" + version (8 bytes, big-endian) -> the import as JSON, and
// "record/" + key + NUL + since (8 bytes, big-endian) -> {"until": N,
// "record": …}, one per record an import wrote. An import and the records it
// writes are one synced WriteBatch: a crash leaves all of it or none.
#pragma once

#include <rocksdb/db.h>

#include <mutex>
#include <span>
#include <vector>

#include "escalator/store/store.hpp"

namespace escalator {

class StoredOrgVersions {
 public:
  StoredOrgVersions(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* org) : db_(db), org_(org) {}

  // kDataLoss naming the record when one cannot be read.
  [[nodiscard]] Result<std::vector<OrgImport>> imports() const;
  [[nodiscard]] Result<std::vector<StoredOrgRecord>> records() const;
  [[nodiscard]] Result<void> add(const OrgImport& import, std::span<const StoredOrgRecord> records);

 private:
  rocksdb::DB& db_;
  rocksdb::ColumnFamilyHandle* org_;
  std::mutex adding_;  // two imports at once must not both take the next version
};

}  // namespace escalator
