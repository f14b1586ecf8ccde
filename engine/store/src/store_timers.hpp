// The durable store's timers (column family `timers`, docs/storage.md): every
// case's pending timers in firing order, each case's list of them, and the
// low-water mark below which no timer is stored.
//
// Fired timers are deleted by their case's next write, and deletions stay in
// RocksDB as tombstones until compaction; a scan from the start of the range
// would walk over every timer that ever fired. So the store keeps a mark:
// every stored timer fires at or after it, and scans begin there. A round of
// firing first raises the floor to its `now`: from then on a write stores a
// timer that would fire earlier at the floor instead (it is due at once
// either way), so no timer can appear below a mark the round moves up to.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "escalator/util/result.hpp"
#include "escalator/model/timer.hpp"

namespace escalator {

class TimerIndex {
 public:
  TimerIndex(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* timers, rocksdb::ColumnFamilyHandle* meta)
      : db_(db), timers_(timers), meta_(meta) {}

  // Reads the stored mark (none stored: the beginning of time).
  [[nodiscard]] Result<void> load();

  // The case's timers as stored; none when it has none or they cannot be read
  // (then a write's timers replace them, and `check` reports the rest).
  std::optional<std::vector<PendingTimer>> of_case(const std::string& case_id) const;

  // Held by the committer from building a batch until its write is done, so
  // that a round raises the floor between writes, never during one.
  std::unique_lock<std::mutex> hold_floor() { return std::unique_lock(floor_mutex_); }
  // Into `batch` (hold_floor() held): deletes `old`, puts `timers`, each raised
  // to the floor, and the case's list; returns the timers as stored.
  std::vector<PendingTimer> replace(rocksdb::WriteBatch& batch, const std::string& case_id,
                                    const std::vector<PendingTimer>& old, const std::vector<PendingTimer>& timers,
                                    const std::string& encoded_list);

  // Starts a round of firing at `now`: raises the floor to `now`, then moves
  // the mark to the earliest stored timer, or to `now` when none is due.
  [[nodiscard]] Result<void> begin_round(Timestamp now);
  // Stored timers after `after` (from the mark when none) firing at or before
  // `until`, earliest first, at most `limit`. kDataLoss naming a damaged record.
  [[nodiscard]] Result<std::vector<PendingTimer>> due(const std::optional<PendingTimer>& after, Timestamp until,
                                                      std::size_t limit) const;
  std::optional<Timestamp> next() const;
  // The timers stored from the mark on: every pending one.
  [[nodiscard]] Result<std::uint64_t> count() const;

  Timestamp mark() const { return Timestamp{std::chrono::seconds{mark_.load()}}; }

 private:
  rocksdb::DB& db_;
  rocksdb::ColumnFamilyHandle* timers_;
  rocksdb::ColumnFamilyHandle* meta_;
  std::mutex floor_mutex_;
  Timestamp floor_ = Timestamp::min();  // guarded by floor_mutex_
  std::mutex round_mutex_;              // one round moves the mark at a time
  std::atomic<std::int64_t> mark_{std::numeric_limits<std::int64_t>::min()};  // seconds since the epoch
};

}  // namespace escalator
