// The durable store: RocksDB, one atomic WriteBatch per group of commands,
// and one WAL sync per group (docs/storage.md).
//
// Writes are read for and encoded on the thread that hands them over, so that
// work runs on every core; that thread never waits for the disk. One
// committer thread takes every write that is ready, puts them in one batch,
// writes it with sync, and only then reports each write done; while it waits
// for the disk the next group gathers (docs/decisions.md, "Deciding on the
// submitting thread").
#include "rocks_store.hpp"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/statistics.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "boundary.hpp"
#include "escalator/lifecycle/history.hpp"
#include "event_json.hpp"
#include "event_record.hpp"
#include "personal_data.hpp"
#include "rocks_support.hpp"
#include "store_prepared.hpp"
#include "store_calendars.hpp"
#include "store_calls.hpp"
#include "store_org.hpp"
#include "store_stats.hpp"
#include "store_timers.hpp"
#include "store_format.hpp"
#include "store_layout.hpp"

namespace escalator {
namespace {

namespace layout = store_layout;

// "events/370811-20250930-000017#5": where a damaged record is.
std::string event_where(std::string_view case_id, std::uint64_t seq) {
  return "events/" + std::string(case_id) + "#" + std::to_string(seq);
}


class RocksStore final : public CaseStore {
 public:
  RocksStore(OpenedDb opened, const DurableStoreOptions& options)
      : opened_(std::move(opened)),
        db_(*opened_.db),
        handles_(opened_.handles),
        statistics_(*opened_.statistics),
        timers_(db_, family(layout::kTimers), family(layout::kMeta)),
        calendar_imports_(db_, family(layout::kMeta)),
        org_versions_(db_, family(layout::kOrg)),
        stats_(db_, family(layout::kStats), family(layout::kMeta), options.fold_counts_after_groups,
               options.fold_counts_every),
        calls_(db_, family(layout::kIndex)) {}

  ~RocksStore() override {
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
    stats_.stop();
    // A clean shutdown leaves nothing for the next start to replay from the log.
    rocksdb::FlushOptions flush;
    std::vector<rocksdb::ColumnFamilyHandle*> families(handles_.begin() + 1, handles_.end());
    // A flush that fails leaves the log for the next open to replay: slower, nothing lost.
    (void)db_.Flush(flush, families);
  }

  // Reads the bookkeeping and starts the committer.
  Result<void> start(const std::filesystem::path& path) {
    if (auto format = store_format::bring_up_to_date(db_, handles_, path); !format) return format;
    auto opened = read_counter(layout::kCasesOpenedKey);
    if (!opened) return tl::unexpected(opened.error());
    auto outbox = read_counter(layout::kOutboxNextKey);
    if (!outbox) return tl::unexpected(outbox.error());
    if (auto loaded = timers_.load(); !loaded) return loaded;
    if (auto log = read_log_head(); !log) return log;
    if (auto counting = stats_.start(); !counting) return counting;
    cases_opened_ = *opened;
    outbox_next_ = *outbox;
    // Named, so that top, perf and a debugger tell the store's threads apart.
    committer_ = std::thread([this] {
      pthread_setname_np(pthread_self(), "esc-commit");
      commit_loop();
    });
    reporter_ = std::thread([this] {
      pthread_setname_np(pthread_self(), "esc-report");
      report_loop();
    });
    return {};
  }

  Result<std::optional<StoredCase>> load(const std::string& case_id) const override {
    // One snapshot for both reads: a commit between them cannot pair a
    // snapshot with events it does not belong to.
    const rocksdb::Snapshot* snapshot = db_.GetSnapshot();
    auto loaded = load_at(case_id, snapshot);
    db_.ReleaseSnapshot(snapshot);
    return loaded;
  }

  void commit(std::span<CaseWrite> writes, Done done) override {
    if (writes.empty()) return done(fail(ErrorCode::kInvalidArgument, "store: a commit with no writes"));
    Prepared lead = prepare_here(writes.front(), std::move(done));
    for (auto& write : writes.subspan(1)) lead.together.push_back(prepare_here(write, nullptr));
    {
      std::lock_guard lock(queue_mutex_);
      queue_.push_back(std::move(lead));
    }
    queue_ready_.notify_one();
  }

