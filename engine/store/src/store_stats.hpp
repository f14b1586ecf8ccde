// The durable store's counters (docs/stats.md, docs/storage.md): family
// `stats`, an encoded stats::CellKey -> its Tally, and meta "stats_stamp",
// what they were counted with.
//
// A group commit does not add to the cells: it puts one pending record, the
// counts of all its writes (stats::Marks bytes), under "\xffpending" and a
// number (8 bytes, big-endian), so that counting costs the group one key, not
// one per cell. A folder thread adds pending records to their cells with a
// merge operator and deletes them, in one batch, off the write path; a reader
// takes the cells and the pending records from one snapshot, so every count a
// group's write made is read exactly once, before folding or after.
//
// The index of the cases behind the counts (stats/cases_behind.hpp) is the
// family `behind`: an encoded BehindKey -> the case's count there, a Tally
// under index 0. A family of its own, so that a report's cells stay as few
// files and cache blocks as they were. A pending record says whose each
// count is (Marks::add_of_case), and the folder adds the entries in the
// batch that adds the cells.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/merge_operator.h>
#include <rocksdb/write_batch.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "escalator/stats/cases_behind.hpp"
#include "escalator/stats/stats.hpp"
#include "escalator/store/counter_store.hpp"

namespace escalator {

// Adds the tallies given to a key: RocksDB calls it, in any grouping.
std::shared_ptr<rocksdb::MergeOperator> tally_merge_operator();

class StoredStats {
 public:
  // Folds when `fold_after` groups are pending or the oldest has waited
  // `fold_every` (0: never for that reason), and when it stops.
  StoredStats(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* stats, rocksdb::ColumnFamilyHandle* behind,
              rocksdb::ColumnFamilyHandle* meta, std::size_t fold_after, std::chrono::milliseconds fold_every,
              bool read_only = false)
      : db_(db), stats_(stats), behind_(behind), meta_(meta), fold_after_(fold_after), fold_every_(fold_every),
        read_only_(read_only) {}
  ~StoredStats() { stop(); }
  StoredStats(const StoredStats&) = delete;
  StoredStats& operator=(const StoredStats&) = delete;

  // Reads the pending records an earlier run left and starts folding.
  // kDataLoss naming a pending record that cannot be read.
  [[nodiscard]] Result<void> start();
  // Folds what is pending and stops the folder: before the store closes.
  void stop();

  // The committer's: puts `marks` in the batch as the next pending record,
  // and returns its number; none when there is nothing to count.
  std::optional<std::uint64_t> add(rocksdb::WriteBatch& batch, const stats::Marks& marks) const;
  // The committer's, once the batch add() was given is written: the record
  // is for the folder, and the next one takes the next number.
  void written(std::uint64_t number, stats::Marks marks);

  [[nodiscard]] Result<std::vector<std::pair<std::string, stats::Tally>>> cells(std::string_view from,
                                                                                std::string_view to) const;
  [[nodiscard]] Result<stats::CasesCounted> cases_counted(const stats::BehindQuery& query) const;
  [[nodiscard]] Result<void> each_case_counted(const CounterStore::BehindVisit& visit) const;
  [[nodiscard]] Result<std::optional<stats::Stamp>> stamp() const;
  // Replaces every cell and entry, pending records included, with what
  // `count` gives. No write may be in flight.
  [[nodiscard]] Result<void> replace(const CounterStore::EveryCaseCounted& count, const stats::Stamp& stamp);

 private:
  struct Pending {
    std::uint64_t number = 0;
    stats::Marks marks;
  };
  void fold_loop();
  // Adds what is pending to the cells and deletes it, in one batch. False
  // when the batch could not be written: the records stay pending.
  bool fold();

  rocksdb::DB& db_;
  rocksdb::ColumnFamilyHandle* stats_;
  rocksdb::ColumnFamilyHandle* behind_;
  rocksdb::ColumnFamilyHandle* meta_;
  const std::size_t fold_after_;
  const std::chrono::milliseconds fold_every_;
  const bool read_only_;  // a reader beside the writer: no snapshot, no folding
  std::uint64_t next_ = 0;  // the next pending record's number; the committer's after start()

  std::mutex fold_mutex_;  // one fold at a time, and none during replace()
  std::mutex pending_mutex_;
  std::condition_variable pending_ready_;
  std::vector<Pending> unfolded_;  // written, in number order
  bool stopping_ = false;
  std::thread folder_;
};

}  // namespace escalator
