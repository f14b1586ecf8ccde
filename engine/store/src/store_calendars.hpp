// The durable store's calendar imports (column family `meta`, docs/storage.md):
// "calendar_import/" + version (8 bytes, big-endian) -> the import as JSON,
// and "calendar_applied" -> the newest version whose deadlines were
// recomputed (8 bytes, big-endian). Written synced, one record at a time:
// imports are rare and each stands alone.
#pragma once

#include <rocksdb/db.h>

#include <cstdint>
#include <mutex>
#include <vector>

#include "escalator/store/store.hpp"

namespace escalator {

class StoredCalendarImports {
 public:
  StoredCalendarImports(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* meta) : db_(db), meta_(meta) {}

  // kDataLoss naming the record when one cannot be read.
  [[nodiscard]] Result<std::vector<CalendarImport>> list() const;
  [[nodiscard]] Result<void> add(const CalendarImport& import);
  [[nodiscard]] Result<std::uint64_t> applied() const;
  [[nodiscard]] Result<void> set_applied(std::uint64_t version);

 private:
  rocksdb::DB& db_;
  rocksdb::ColumnFamilyHandle* meta_;
  std::mutex adding_;  // two imports at once must not both take the next version
};

}  // namespace escalator
