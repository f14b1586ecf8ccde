#include "rocks_committer.hpp"

#include <pthread.h>
#include <rocksdb/db.h>
#include <rocksdb/statistics.h>
#include <rocksdb/write_batch.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "boundary.hpp"
#include "event_record.hpp"
#include "rocks_support.hpp"
#include "store_calls.hpp"
#include "store_layout.hpp"
#include "store_prepared.hpp"
#include "store_stats.hpp"
#include "store_timers.hpp"

namespace escalator {

namespace layout = store_layout;

struct Committer::Impl {
  Impl(rocksdb::DB& db, const std::vector<rocksdb::ColumnFamilyHandle*>& handles,
       TimerIndex& timers, StoredStats& stats, StoredCalls& calls, Head head)
      : db_(db),
        handles_(handles),
        timers_(timers),
        stats_(stats),
        calls_(calls),
        cases_opened_(head.cases_opened),
        outbox_next_(head.outbox_next),
        log_position_(head.log_position),
        log_hash_(std::move(head.log_hash)) {
    // Named, so that top, perf and a debugger tell the store's threads apart.
    committer_ = std::thread([this] {
      pthread_setname_np(pthread_self(), "esc-commit");
      commit_loop();
    });
    reporter_ = std::thread([this] {
      pthread_setname_np(pthread_self(), "esc-report");
      report_loop();
    });
  }

  ~Impl() {
    {
      std::lock_guard lock(queue_mutex_);
      stopping_ = true;
    }
    queue_ready_.notify_one();
    if (committer_.joinable()) committer_.join();
    {
      std::lock_guard lock(report_mutex_);
      reporter_stopping_ = true;
    }
    report_ready_.notify_one();
    if (reporter_.joinable()) reporter_.join();
  }

  rocksdb::ColumnFamilyHandle* family(layout::Family f) const { return handles_[1 + f]; }

  void commit(std::span<CaseWrite> writes, EventStore::Done done) {
    if (writes.empty())
      return done(fail(ErrorCode::kInvalidArgument, "store: a commit with no writes"));
    Prepared lead = prepare_here(writes.front(), std::move(done));
    for (auto& write : writes.subspan(1)) lead.together.push_back(prepare_here(write, nullptr));
    {
      std::lock_guard lock(queue_mutex_);
      queue_.push_back(std::move(lead));
    }
    queue_ready_.notify_one();
  }

  void commit_loop() {
    for (;;) {
      std::vector<Prepared> group;
      {
        std::unique_lock lock(queue_mutex_);
        queue_ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and everything handed over is done
        group.swap(queue_);
      }
      write_group(group);
      // When more writes are waiting, answering this group's callers (a
      // wake-up each) is left to the reporter, so the next group's write
      // starts now; with nothing waiting, answering here saves a thread hop.
      bool more = false;
      {
        std::lock_guard lock(queue_mutex_);
        more = !queue_.empty();
      }
      if (!more) {
        report(group);
        continue;
      }
      {
        std::lock_guard lock(report_mutex_);
        to_report_.push_back(std::move(group));
      }
      report_ready_.notify_one();
    }
  }

  void report_loop() {
    for (;;) {
      std::vector<std::vector<Prepared>> groups;
      {
        std::unique_lock lock(report_mutex_);
        report_ready_.wait(lock, [this] { return reporter_stopping_ || !to_report_.empty(); });
        if (to_report_.empty()) return;  // stopping, and every group is answered
        groups.swap(to_report_);
      }
      for (auto& group : groups) report(group);
    }
  }

  // The reads run on the caller's thread, so the committer only writes.
  Prepared prepare_here(CaseWrite& write, EventStore::Done done) const {
    Prepared prepared = prepare(write, std::move(done));
    prepared.source = &write;
    if (write.stored_timers && prepared.first_seq > 1) {
      // What the writer was told at its last write of the case: nothing to read.
      prepared.follows_stored = true;
      prepared.stored_timers = *write.stored_timers;
      return prepared;
    }
    prepared.follows_stored =
        prepared.first_seq > 0 &&
        (prepared.first_seq == 1 || event_stored(prepared.case_id, prepared.first_seq - 1)) &&
        !event_stored(prepared.case_id, prepared.first_seq);
    if (auto stored = timers_.of_case(prepared.case_id))
      prepared.stored_timers = std::move(*stored);
    return prepared;
  }

  bool event_stored(const std::string& case_id, std::uint64_t seq) const {
    std::string ignored;
    return db_
        .Get(rocksdb::ReadOptions(), family(layout::kEvents), layout::event_key(case_id, seq),
             &ignored)
        .ok();
  }

