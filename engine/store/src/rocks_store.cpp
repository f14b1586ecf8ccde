// The durable store: RocksDB, one atomic WriteBatch per group of commands,
// and one WAL sync per group (docs/storage.md). This file opens the store and
// reads it; writes go through its Committer (rocks_committer.hpp).
#include "rocks_store.hpp"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/statistics.h>
#include <rocksdb/table.h>

#include <stdlib.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "escalator/lifecycle/history.hpp"
#include "event_json.hpp"
#include "event_record.hpp"
#include "personal_data.hpp"
#include "rocks_committer.hpp"
#include "rocks_support.hpp"
#include "store_calendars.hpp"
#include "store_calls.hpp"
#include "store_org.hpp"
#include "store_stats.hpp"
#include "store_timers.hpp"
#include "store_access.hpp"
#include "store_records.hpp"
#include "store_workflows.hpp"
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
      : read_only_(options.read_only),
        opened_(std::move(opened)),
        db_(*opened_.db),
        handles_(opened_.handles),
        statistics_(*opened_.statistics),
        timers_(db_, family(layout::kTimers), family(layout::kMeta)),
        calendar_imports_(db_, family(layout::kMeta)),
        org_versions_(db_, family(layout::kOrg)),
        workflow_changes_(db_, family(layout::kWorkflows)),
        access_log_(db_, family(layout::kAccess)),
        stats_(db_, family(layout::kStats), family(layout::kBehind), family(layout::kMeta), options.fold_counts_after_groups,
               options.fold_counts_every, options.read_only),
        calls_(db_, family(layout::kIndex)) {}

  ~RocksStore() override {
    committer_.reset();  // writes what was handed over
    stats_.stop();
    if (read_only_) return;
    // A clean shutdown leaves nothing for the next start to replay from the log.
    rocksdb::FlushOptions flush;
    std::vector<rocksdb::ColumnFamilyHandle*> families(handles_.begin() + 1, handles_.end());
    // A flush that fails leaves the log for the next open to replay: slower, nothing lost.
    (void)db_.Flush(flush, families);
  }

  // Reads the bookkeeping and starts the committer.
  Result<void> start(const std::filesystem::path& path) {
    path_ = path;
    if (read_only_) return start_reading(path);
    if (auto format = store_format::bring_up_to_date(db_, handles_, path); !format) return format;
    // An erasure whose files were not rewritten (the process was killed first): rewrite them now.
    std::string pending;
    if (db_.Get(rocksdb::ReadOptions(), family(layout::kMeta), layout::kPurgePendingKey, &pending).ok()) {
      if (auto purged = purge_deleted(); !purged) return purged;
      finished_purge_ = true;
    }
    auto opened = read_counter(layout::kCasesOpenedKey);
    if (!opened) return tl::unexpected(opened.error());
    auto outbox = read_counter(layout::kOutboxNextKey);
    if (!outbox) return tl::unexpected(outbox.error());
    if (auto loaded = timers_.load(); !loaded) return loaded;
    if (auto log = read_log_head(); !log) return log;
    if (auto counting = stats_.start(); !counting) return counting;
    committer_ = std::make_unique<Committer>(db_, handles_, timers_, stats_, calls_,
                                             Committer::Head{*opened, *outbox, log_position_, log_hash_});
    return {};
  }

  Result<std::optional<StoredCase>> load(const std::string& case_id) const override {
    // A reader's view is one instant already (RocksDB's secondary takes no snapshot).
    if (read_only_) return load_at(case_id, nullptr);
    // One snapshot for both reads: a commit between them cannot pair a
    // snapshot with events it does not belong to.
    const rocksdb::Snapshot* snapshot = db_.GetSnapshot();
    auto loaded = load_at(case_id, snapshot);
    db_.ReleaseSnapshot(snapshot);
    return loaded;
  }

  void commit(std::span<CaseWrite> writes, Done done) override {
    if (read_only_) return done(fail(ErrorCode::kFailedPrecondition, "store at " + path_.string() + ": opened to read only"));
    committer_->commit(writes, std::move(done));
  }

  Result<BackupInfo> backup_to(const std::filesystem::path& backups) override {
    // RocksDB's backup engine takes one backup of a directory at a time.
    std::lock_guard lock(backup_mutex_);
    return backup_db(db_, backups, path_.string());
  }

  Result<std::vector<std::pair<std::string, stats::Tally>>> stats_cells(std::string_view from,
                                                                       std::string_view to) const override {
    return stats_.cells(from, to);
  }
  Result<std::optional<stats::Stamp>> stats_stamp() const override { return stats_.stamp(); }
  Result<stats::CasesCounted> cases_counted(const stats::BehindQuery& query) const override {
    return stats_.cases_counted(query);
  }
  Result<void> each_case_counted(const BehindVisit& visit) const override { return stats_.each_case_counted(visit); }
  Result<void> replace_stats(const EveryCaseCounted& count, const stats::Stamp& stamp) override {
    return stats_.replace(count, stamp);
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

  Result<std::vector<Hit>> scan_list(std::string_view list, std::string_view value, std::string_view after,
                                     std::size_t limit) const override {
    if (auto known = layout::known_list(list); !known) return tl::unexpected(known.error());
    const std::string prefix = layout::list_prefix(list, value);
    std::vector<Hit> hits;
    std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(rocksdb::ReadOptions(), family(layout::kIndex)));
    for (it->Seek(prefix + std::string(after)); it->Valid() && hits.size() < limit; it->Next()) {
      const std::string_view key(it->key().data(), it->key().size());
      if (!key.starts_with(prefix)) break;
      const auto position = key.substr(prefix.size());
      if (!after.empty() && position == after) continue;
      hits.push_back({std::string(layout::list_case_id(list, position)), std::string(position)});
    }
    if (!it->status().ok()) return tl::unexpected(status_error(it->status(), "store: reading the list of " + std::string(list)));
    return hits;
  }

  Result<std::uint64_t> count_list(std::string_view list, std::string_view value) const override {
    if (auto known = layout::known_list(list); !known) return tl::unexpected(known.error());
    const std::string prefix = layout::list_prefix(list, value);
    std::uint64_t n = 0;
    std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(rocksdb::ReadOptions(), family(layout::kIndex)));
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) ++n;
    if (!it->status().ok()) return tl::unexpected(status_error(it->status(), "store: counting the list of " + std::string(list)));
    return n;
  }

  Result<std::uint64_t> pending_timer_count() const override { return timers_.count(); }

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
  Result<std::vector<WorkflowChange>> workflow_changes() const override { return workflow_changes_.list(); }
  Result<void> add_workflow_change(const WorkflowChange& change) override {
    if (read_only_) return fail(ErrorCode::kFailedPrecondition, "store at " + path_.string() + ": opened to read only");
    return workflow_changes_.add(change);
  }

  Result<std::vector<AccessRecord>> append_access(std::vector<AccessRecord> records) override {
    if (read_only_) return fail(ErrorCode::kFailedPrecondition, "store at " + path_.string() + ": opened to read only");
    return access_log_.append(std::move(records));
  }
  Result<std::vector<OutboxRecord>> outbox_records(std::uint64_t from, std::size_t limit) const override {
    std::vector<OutboxRecord> records;
    std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(rocksdb::ReadOptions(), family(layout::kOutbox)));
    for (it->Seek(layout::outbox_key(from)); it->Valid() && records.size() < limit; it->Next()) {
      const auto position = layout::read_big_endian(it->key().ToStringView());
      if (!position) return fail(ErrorCode::kDataLoss, "outbox/" + it->key().ToString(true) + ": not an outbox key");
      auto record = store_records::outbox_from_json(it->value().ToStringView(), "outbox/" + std::to_string(*position));
      if (!record) return tl::unexpected(record.error());
      record->position = *position;
      records.push_back(std::move(*record));
    }
    if (!it->status().ok()) return tl::unexpected(status_error(it->status(), "outbox"));
    return records;
  }
  Result<std::vector<AccessRecord>> access_records(std::uint64_t from, std::size_t limit) const override {
    return access_log_.read(from, limit);
  }

  Result<std::vector<std::string>> cases_of_resident(std::string_view resident) const override {
    std::vector<std::string> found;
    std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(rocksdb::ReadOptions(), family(layout::kPersonal)));
    for (it->SeekToFirst(); it->Valid() && !resident.empty(); it->Next()) {
      if (personal_data::names_resident(it->value().ToStringView(), resident)) found.push_back(it->key().ToString());
    }
    if (!it->status().ok()) return tl::unexpected(status_error(it->status(), "personal"));
    return found;
  }

  Result<void> purge_deleted() override {
    if (auto compacted = store_format::compact_all(db_, handles_); !compacted) return compacted;
    rocksdb::WriteOptions synced;
    synced.sync = true;
    if (auto status = db_.Delete(synced, family(layout::kMeta), layout::kPurgePendingKey); !status.ok()) {
      return tl::unexpected(status_error(status, "meta/purge_pending"));
    }
    return {};
  }

  bool finished_a_purge_when_opened() const override { return finished_purge_; }

  StoreCounters counters() const override { return committer_ ? committer_->counters(statistics_) : StoreCounters{}; }

 private:
  bool finished_purge_ = false;  // the open rewrote the files an interrupted erasure left
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

  // What start() reads, for a reader beside the writer: the format must be
  // this release's, since a reader upgrades nothing.
  Result<void> start_reading(const std::filesystem::path& path) {
    if (auto format = store_format::check_current(db_, handles_, path); !format) return format;
    if (auto loaded = timers_.load(); !loaded) return loaded;
    return read_log_head();
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

  const bool read_only_;
  OpenedDb opened_;
  rocksdb::DB& db_;
  const std::vector<rocksdb::ColumnFamilyHandle*>& handles_;  // default first, then layout::Family order
  rocksdb::Statistics& statistics_;
  TimerIndex timers_;
  StoredCalendarImports calendar_imports_;
  StoredOrgVersions org_versions_;
  StoredWorkflowChanges workflow_changes_;
  StoredAccessLog access_log_;
  StoredStats stats_;
  StoredCalls calls_;

  // Read at start, for the committer to go on from.
  std::uint64_t log_position_ = 0;  // the last position given
  std::string log_hash_{kGenesisHash};  // the log_hash at it
  std::unique_ptr<Committer> committer_;  // after what it borrows: destroyed first
  std::filesystem::path path_;
  std::mutex backup_mutex_;
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
  if (db) {
    for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle);
    db->Close();
    db.reset();
  }
  if (!secondary_dir.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(secondary_dir, ignored);
  }
}