  Result<std::vector<std::pair<std::string, stats::Tally>>> stats_cells(std::string_view from,
                                                                       std::string_view to) const override {
    return stats_.cells(from, to);
  }
  Result<std::optional<stats::Stamp>> stats_stamp() const override { return stats_.stamp(); }
  Result<void> replace_stats(const stats::Cells& cells, const stats::Stamp& stamp) override {
    return stats_.replace(cells, stamp);
  }

  std::optional<std::string> case_of_external_id(const std::string& external_id) const override {
    std::string case_id;
    const auto status = db_.Get(rocksdb::ReadOptions(), family(layout::kIndex),
                                 layout::external_key(external_id), &case_id);
    if (!status.ok()) return std::nullopt;
    return case_id;
  }

  Result<std::optional<std::string>> last_case_id(std::string_view prefix) const override {
    // Case ids of one district and day differ only in their fixed-width
    // sequence, so the greatest is the last key of the prefix: one seek.
    std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(rocksdb::ReadOptions(), family(layout::kCases)));
    it->SeekForPrev(std::string(prefix) + '\xff');
    if (!it->status().ok()) return tl::unexpected(status_error(it->status(), "store: reading the case ids of " + std::string(prefix)));
    if (!it->Valid() || !it->key().starts_with(prefix)) return std::optional<std::string>{};
    return std::optional<std::string>{it->key().ToString()};
  }

  std::vector<std::string> case_ids() const override {
    std::vector<std::string> ids;
    std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(rocksdb::ReadOptions(), family(layout::kIndex)));
    for (it->Seek(layout::kOpenedPrefix); it->Valid() && it->key().starts_with(layout::kOpenedPrefix);
         it->Next()) {
      ids.push_back(it->value().ToString());
    }
    return ids;
  }

  Result<std::vector<PendingTimer>> timers_due(const std::optional<PendingTimer>& after, Timestamp until,
                                               std::size_t limit) const override {
    return timers_.due(after, until, limit);
  }

  Result<std::optional<Call>> previous_call(std::span<const std::string> digests, Timestamp at) const override {
    return calls_.previous(digests, at);
  }

  Result<void> begin_timer_round(Timestamp now) override { return timers_.begin_round(now); }

  std::optional<Timestamp> next_timer() const override { return timers_.next(); }

  Result<std::vector<CalendarImport>> calendar_imports() const override { return calendar_imports_.list(); }
  Result<void> add_calendar_import(const CalendarImport& import) override { return calendar_imports_.add(import); }
  Result<std::uint64_t> calendar_applied() const override { return calendar_imports_.applied(); }
  Result<std::vector<OrgImport>> org_imports() const override { return org_versions_.imports(); }
  Result<std::vector<StoredOrgRecord>> org_records() const override { return org_versions_.records(); }
  Result<void> add_org_import(const OrgImport& import, std::span<const StoredOrgRecord> records) override {
    return org_versions_.add(import, records);
  }
  Result<void> set_calendar_applied(std::uint64_t version) override { return calendar_imports_.set_applied(version); }

