#include "store_timers.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "rocks_support.hpp"
#include "store_layout.hpp"
#include "store_records.hpp"

namespace escalator {
namespace {

namespace layout = store_layout;

std::int64_t seconds_of(Timestamp t) { return t.time_since_epoch().count(); }

}  // namespace

Result<void> TimerIndex::load() {
  std::string bytes;
  const auto status = db_.Get(rocksdb::ReadOptions(), meta_, layout::kTimersLowWaterKey, &bytes);
  if (status.IsNotFound()) return {};
  if (!status.ok()) return tl::unexpected(status_error(status, "meta/timers_low_water"));
  const auto mark = layout::read_instant(bytes);
  if (!mark) return fail(ErrorCode::kDataLoss, "meta/timers_low_water: should be 8 bytes, found " + std::to_string(bytes.size()));
  mark_ = seconds_of(*mark);
  std::lock_guard lock(floor_mutex_);
  floor_ = *mark;
  return {};
}

std::optional<std::vector<PendingTimer>> TimerIndex::of_case(const std::string& case_id) const {
  std::string text;
  if (!db_.Get(rocksdb::ReadOptions(), timers_, layout::case_timers_key(case_id), &text).ok()) return std::nullopt;
  auto timers = store_records::timers_from_text(text, "timers/c/" + case_id);
  if (!timers) return std::nullopt;
  return std::move(*timers);
}

std::vector<PendingTimer> TimerIndex::replace(rocksdb::WriteBatch& batch, const std::string& case_id,
                                              const std::vector<PendingTimer>& old,
                                              const std::vector<PendingTimer>& timers,
                                              const std::string& encoded_list) {
  for (const auto& timer : old) batch.Delete(timers_, layout::timer_key(timer));
  std::vector<PendingTimer> stored = timers;
  bool raised = false;
  for (auto& timer : stored) {
    if (timer.at < floor_) {
      timer.at = floor_;
      raised = true;
    }
    batch.Put(timers_, layout::timer_key(timer), store_records::timer(timer));
  }
  if (stored.empty()) {
    batch.Delete(timers_, layout::case_timers_key(case_id));
  } else {
    batch.Put(timers_, layout::case_timers_key(case_id), raised ? store_records::timers(stored) : encoded_list);
  }
  return stored;
}

Result<void> TimerIndex::begin_round(Timestamp now) {
  std::lock_guard round(round_mutex_);
  {
    // Waits for a write under way: every write after this one raises its timers to `now`.
    std::lock_guard floor(floor_mutex_);
    floor_ = std::max(floor_, now);
  }
  const std::string lower = layout::timers_from(mark());
  const std::string upper = layout::timers_from(now + std::chrono::seconds{1});
  const rocksdb::Slice upper_bound(upper);
  rocksdb::ReadOptions read;
  read.iterate_upper_bound = &upper_bound;
  std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(read, timers_));
  it->Seek(lower);
  if (!it->status().ok()) return tl::unexpected(status_error(it->status(), "timers"));
  Timestamp moved = now;
  if (it->Valid()) {
    const auto at = layout::timer_at(it->key().ToStringView());
    if (!at) return fail(ErrorCode::kDataLoss, "timers/" + printable(it->key().ToStringView()) + ": not a timer key");
    moved = *at;
  }
  if (seconds_of(moved) <= mark_.load()) return {};
  std::string bytes;
  layout::put_instant(bytes, moved);
  // Not synced: a mark lost in a crash leaves the older one, which is lower, and so still true.
  const auto status = db_.Put(rocksdb::WriteOptions(), meta_, layout::kTimersLowWaterKey, bytes);
  if (!status.ok()) return tl::unexpected(status_error(status, "meta/timers_low_water"));
  mark_ = seconds_of(moved);
  return {};
}

Result<std::vector<PendingTimer>> TimerIndex::due(const std::optional<PendingTimer>& after, Timestamp until,
                                                  std::size_t limit) const {
  std::vector<PendingTimer> found;
  if (until == Timestamp::max()) until -= std::chrono::seconds{1};  // the bound below must not overflow
  const std::string upper = layout::timers_from(until + std::chrono::seconds{1});
  const rocksdb::Slice upper_bound(upper);
  rocksdb::ReadOptions read;
  read.iterate_upper_bound = &upper_bound;
  std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(read, timers_));
  const std::string from = std::max(layout::timers_from(mark()), after ? layout::timer_key(*after) : std::string());
  for (it->Seek(from); it->Valid() && found.size() < limit; it->Next()) {
    const auto key = it->key().ToStringView();
    if (after && key == layout::timer_key(*after)) continue;
    const std::string where = "timers/" + printable(key);
    const auto json = nlohmann::json::parse(it->value().ToStringView(), nullptr, false);
    auto timer = store_records::timer_from_json(json, where);
    if (!timer) return tl::unexpected(timer.error());
    if (layout::timer_key(*timer) != key) {
      return fail(ErrorCode::kDataLoss, where + ": the key does not match the timer it holds");
    }
    found.push_back(std::move(*timer));
  }
  if (!it->status().ok()) return tl::unexpected(status_error(it->status(), "timers"));
  return found;
}

std::optional<Timestamp> TimerIndex::next() const {
  std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(rocksdb::ReadOptions(), timers_));
  it->Seek(layout::timers_from(mark()));
  if (!it->Valid() || !it->key().starts_with(layout::kTimerPrefix)) return std::nullopt;
  return layout::timer_at(it->key().ToStringView());
}

Result<std::uint64_t> TimerIndex::count() const {
  std::uint64_t n = 0;
  std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(rocksdb::ReadOptions(), timers_));
  for (it->Seek(layout::timers_from(mark())); it->Valid() && it->key().starts_with(layout::kTimerPrefix); it->Next()) ++n;
  if (!it->status().ok()) return tl::unexpected(status_error(it->status(), "timers"));
  return n;
}

}  // namespace escalator