  // A group's batch and what it moves on, kept until the batch is written.
  struct GroupWrite {
    rocksdb::WriteBatch batch;
    std::unordered_map<std::string, std::uint64_t> last_seq;  // of each case written in the group
    std::unordered_map<std::string, std::vector<PendingTimer>> timers;  // as the group leaves them
    std::uint64_t opened = 0;
    std::uint64_t outbox = 0;
    std::uint64_t position = 0;
    std::string log_hash;
    std::uint64_t accepted = 0;
    stats::Marks stats;  // the group's counts, summed by cell as the batch is made
  };

  // Why the write cannot follow what is stored (or earlier in the group, or
  // earlier in its own decision: `within`); none when it can.
  static std::optional<Error> refusal(
      const Prepared& p, const GroupWrite& group,
      const std::unordered_map<std::string, std::uint64_t>& within) {
    if (p.first_seq == 0)
      return Error{ErrorCode::kInvalidArgument, "A write of case " + p.case_id + " has no events"};
    if (p.unsealed) return p.unsealed;
    std::optional<std::uint64_t> earlier;
    if (auto mine = within.find(p.case_id); mine != within.end()) {
      earlier = mine->second;
    } else if (auto grouped = group.last_seq.find(p.case_id); grouped != group.last_seq.end()) {
      earlier = grouped->second;
    }
    const bool follows = earlier ? *earlier + 1 == p.first_seq : p.follows_stored;
    if (follows) return std::nullopt;
    return Error{ErrorCode::kFailedPrecondition,
                 "Expected event " + std::to_string(p.first_seq) + " of case " + p.case_id +
                     " to follow the stored events, but it does not"};
  }

  // The first reason any write of the decision led by `lead` cannot be made.
  static std::optional<Error> refusal_of_any(const Prepared& lead, const GroupWrite& group) {
    std::unordered_map<std::string, std::uint64_t> within;  // stays empty for a one-case write
    if (auto refused = refusal(lead, group, within)) return refused;
    if (lead.together.empty()) return std::nullopt;
    within[lead.case_id] = lead.last_seq;
    for (const Prepared& p : lead.together) {
      if (auto refused = refusal(p, group, within)) return refused;
      within[p.case_id] = p.last_seq;
    }
    return std::nullopt;
  }

  // Puts one case's write into the group's batch.
  void put(GroupWrite& group, const Prepared& p) {
    auto& batch = group.batch;
    for (std::size_t i = 0; i < p.events.size(); ++i) {
      const auto& e = p.events[i];
      batch.Put(family(layout::kEvents), e.key,
                event_record::encode(e.canonical, e.hash, ++group.position, e.prev_hash));
      // Read by the writer only once `done` says the batch is on disk.
      if (p.source != nullptr) p.source->events[i].position = group.position;
      group.log_hash = event_record::next_log_hash(group.log_hash, e.hash).value_or(group.log_hash);
      batch.Put(family(layout::kLog), layout::log_key(group.position),
                event_record::encode_log({p.case_id, e.seq, e.hash, group.log_hash}));
    }
    batch.Put(family(layout::kCases), p.case_id, p.snapshot);
    for (const auto& entry : p.lists_removed) batch.Delete(family(layout::kIndex), entry);
    for (const auto& entry : p.lists_added) batch.Put(family(layout::kIndex), entry, rocksdb::Slice());
    if (!p.personal_record.empty())
      batch.Put(family(layout::kPersonal), p.case_id, p.personal_record);
    if (p.erases_personal) batch.Delete(family(layout::kPersonal), p.case_id);
    calls_.add(batch, p.case_id, p.call_entries);
    if (p.erases_personal) {
      calls_.erase(batch, p.case_id);
      batch.Put(family(layout::kMeta), layout::kPurgePendingKey, rocksdb::Slice());
    }
    if (p.first_seq == 1) {
      batch.Put(family(layout::kIndex), layout::opened_key(++group.opened), p.case_id);
      if (!p.external_id.empty())
        batch.Put(family(layout::kIndex), layout::external_key(p.external_id), p.case_id);
    }
    batch.Put(family(layout::kOutbox), layout::outbox_key(group.outbox++), p.outbox_record);
    replace_timers(batch, p, group.timers);
    group.stats.add_of_case(p.case_id, p.stats);
    group.last_seq[p.case_id] = p.last_seq;
    ++group.accepted;
  }