  Result<std::vector<std::string>> cases_of_resident(std::string_view resident) const override {
    std::vector<std::string> found;
    std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(rocksdb::ReadOptions(), family(layout::kPersonal)));
    for (it->SeekToFirst(); it->Valid() && !resident.empty(); it->Next()) {
      if (personal_data::names_resident(it->value().ToStringView(), resident)) found.push_back(it->key().ToString());
    }
    if (!it->status().ok()) return tl::unexpected(status_error(it->status(), "personal"));
    return found;
  }

  Result<void> purge_deleted() override { return store_format::compact_all(db_, handles_); }

  StoreCounters counters() const override {
    return {writes_.load(), groups_.load(), statistics_.getTickerCount(rocksdb::WAL_FILE_SYNCED), bytes_.load()};
  }

 private:
  rocksdb::ColumnFamilyHandle* family(layout::Family f) const { return handles_[1 + f]; }

  // Where the log goes on: the last entry's position and log_hash.
  Result<void> read_log_head() {
    std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(rocksdb::ReadOptions(), family(layout::kLog)));
    it->SeekToLast();
    if (!it->status().ok()) return tl::unexpected(status_error(it->status(), "log"));
    if (!it->Valid()) return {};
    const auto where = "log/" + printable(it->key().ToStringView());
    const auto position = layout::read_big_endian(it->key().ToStringView());
    auto entry = event_record::decode_log(it->value().ToStringView());
    if (!position || !entry) return fail(ErrorCode::kDataLoss, where + ": not a log entry");
    log_position_ = *position;
    log_hash_ = entry->log_hash;
    return {};
  }

  Result<std::uint64_t> read_counter(std::string_view key) const {
    std::string bytes;
    const auto status = db_.Get(rocksdb::ReadOptions(), family(layout::kMeta), key, &bytes);
    if (status.IsNotFound()) return std::uint64_t{0};
    if (!status.ok()) return tl::unexpected(status_error(status, "meta/" + std::string(key)));
    auto value = layout::read_big_endian(bytes);
    if (!value) return fail(ErrorCode::kDataLoss, "meta/" + std::string(key) + " should be 8 bytes, found " +
                                                      std::to_string(bytes.size()));
    return *value;
  }

  Result<std::optional<StoredCase>> load_at(const std::string& case_id, const rocksdb::Snapshot* at) const {
    rocksdb::ReadOptions read;
    read.snapshot = at;
    std::string snapshot_text;
    auto status = db_.Get(read, family(layout::kCases), case_id, &snapshot_text);
    if (status.IsNotFound()) return std::optional<StoredCase>{};
    if (!status.ok()) return tl::unexpected(status_error(status, "cases/" + case_id));

    StoredCase stored;
    auto snapshot = read_case_text(snapshot_text);
    if (!snapshot)
      return fail(ErrorCode::kDataLoss, "cases/" + case_id + ": " + snapshot.error().message);
    stored.snapshot = std::move(*snapshot);

    const std::string prefix = layout::event_prefix(case_id);
    std::string after_prefix = prefix;
    after_prefix.back() = '\x01';
    rocksdb::Slice upper(after_prefix);
    read.iterate_upper_bound = &upper;
    std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(read, family(layout::kEvents)));
    for (it->Seek(prefix); it->Valid(); it->Next()) {
      const auto expected = stored.events.size() + 1;
      const auto seq = layout::event_seq(it->key().ToStringView(), case_id);
      if (!seq) return fail(ErrorCode::kDataLoss, "events/" + printable(it->key().ToStringView()) + ": not an event key");
      if (*seq != expected) {
        return fail(ErrorCode::kDataLoss, event_where(case_id, expected) + ": missing (the next stored is #" +
                                              std::to_string(*seq) + ")");
      }
      auto event = event_record::decode(it->value().ToStringView());
      if (!event) return fail(ErrorCode::kDataLoss, event_where(case_id, *seq) + ": " + event.error().message);
      if (event->seq != *seq) {
        return fail(ErrorCode::kDataLoss, event_where(case_id, *seq) + ": holds event " + std::to_string(event->seq));
      }
      stored.events.push_back(std::move(*event));
    }
    if (!it->status().ok()) return tl::unexpected(status_error(it->status(), "events of " + case_id));
    if (stored.events.size() != stored.snapshot.version) {
      return fail(ErrorCode::kDataLoss, "cases/" + case_id + ": the snapshot is at version " +
                                            std::to_string(stored.snapshot.version) + ", but " +
                                            std::to_string(stored.events.size()) + " events are stored");
    }
    if (auto joined = join_personal(read, stored); !joined) return tl::unexpected(joined.error());
    return std::optional<StoredCase>{std::move(stored)};
  }

  // The personal values and salts back into the opening event and the
  // snapshot, checked against the history's commitments; none once erased.
  Result<void> join_personal(const rocksdb::ReadOptions& read, StoredCase& stored) const {
    auto* opened = stored.events.empty() ? nullptr : std::get_if<ev::CaseOpened>(&stored.events.front().payload);
    if (opened == nullptr) return {};
    std::string record;
    const auto& case_id = stored.snapshot.id;
    const auto status = db_.Get(read, family(layout::kPersonal), case_id, &record);
    if (status.IsNotFound()) return {};
    if (!status.ok()) return tl::unexpected(status_error(status, "personal/" + case_id));
    if (auto joined = personal_data::join(record, *opened); !joined) {
      return fail(ErrorCode::kDataLoss, "personal/" + case_id + ": " + joined.error().message);
    }
    personal_data::copy_values(*opened, stored.snapshot);
    return {};
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
  Prepared prepare_here(CaseWrite& write, Done done) const {
    Prepared prepared = prepare(write, std::move(done));
    prepared.source = &write;
    if (write.stored_timers && prepared.first_seq > 1) {
      // What the writer was told at its last write of the case: nothing to read.
      prepared.follows_stored = true;
      prepared.stored_timers = *write.stored_timers;
      return prepared;
    }
    prepared.follows_stored = prepared.first_seq > 0 &&
                              (prepared.first_seq == 1 || event_stored(prepared.case_id, prepared.first_seq - 1)) &&
                              !event_stored(prepared.case_id, prepared.first_seq);
    if (auto stored = timers_.of_case(prepared.case_id)) prepared.stored_timers = std::move(*stored);
    return prepared;
  }

  bool event_stored(const std::string& case_id, std::uint64_t seq) const {
    std::string ignored;
    return db_.Get(rocksdb::ReadOptions(), family(layout::kEvents), layout::event_key(case_id, seq), &ignored).ok();
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
  static std::optional<Error> refusal(const Prepared& p, const GroupWrite& group,
                                      const std::unordered_map<std::string, std::uint64_t>& within) {
    if (p.first_seq == 0) return Error{ErrorCode::kInvalidArgument, "A write of case " + p.case_id + " has no events"};
    if (p.unsealed) return p.unsealed;
    std::optional<std::uint64_t> earlier;
    if (auto mine = within.find(p.case_id); mine != within.end()) {
      earlier = mine->second;
    } else if (auto grouped = group.last_seq.find(p.case_id); grouped != group.last_seq.end()) {
      earlier = grouped->second;
    }
    const bool follows = earlier ? *earlier + 1 == p.first_seq : p.follows_stored;
    if (follows) return std::nullopt;
    return Error{ErrorCode::kFailedPrecondition, "Expected event " + std::to_string(p.first_seq) + " of case " +
                                                     p.case_id + " to follow the stored events, but it does not"};
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
      batch.Put(family(layout::kEvents), e.key, event_record::encode(e.canonical, e.hash, ++group.position, e.prev_hash));
      // Read by the writer only once `done` says the batch is on disk.
      if (p.source != nullptr) p.source->events[i].position = group.position;
      group.log_hash = event_record::next_log_hash(group.log_hash, e.hash).value_or(group.log_hash);
      batch.Put(family(layout::kLog), layout::log_key(group.position),
                event_record::encode_log({p.case_id, e.seq, e.hash, group.log_hash}));
    }
    batch.Put(family(layout::kCases), p.case_id, p.snapshot);
    if (!p.personal_record.empty()) batch.Put(family(layout::kPersonal), p.case_id, p.personal_record);
    if (p.erases_personal) batch.Delete(family(layout::kPersonal), p.case_id);
    calls_.add(batch, p.case_id, p.call_entries);
    if (p.erases_personal) calls_.erase(batch, p.case_id);
    if (p.first_seq == 1) {
      batch.Put(family(layout::kIndex), layout::opened_key(++group.opened), p.case_id);
      if (!p.external_id.empty()) batch.Put(family(layout::kIndex), layout::external_key(p.external_id), p.case_id);
    }
    batch.Put(family(layout::kOutbox), layout::outbox_key(group.outbox++), p.outbox_record);
    replace_timers(batch, p, group.timers);
    group.stats.add(p.stats);
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
      bytes_ += data_bytes;
      if (pending_counts) stats_.written(*pending_counts, std::move(group.stats));
      return;
    }
    for (Prepared& lead : leads) {
      if (lead.outcome) lead.outcome = tl::unexpected(status_error(status, "store: writing case " + lead.case_id));
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

  OpenedDb opened_;
  rocksdb::DB& db_;
  const std::vector<rocksdb::ColumnFamilyHandle*>& handles_;  // default first, then layout::Family order
  rocksdb::Statistics& statistics_;
  TimerIndex timers_;
  StoredCalendarImports calendar_imports_;
  StoredOrgVersions org_versions_;
  StoredStats stats_;
  StoredCalls calls_;

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

  // Only the committer touches these after start().
  std::uint64_t cases_opened_ = 0;
  std::uint64_t outbox_next_ = 0;
  std::uint64_t log_position_ = 0;  // the last position given
  std::string log_hash_{kGenesisHash};  // the log_hash at it
  std::atomic<std::uint64_t> writes_{0};
  std::atomic<std::uint64_t> groups_{0};
  std::atomic<std::uint64_t> bytes_{0};
};

rocksdb::Options rocks_options(const DurableStoreOptions& o, rocksdb::Env* env) {
  rocksdb::Options options;
  options.create_if_missing = o.create_if_missing;
  options.create_missing_column_families = true;
  options.max_total_wal_size = o.max_total_wal_bytes;
  options.db_write_buffer_size = o.write_buffer_bytes;
  options.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  options.keep_log_file_num = 4;
  options.max_log_file_size = std::size_t{4} << 20;
  options.statistics = rocksdb::CreateDBStatistics();
  if (env != nullptr) options.env = env;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(o.block_cache_bytes);
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return options;
}

}  // namespace

