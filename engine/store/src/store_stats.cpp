#include "store_stats.hpp"

#include <pthread.h>

#include <rocksdb/snapshot.h>

#include <algorithm>
#include <chrono>
#include <iterator>

#include <nlohmann/json.hpp>

#include "rocks_support.hpp"
#include "store_layout.hpp"

namespace escalator {
namespace {

constexpr std::string_view kStampKey = store_layout::kStatsStampKey;
// Pending records lie past every cell key ([kCellsFrom, kCellsTo)), all of
// them in [pending_key(0), kPendingEnd).
constexpr std::string_view kPendingPrefix{"\xffpending", 8};
constexpr std::string_view kPendingEnd{"\xffpendinh", 8};

// Every entry of the `behind` family begins with its dimension's number.
constexpr std::string_view kBehindFrom = stats::kCellsFrom;
constexpr std::string_view kBehindTo = stats::kCellsTo;
// An entry's value: the case's count there, under index 0.
std::string behind_value(std::int64_t count) {
  stats::Tally tally;
  tally.add(0, count);
  return tally.encode();
}

std::string pending_key(std::uint64_t number) {
  std::string key(kPendingPrefix);
  store_layout::put_big_endian(key, number);
  return key;
}

// Adds a cell's tallies. All of a key's operands at once, decoded once each
// and encoded once, since a busy cell collects one per group write until a flush.
class TallyAdd final : public rocksdb::MergeOperator {
 public:
  bool FullMergeV2(const MergeOperationInput& in, MergeOperationOutput* out) const override {
    std::optional<stats::Tally> sum = stats::Tally();
    if (in.existing_value) sum = stats::Tally::decode(in.existing_value->ToStringView());
    if (!sum || !add_up(in.operand_list, *sum)) return false;  // RocksDB reports the key as corrupt
    out->new_value = sum->encode();
    return true;
  }
  bool PartialMergeMulti(const rocksdb::Slice&, const std::deque<rocksdb::Slice>& operands, std::string* merged,
                         rocksdb::Logger*) const override {
    stats::Tally sum;
    if (!add_up(operands, sum)) return false;
    *merged = sum.encode();
    return true;
  }
  const char* Name() const override { return "escalator.TallyAdd"; }

 private:
  template <typename Operands>
  static bool add_up(const Operands& operands, stats::Tally& sum) {
    for (const rocksdb::Slice& operand : operands) {
      const auto added = stats::Tally::decode(operand.ToStringView());
      if (!added) return false;
      sum.add(*added);
    }
    return true;
  }
};

// "stats/…": the cell's key, readable.
std::string where(std::string_view key) {
  if (auto cell = stats::CellKey::decode(key)) return "stats/" + cell->name();
  return "stats/" + printable(key);
}

// Calls visit(number, marks) for each pending record `read` sees, in number
// order. kDataLoss naming a record that is not one.
template <class Visit>
Result<void> each_pending(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* family, rocksdb::ReadOptions read,
                          Visit&& visit) {
  const rocksdb::Slice upper(kPendingEnd.data(), kPendingEnd.size());
  read.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(read, family));
  for (it->Seek(rocksdb::Slice(kPendingPrefix.data(), kPendingPrefix.size())); it->Valid(); it->Next()) {
    const auto key = it->key().ToStringView();
    const auto number = store_layout::read_big_endian(key.substr(kPendingPrefix.size()));
    auto marks = stats::Marks::decode(it->value().ToStringView());
    if (!number || !marks) return fail(ErrorCode::kDataLoss, where(key) + ": not a pending count");
    visit(*number, std::move(*marks));
  }
  if (!it->status().ok()) return tl::unexpected(status_error(it->status(), "stats: reading the pending counts"));
  return {};
}

}  // namespace

std::shared_ptr<rocksdb::MergeOperator> tally_merge_operator() { return std::make_shared<TallyAdd>(); }