  // Writes the group as one synced batch and leaves each write's outcome in it.
  void write_group(std::vector<Prepared>& leads) {
    const auto floor = timers_.hold_floor();
    GroupWrite group;
    group.opened = cases_opened_;
    group.outbox = outbox_next_;
    group.position = log_position_;
    group.log_hash = log_hash_;
    for (Prepared& lead : leads) {
      if (auto refused = refusal_of_any(lead, group)) {
        lead.outcome = tl::unexpected(std::move(*refused));
        continue;
      }
      put(group, lead);
      for (const Prepared& p : lead.together) put(group, p);
    }
    if (group.accepted == 0) return;
    auto& batch = group.batch;
    const auto pending_counts = stats_.add(batch, group.stats);
    const auto data_bytes = batch.GetDataSize();
    std::string opened_bytes, outbox_bytes;
    layout::put_big_endian(opened_bytes, group.opened);
    layout::put_big_endian(outbox_bytes, group.outbox);
    batch.Put(family(layout::kMeta), layout::kCasesOpenedKey, opened_bytes);
    batch.Put(family(layout::kMeta), layout::kOutboxNextKey, outbox_bytes);
    rocksdb::WriteOptions durable;
    durable.sync = true;  // acknowledged means on disk
    const auto status = db_.Write(durable, &batch);
    if (status.ok()) {
      cases_opened_ = group.opened;
      outbox_next_ = group.outbox;
      log_position_ = group.position;
      log_hash_ = std::move(group.log_hash);
      writes_ += group.accepted;
      ++groups_;
      ++groups_by_size_[size_bucket(group.accepted)];
      bytes_ += data_bytes;
      if (pending_counts) stats_.written(*pending_counts, std::move(group.stats));
      return;
    }
    for (Prepared& lead : leads) {
      if (lead.outcome)
        lead.outcome = tl::unexpected(status_error(status, "store: writing case " + lead.case_id));
    }
  }

  // Deletes the case's timers as stored (or as an earlier write of the group
  // left them) and puts the write's.
  void replace_timers(rocksdb::WriteBatch& batch, const Prepared& p,
                      std::unordered_map<std::string, std::vector<PendingTimer>>& in_group) {
    const auto earlier = in_group.find(p.case_id);
    const auto& old = earlier != in_group.end() ? earlier->second : p.stored_timers;
    in_group[p.case_id] = timers_.replace(batch, p.case_id, old, p.timers, p.timers_record);
    if (p.source != nullptr) p.source->timers = in_group[p.case_id];
  }

  // Tells each writer its outcome.
  static void report(std::vector<Prepared>& group) {
    for (Prepared& p : group) {
      const auto told = without_throwing("A writer's callback", [&]() -> Result<void> {
        p.done(std::move(p.outcome));
        return {};
      });
      (void)told;  // a callback that throws must not stop everyone's commits
    }
  }

  rocksdb::DB& db_;
  const std::vector<rocksdb::ColumnFamilyHandle*>& handles_;
  TimerIndex& timers_;
  StoredStats& stats_;
  StoredCalls& calls_;

  std::mutex queue_mutex_;
  std::condition_variable queue_ready_;
  std::vector<Prepared> queue_;
  bool stopping_ = false;
  std::thread committer_;

  std::mutex report_mutex_;
  std::condition_variable report_ready_;
  std::vector<std::vector<Prepared>> to_report_;  // written, callers not yet answered
  bool reporter_stopping_ = false;
  std::thread reporter_;

  // Only the committer touches these.
  std::uint64_t cases_opened_ = 0;
  std::uint64_t outbox_next_ = 0;
  std::uint64_t log_position_ = 0;  // the last position given
  std::string log_hash_;            // the log_hash at it
  std::atomic<std::uint64_t> writes_{0};
  std::atomic<std::uint64_t> groups_{0};
  std::atomic<std::uint64_t> groups_by_size_[std::size(StoreCounters{}.groups_by_size)] = {};

  static std::size_t size_bucket(std::uint64_t writes) {
    std::size_t i = 0;
    while (i < std::size(StoreCounters::kGroupSizeBounds) && writes > StoreCounters::kGroupSizeBounds[i]) ++i;
    return i;
  }
  std::atomic<std::uint64_t> bytes_{0};
};

Committer::Committer(rocksdb::DB& db, const std::vector<rocksdb::ColumnFamilyHandle*>& handles,
                     TimerIndex& timers, StoredStats& stats, StoredCalls& calls, Head head)
    : impl_(std::make_unique<Impl>(db, handles, timers, stats, calls, std::move(head))) {}

Committer::~Committer() = default;

void Committer::commit(std::span<CaseWrite> writes, EventStore::Done done) {
  impl_->commit(writes, std::move(done));
}

StoreCounters Committer::counters(const rocksdb::Statistics& statistics) const {
  StoreCounters counters;
  counters.writes = impl_->writes_.load();
  counters.groups = impl_->groups_.load();
  counters.wal_syncs = statistics.getTickerCount(rocksdb::WAL_FILE_SYNCED);
  counters.bytes = impl_->bytes_.load();
  for (std::size_t i = 0; i < std::size(counters.groups_by_size); ++i)
    counters.groups_by_size[i] = impl_->groups_by_size_[i].load();
  rocksdb::HistogramData syncs;
  statistics.histogramData(rocksdb::WAL_FILE_SYNC_MICROS, &syncs);
  counters.wal_sync_seconds_sum = static_cast<double>(syncs.sum) / 1e6;
  counters.wal_sync_p50_seconds = syncs.median / 1e6;
  counters.wal_sync_p99_seconds = syncs.percentile99 / 1e6;
  return counters;
}

}  // namespace escalator
