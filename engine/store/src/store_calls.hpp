// The durable store's index of callers (repeat_calls.hpp, docs/storage.md):
// family `index`, "calls/" + entry -> "", and "calls-of/" + case id -> the
// case's entries, each after its size (2 bytes, big-endian), so that erasing
// the case's personal data deletes them with it.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "escalator/store/store.hpp"

namespace escalator {

class StoredCalls {
 public:
  StoredCalls(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* index) : db_(db), index_(index) {}

  // A case's entries, when its write opens it with a caller, and the record of them.
  void add(rocksdb::WriteBatch& batch, const std::string& case_id, const std::vector<std::string>& entries) const;
  // The deletion of a case's entries and their record, when it has any.
  void erase(rocksdb::WriteBatch& batch, const std::string& case_id) const;
  // CallerIndex::previous_call.
  [[nodiscard]] Result<std::optional<CallerIndex::Call>> previous(std::span<const std::string> digests,
                                                                Timestamp at) const;

 private:
  rocksdb::DB& db_;
  rocksdb::ColumnFamilyHandle* index_;
};

}  // namespace escalator