Result<void> StoredStats::start() {
  auto read = each_pending(db_, stats_, rocksdb::ReadOptions(), [this](std::uint64_t number, stats::Marks marks) {
    unfolded_.push_back({number, std::move(marks)});
    next_ = number + 1;
  });
  if (!read) return read;
  folder_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "esc-fold");
    fold_loop();
  });
  return {};
}

void StoredStats::stop() {
  {
    std::lock_guard lock(pending_mutex_);
    stopping_ = true;
  }
  pending_ready_.notify_one();
  if (folder_.joinable()) folder_.join();
}

std::optional<std::uint64_t> StoredStats::add(rocksdb::WriteBatch& batch, const stats::Marks& marks) const {
  if (marks.empty()) return std::nullopt;
  const auto bytes = marks.bytes();
  batch.Put(stats_, pending_key(next_), rocksdb::Slice(bytes.data(), bytes.size()));
  return next_;
}

void StoredStats::written(std::uint64_t number, stats::Marks marks) {
  next_ = number + 1;
  bool full = false;
  {
    std::lock_guard lock(pending_mutex_);
    unfolded_.push_back({number, std::move(marks)});
    full = fold_after_ > 0 && unfolded_.size() >= fold_after_;
  }
  if (full) pending_ready_.notify_one();
}

void StoredStats::fold_loop() {
  const auto due = [this] { return stopping_ || (fold_after_ > 0 && unfolded_.size() >= fold_after_); };
  for (;;) {
    {
      std::unique_lock lock(pending_mutex_);
      if (fold_every_.count() > 0) {
        pending_ready_.wait_for(lock, fold_every_, due);
      } else {
        pending_ready_.wait(lock, due);
      }
      if (stopping_ && unfolded_.empty()) return;
    }
    // A fold that fails leaves its records pending on disk: when stopping,
    // the next opening folds them.
    const bool folded = fold();
    std::lock_guard lock(pending_mutex_);
    if (stopping_ && (unfolded_.empty() || !folded)) return;
  }
}

bool StoredStats::fold() {
  std::lock_guard folding(fold_mutex_);
  std::vector<Pending> folding_now;
  {
    std::lock_guard lock(pending_mutex_);
    folding_now.swap(unfolded_);
  }
  if (folding_now.empty()) return true;
  stats::Marks all;
  rocksdb::WriteBatch batch;
  for (const auto& pending : folding_now) {
    all.add(pending.marks);
    batch.Delete(stats_, pending_key(pending.number));
  }
  for (const auto& [key, tally] : all.summed()) batch.Merge(stats_, key, tally.encode());
  stats::Behind behind;
  stats::add_behind(behind, all);
  for (const auto& [entry, count] : behind) batch.Merge(behind_, entry, behind_value(count));
  // Not synced: the pending records are on disk until a fold is, and a fold
  // is all or nothing, so a fold lost in a crash is done again.
  if (db_.Write(rocksdb::WriteOptions(), &batch).ok()) return true;
  std::lock_guard lock(pending_mutex_);
  folding_now.insert(folding_now.end(), std::make_move_iterator(unfolded_.begin()),
                     std::make_move_iterator(unfolded_.end()));
  unfolded_.swap(folding_now);
  return false;
}

