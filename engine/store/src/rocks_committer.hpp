// The durable store's committer (docs/storage.md, "Group commit"): takes
// each command's writes, encoded on the thread that hands them over, puts
// every write that is ready into one batch with the group's pending counts,
// writes it with one sync of the log, and then tells each writer, itself or
// through a reporter thread. Only it gives log positions and case numbers.
//
// Thread safety: commit() may be called from any thread; the committer's
// own threads do the rest. Destroying it writes what was handed over first.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "escalator/store/event_store.hpp"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
class Statistics;
}  // namespace rocksdb

namespace escalator {

class StoredCalls;
class StoredStats;
class TimerIndex;

class Committer {
 public:
  // Where the store's bookkeeping stands when the committer starts: the
  // cases opened, the next outbox record, and the log's last position and
  // log_hash.
  struct Head {
    std::uint64_t cases_opened = 0;
    std::uint64_t outbox_next = 0;
    std::uint64_t log_position = 0;
    std::string log_hash;
  };

  // Borrows the DB, its families (RocksDB's default first, then
  // store_layout's) and the store's parts, which must outlive it.
  Committer(rocksdb::DB& db, const std::vector<rocksdb::ColumnFamilyHandle*>& handles,
            TimerIndex& timers, StoredStats& stats, StoredCalls& calls, Head head);
  ~Committer();
  Committer(const Committer&) = delete;
  Committer& operator=(const Committer&) = delete;

  // EventStore::commit's contract (event_store.hpp).
  void commit(std::span<CaseWrite> writes, EventStore::Done done);
  StoreCounters counters(const rocksdb::Statistics& statistics) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace escalator