OpenedDb::~OpenedDb() {
  if (!db) return;
  for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle);
  db->Close();
}

Result<OpenedDb> open_rocks_db(const DurableStoreOptions& o, rocksdb::Env* env) {
  const std::string path = o.path.string();
  const auto options = rocks_options(o, env);
  std::vector<std::string> names;
  if (!rocksdb::DB::ListColumnFamilies(options, path, &names).ok()) {
    if (!o.create_if_missing) return fail(ErrorCode::kNotFound, "No store at " + path);
    names = {rocksdb::kDefaultColumnFamilyName};
  }
  // Ours first, in layout order; then any a newer release added, opened as they are.
  std::vector<rocksdb::ColumnFamilyDescriptor> families{{rocksdb::kDefaultColumnFamilyName, options}};
  for (auto name : layout::kFamilyNames) families.emplace_back(std::string(name), options);
  // Personal records are small and few; kept uncompressed, an erasure can be
  // checked by searching the files for the erased text (docs/storage.md).
  families[1 + layout::kPersonal].options.compression = rocksdb::kNoCompression;
  families[1 + layout::kStats].options.merge_operator = tally_merge_operator();
  for (const auto& name : names) {
    const bool known = std::any_of(families.begin(), families.end(),
                                   [&](const auto& f) { return f.name == name; });
    if (!known) families.emplace_back(name, options);
  }
  OpenedDb opened;
  rocksdb::DB* raw = nullptr;
  const auto status = rocksdb::DB::Open(options, path, families, &opened.handles, &raw);
  if (!status.ok()) return tl::unexpected(status_error(status, "Cannot open the store at " + path));
  opened.db.reset(raw);
  opened.statistics = options.statistics;
  return opened;
}

Result<std::shared_ptr<CaseStore>> open_rocks_store(const DurableStoreOptions& o, rocksdb::Env* env) {
  auto opened = open_rocks_db(o, env);
  if (!opened) return tl::unexpected(opened.error());
  auto store = std::make_shared<RocksStore>(std::move(*opened), o);
  if (auto started = store->start(o.path); !started) return tl::unexpected(started.error());
  return std::shared_ptr<CaseStore>(std::move(store));
}

Result<std::shared_ptr<CaseStore>> open_durable_store(const DurableStoreOptions& options) {
  return open_rocks_store(options, nullptr);
}

}  // namespace escalator