Result<std::vector<std::pair<std::string, stats::Tally>>> StoredStats::cells(std::string_view from,
                                                                             std::string_view to) const {
  std::vector<std::pair<std::string, stats::Tally>> found;
  // The cells and the pending records from one snapshot: a fold between the
  // two reads would count its records twice, or not at all.
  // (A reader's view is one instant already: RocksDB's secondary takes no snapshot.)
  std::optional<rocksdb::ManagedSnapshot> snapshot;
  if (!read_only_) snapshot.emplace(&db_);
  rocksdb::ReadOptions at_snapshot;
  if (snapshot) at_snapshot.snapshot = snapshot->snapshot();
  rocksdb::ReadOptions read = at_snapshot;
  const rocksdb::Slice upper(to.data(), to.size());
  read.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(read, stats_));
  for (it->Seek(rocksdb::Slice(from.data(), from.size())); it->Valid(); it->Next()) {
    auto tally = stats::Tally::decode(it->value().ToStringView());
    if (!tally) return fail(ErrorCode::kDataLoss, where(it->key().ToStringView()) + ": not a tally");
    found.emplace_back(it->key().ToString(), std::move(*tally));
  }
  if (!it->status().ok()) return tl::unexpected(status_error(it->status(), "stats: reading the counters"));

  stats::Cells pending;
  auto pending_read = each_pending(db_, stats_, at_snapshot, [&](std::uint64_t, const stats::Marks& marks) {
    marks.each([&](std::string_view key, std::uint16_t index) {
      if (key >= from && key < to) pending[std::string(key)].add(index, 1);
    });
  });
  if (!pending_read) return tl::unexpected(pending_read.error());
  if (pending.empty()) return found;
  for (auto& [key, tally] : found) pending[key].add(tally);
  found.clear();
  for (auto& [key, tally] : pending) found.emplace_back(key, std::move(tally));
  return found;
}

Result<stats::CasesCounted> StoredStats::cases_counted(const stats::BehindQuery& query) const {
  stats::CasesCounted counted;
  // The entries and the pending records from one snapshot, as cells() reads them.
  std::optional<rocksdb::ManagedSnapshot> snapshot;
  if (!read_only_) snapshot.emplace(&db_);
  rocksdb::ReadOptions at_snapshot;
  if (snapshot) at_snapshot.snapshot = snapshot->snapshot();
  for (std::uint32_t index = query.first_index; index <= query.last_index; ++index) {
    const auto as_index = static_cast<std::uint16_t>(index);
    const auto from = stats::BehindKey::prefix(query.dimension, query.group, as_index, query.from_day);
    // Past every case of the last day: no case id holds the byte 0xFF, which UTF-8 never uses.
    const auto upper = stats::BehindKey::prefix(query.dimension, query.group, as_index, query.to_day) + '\xff';
    rocksdb::ReadOptions read = at_snapshot;
    const rocksdb::Slice bound(upper);
    read.iterate_upper_bound = &bound;
    std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(read, behind_));
    for (it->Seek(from); it->Valid(); it->Next()) {
      const auto key = it->key().ToStringView();
      const auto entry = stats::BehindKey::decode(key);
      const auto value = stats::Tally::decode(it->value().ToStringView());
      if (!entry || !value) return fail(ErrorCode::kDataLoss, "behind/" + printable(key) + ": not an entry of a case");
      counted[entry->case_id].add(as_index, value->get(0));
    }
    if (!it->status().ok()) return tl::unexpected(status_error(it->status(), "stats: reading the cases behind the counts"));
  }
  auto pending_read = each_pending(db_, stats_, at_snapshot, [&](std::uint64_t, const stats::Marks& marks) {
    stats::add_counted(counted, query, marks);
  });
  if (!pending_read) return tl::unexpected(pending_read.error());
  return counted;
}

Result<void> StoredStats::each_case_counted(const CounterStore::BehindVisit& visit) const {
  std::optional<rocksdb::ManagedSnapshot> snapshot;
  if (!read_only_) snapshot.emplace(&db_);
  rocksdb::ReadOptions at_snapshot;
  if (snapshot) at_snapshot.snapshot = snapshot->snapshot();
  // The pending counts, few, merged into the folded entries as both are read in key order.
  stats::Behind pending;
  auto pending_read = each_pending(db_, stats_, at_snapshot, [&](std::uint64_t, const stats::Marks& marks) {
    stats::add_behind(pending, marks);
  });
  if (!pending_read) return pending_read;
  auto next_pending = pending.begin();
  rocksdb::ReadOptions read = at_snapshot;
  std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(read, behind_));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const auto entry = it->key().ToStringView();
    const auto value = stats::Tally::decode(it->value().ToStringView());
    if (!value) return fail(ErrorCode::kDataLoss, "behind/" + printable(entry) + ": not an entry of a case");
    for (; next_pending != pending.end() && next_pending->first < entry; ++next_pending) {
      visit(next_pending->first, next_pending->second);
    }
    std::int64_t count = value->get(0);
    if (next_pending != pending.end() && next_pending->first == entry) count += (next_pending++)->second;
    visit(entry, count);
  }
  if (!it->status().ok()) return tl::unexpected(status_error(it->status(), "stats: reading the cases behind the counts"));
  for (; next_pending != pending.end(); ++next_pending) visit(next_pending->first, next_pending->second);
  return {};
}