namespace {
constexpr std::string_view kInUse = " is in use by another process";
}  // namespace

bool in_use_elsewhere(const Error& error) {
  return error.code == ErrorCode::kUnavailable && error.message.find(kInUse) != std::string::npos;
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
  families[1 + layout::kBehind].options.merge_operator = tally_merge_operator();
  // The entries are only ever read as ranges: a bloom filter of every key
  // would be built at each flush and compaction and never asked.
  {
    const auto* shared = options.table_factory->GetOptions<rocksdb::BlockBasedTableOptions>();
    rocksdb::BlockBasedTableOptions ranges_only = *shared;
    ranges_only.filter_policy.reset();
    families[1 + layout::kBehind].options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(ranges_only));
  }
  for (const auto& name : names) {
    const bool known = std::any_of(families.begin(), families.end(),
                                   [&](const auto& f) { return f.name == name; });
    if (!known) families.emplace_back(name, options);
  }
  OpenedDb opened;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status status;
  if (o.read_only) {
    // A secondary keeps its info log and manifest copy in a directory of its own.
    std::string dir = (std::filesystem::temp_directory_path() / "escalator-reader-XXXXXX").string();
    if (::mkdtemp(dir.data()) == nullptr) return fail(ErrorCode::kUnavailable, "Cannot make a directory to read " + path + " beside its writer");
    opened.secondary_dir = dir;
    auto secondary = options;
    secondary.max_open_files = -1;  // RocksDB requires it of a secondary
    secondary.create_if_missing = false;
    // A family a later format added is missing from an older store, and a
    // secondary creates none: read its format with the families it has, to
    // refuse it as check_current() does.
    const auto missing = std::find_if(families.begin(), families.end(), [&](const auto& f) {
      return std::find(names.begin(), names.end(), f.name) == names.end();
    });
    if (missing != families.end()) {
      std::vector<rocksdb::ColumnFamilyDescriptor> present;
      std::vector<rocksdb::ColumnFamilyHandle*> by_layout(families.size(), nullptr);
      std::vector<std::size_t> places;
      for (std::size_t i = 0; i < families.size(); ++i) {
        if (std::find(names.begin(), names.end(), families[i].name) == names.end()) continue;
        present.push_back(families[i]);
        places.push_back(i);
      }
      status = rocksdb::DB::OpenAsSecondary(secondary, path, dir, present, &opened.handles, &raw);
      if (raw != nullptr) opened.db.reset(raw);
      if (!status.ok()) return tl::unexpected(status_error(status, "Cannot open the store at " + path));
      for (std::size_t i = 0; i < places.size(); ++i) by_layout[places[i]] = opened.handles[i];
      if (by_layout[1 + layout::kMeta] != nullptr) {
        if (auto current = store_format::check_current(*opened.db, by_layout, o.path); !current) {
          return tl::unexpected(current.error());
        }
      }
      return fail(ErrorCode::kFailedPrecondition,
                  "store at " + path + " has no family '" + missing->name + "': a writer has not opened it since an upgrade");
    }
    status = rocksdb::DB::OpenAsSecondary(secondary, path, dir, families, &opened.handles, &raw);
    if (status.ok()) status = raw->TryCatchUpWithPrimary();
  } else {
    status = rocksdb::DB::Open(options, path, families, &opened.handles, &raw);
  }
  if (raw != nullptr) opened.db.reset(raw);
  if (!status.ok() && status.IsIOError() && status.ToString().find("lock") != std::string::npos) {
    return fail(ErrorCode::kUnavailable, "The store at " + path + std::string(kInUse) +
                                             " (a running escalator serve?): " + status.ToString());
  }
  if (!status.ok()) return tl::unexpected(status_error(status, "Cannot open the store at " + path));
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
