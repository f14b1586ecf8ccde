// The durable store's counters (docs/stats.md, docs/storage.md): family
// `stats`, an encoded stats::CellKey -> its Tally, added to by a merge
// operator, so a group's writes add their counts in the group's batch
// without reading what is stored; and meta "stats_stamp", what they were
// counted with.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/merge_operator.h>
#include <rocksdb/write_batch.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "escalator/stats/stats.hpp"

namespace escalator {

// Adds the tallies given to a key: RocksDB calls it, in any grouping.
std::shared_ptr<rocksdb::MergeOperator> tally_merge_operator();

class StoredStats {
 public:
  StoredStats(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* stats, rocksdb::ColumnFamilyHandle* meta)
      : db_(db), stats_(stats), meta_(meta) {}

  // Adds each cell's tally to the batch.
  void add(rocksdb::WriteBatch& batch, const stats::Marks& marks) const;
  [[nodiscard]] Result<std::vector<std::pair<std::string, stats::Tally>>> cells(std::string_view from,
                                                                                std::string_view to) const;
  [[nodiscard]] Result<std::optional<stats::Stamp>> stamp() const;
  [[nodiscard]] Result<void> replace(const stats::Cells& cells, const stats::Stamp& stamp);

 private:
  rocksdb::DB& db_;
  rocksdb::ColumnFamilyHandle* stats_;
  rocksdb::ColumnFamilyHandle* meta_;
};

}  // namespace escalator