Result<std::optional<stats::Stamp>> StoredStats::stamp() const {
  std::string text;
  const auto status = db_.Get(rocksdb::ReadOptions(), meta_, kStampKey, &text);
  if (status.IsNotFound()) return std::optional<stats::Stamp>();
  if (!status.ok()) return tl::unexpected(status_error(status, "meta/stats_stamp"));
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.value("definition", nlohmann::json()).is_number_integer() ||
      !j.value("calendar", nlohmann::json()).is_string() || !j.value("working_hours", nlohmann::json()).is_string()) {
    return fail(ErrorCode::kDataLoss,
                "meta/stats_stamp: not {\"calendar\":\"…\",\"definition\":N,\"working_hours\":\"…\"}");
  }
  return std::optional<stats::Stamp>(stats::Stamp{j["definition"].get<int>(), j["calendar"].get<std::string>(),
                                                  j["working_hours"].get<std::string>()});
}

Result<void> StoredStats::replace(const CounterStore::EveryCaseCounted& count, const stats::Stamp& stamp) {
  std::lock_guard folding(fold_mutex_);
  std::vector<Pending> dropped;
  {
    std::lock_guard lock(pending_mutex_);
    dropped.swap(unfolded_);
  }
  const auto range = [](std::string_view from, std::string_view to) {
    return std::pair{rocksdb::Slice(from.data(), from.size()), rocksdb::Slice(to.data(), to.size())};
  };
  rocksdb::WriteOptions sync;
  sync.sync = true;
  // The stamp goes first: a recount cut short leaves none, and the next
  // opening recounts again.
  rocksdb::WriteBatch batch;
  batch.Delete(meta_, kStampKey);
  for (const auto& [from, to] : {range(stats::kCellsFrom, stats::kCellsTo), range(kPendingPrefix, kPendingEnd)}) {
    batch.DeleteRange(stats_, from, to);
  }
  const auto [from, to] = range(kBehindFrom, kBehindTo);
  batch.DeleteRange(behind_, from, to);
  auto status = db_.Write(sync, &batch);
  if (!status.ok()) {
    std::lock_guard lock(pending_mutex_);
    unfolded_.swap(dropped);
    return tl::unexpected(status_error(status, "stats: replacing the counters"));
  }
  stats::Cells cells;
  {
    batch.Clear();
    // A case's entries are its own keys: put, a batch of many cases at a time.
    stats::Behind of_case;
    auto counted = count([&](std::string_view case_id, const stats::Marks& marks) {
      stats::add_marks(cells, marks);
      of_case.clear();
      stats::add_behind(of_case, case_id, marks);
      for (const auto& [entry, n] : of_case) batch.Put(behind_, entry, behind_value(n));
      if (batch.Count() >= 10000 && status.ok()) {
        status = db_.Write(rocksdb::WriteOptions(), &batch);
        batch.Clear();
      }
    });
    if (!counted) return counted;
  }
  if (status.ok()) {
    for (const auto& [key, tally] : cells) batch.Put(stats_, key, tally.encode());
    const nlohmann::json j = {
        {"calendar", stamp.calendar}, {"definition", stamp.definition}, {"working_hours", stamp.working_hours}};
    batch.Put(meta_, kStampKey, j.dump());
    status = db_.Write(sync, &batch);
  }
  if (!status.ok()) return tl::unexpected(status_error(status, "stats: replacing the counters"));
  return {};
}

}  // namespace escalator
