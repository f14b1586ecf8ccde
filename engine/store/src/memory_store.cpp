#include <algorithm>
#include <future>
#include <iterator>
#include <map>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <unordered_map>

#include "escalator/store/store.hpp"
#include "memory_behind.hpp"
#include "personal_data.hpp"
#include "repeat_calls.hpp"
#include "store_layout.hpp"

namespace escalator {
namespace {

class MemoryStore final : public CaseStore {
 public:
  Result<std::optional<StoredCase>> load(const std::string& case_id) const override {
    std::shared_lock lock(mutex_);
    auto found = cases_.find(case_id);
    if (found == cases_.end()) return std::optional<StoredCase>{};
    return std::optional<StoredCase>{found->second};
  }

  void commit(std::span<CaseWrite> writes, Done done) override { done(store(writes)); }

  Result<std::vector<PendingTimer>> timers_due(const std::optional<PendingTimer>& after, Timestamp until,
                                               std::size_t limit) const override {
    std::shared_lock lock(mutex_);
    std::vector<PendingTimer> due;
    for (auto it = after ? timers_.upper_bound(*after) : timers_.begin();
         it != timers_.end() && it->at <= until && due.size() < limit; ++it) {
      due.push_back(*it);
    }
    return due;
  }

  std::optional<Timestamp> next_timer() const override {
    std::shared_lock lock(mutex_);
    if (timers_.empty()) return std::nullopt;
    return timers_.begin()->at;
  }

  StoreCounters counters() const override {
    std::shared_lock lock(mutex_);
    StoreCounters counters;
    counters.writes = counters.groups = writes_;
    counters.groups_by_size[0] = writes_;  // each write is a group of its own
    return counters;
  }

  Result<std::vector<CalendarImport>> calendar_imports() const override {
    std::shared_lock lock(mutex_);
    return calendar_imports_;
  }
  Result<void> add_calendar_import(const CalendarImport& import) override {
    std::unique_lock lock(mutex_);
    if (import.version != calendar_imports_.size() + 1) {
      return fail(ErrorCode::kFailedPrecondition, "calendar import " + std::to_string(import.version) +
                                                      ": the next version is " +
                                                      std::to_string(calendar_imports_.size() + 1));
    }
    calendar_imports_.push_back(import);
    return {};
  }
  Result<std::vector<OrgImport>> org_imports() const override {
    std::shared_lock lock(mutex_);
    return org_imports_;
  }
  Result<std::vector<StoredOrgRecord>> org_records() const override {
    std::shared_lock lock(mutex_);
    std::vector<StoredOrgRecord> records;
    for (const auto& [key, record] : org_records_) records.push_back(record);
    return records;
  }
  Result<void> add_org_import(const OrgImport& import, std::span<const StoredOrgRecord> records) override {
    std::unique_lock lock(mutex_);
    if (import.version != org_imports_.size() + 1) {
      return fail(ErrorCode::kFailedPrecondition, "org directory import " + std::to_string(import.version) +
                                                      ": the next version is " +
                                                      std::to_string(org_imports_.size() + 1));
    }
    org_imports_.push_back(import);
    for (const StoredOrgRecord& record : records) org_records_[{record.key, record.since}] = record;
    return {};
  }
  Result<std::uint64_t> calendar_applied() const override {
    std::shared_lock lock(mutex_);
    return calendar_applied_;
  }
  Result<void> set_calendar_applied(std::uint64_t version) override {
    std::unique_lock lock(mutex_);
    calendar_applied_ = version;
    return {};
  }
  Result<std::vector<WorkflowChange>> workflow_changes() const override {
    std::shared_lock lock(mutex_);
    return workflow_changes_;
  }
  Result<void> add_workflow_change(const WorkflowChange& change) override {
    std::unique_lock lock(mutex_);
    if (change.number != workflow_changes_.size() + 1) {
      return fail(ErrorCode::kFailedPrecondition, "workflow change " + std::to_string(change.number) +
                                                      ": the next number is " +
                                                      std::to_string(workflow_changes_.size() + 1));
    }
    workflow_changes_.push_back(change);
    return {};
  }
  Result<std::vector<AccessRecord>> append_access(std::vector<AccessRecord> records) override {
    std::unique_lock lock(mutex_);
    for (auto& record : records) {
      record.position = access_log_.size() + 1;
      record.prev_hash = access_log_.empty() ? std::string(kAccessGenesisHash) : access_log_.back().hash;
      record.hash = access_record_hash(record);
      access_log_.push_back(record);
    }
    return records;
  }
  Result<std::vector<OutboxRecord>> outbox_records(std::uint64_t from, std::size_t limit) const override {
    std::shared_lock lock(mutex_);
    std::vector<OutboxRecord> records;
    for (auto p = from; p < outbox_.size() && records.size() < limit; ++p) records.push_back(outbox_[p]);
    return records;
  }
  Result<std::vector<AccessRecord>> access_records(std::uint64_t from, std::size_t limit) const override {
    std::shared_lock lock(mutex_);
    std::vector<AccessRecord> records;
    for (std::uint64_t p = std::max<std::uint64_t>(from, 1); p <= access_log_.size() && records.size() < limit; ++p) {
      records.push_back(access_log_[p - 1]);
    }
    return records;
  }

 private:
  // All the writes or none: each is checked against its case as stored, or
  // as an earlier write of the same call leaves it.
  Result<void> store(std::span<CaseWrite> writes) {
    std::unique_lock lock(mutex_);
    for (std::size_t i = 0; i < writes.size(); ++i) {
      const CaseWrite& write = writes[i];
      std::uint64_t next = 1;
      if (auto stored = cases_.find(write.case_id); stored != cases_.end()) next = stored->second.events.size() + 1;
      for (std::size_t j = 0; j < i; ++j) {
        if (writes[j].case_id == write.case_id) next += writes[j].events.size();
      }
      if (!write.events.empty() && write.events.front().seq != next) {
        return fail(ErrorCode::kFailedPrecondition,
                    "Expected event " + std::to_string(next) + " of case " + write.case_id +
                        " to be appended next, but got event " + std::to_string(write.events.front().seq));
      }
    }
    for (auto& write : writes) put(write);
    return {};
  }

  void put(CaseWrite& write) {
    const std::string& case_id = write.case_id;
    stats::add_marks(stats_, write.stats);
    auto [it, created] = cases_.try_emplace(case_id);
    if (!write.stats.empty()) behind_.add(number_of(case_id), write.stats);
    StoredCase& stored = it->second;
    ++writes_;
    OutboxRecord told{outbox_.size(), case_id, write.events.empty() ? 0 : write.events.front().seq,
                      write.events.empty() ? 0 : write.events.back().seq, {}};
    for (auto& event : write.events) {
      event.position = ++last_position_;
      stored.events.push_back(event);
      told.types.emplace_back(event_type_name(event_type(event.payload)));
    }
    outbox_.push_back(std::move(told));
    personal_data::forget_if_erased(stored.events);
    for (auto& entry : repeat_calls::entries_of(write)) {
      calls_of_case_[case_id].push_back(entry);
      calls_.insert(std::move(entry));
    }
    if (repeat_calls::erases(write)) {
      for (const auto& entry : calls_of_case_[case_id]) calls_.erase(entry);
      calls_of_case_.erase(case_id);
    }
    stored.snapshot = write.snapshot;
    // Both sides are sorted: only the entries that changed touch the ordered set, which
    // grows with every case held and was most of an in-memory command's time when rebuilt whole.
    auto& listed = lists_of_case_[case_id];
    auto now_listed = case_list_entries(write.snapshot);
    std::vector<std::string> gone;
    std::set_difference(listed.begin(), listed.end(), now_listed.begin(), now_listed.end(), std::back_inserter(gone));
    for (const auto& entry : gone) lists_.erase(entry);
    std::set_difference(now_listed.begin(), now_listed.end(), listed.begin(), listed.end(),
                        std::inserter(lists_, lists_.end()));
    listed = std::move(now_listed);
    auto& of_case = timers_of_case_[case_id];
    for (const auto& old : of_case) timers_.erase(old);
    of_case = write.timers;
    timers_.insert(write.timers.begin(), write.timers.end());
    if (created) {
      order_.push_back(case_id);
      if (!write.snapshot.external_id.empty()) by_external_id_.emplace(write.snapshot.external_id, case_id);
    }
  }

 public:
  Result<std::vector<Hit>> scan_list(std::string_view list, std::string_view value, std::string_view after,
                                     std::size_t limit) const override {
    if (auto known = store_layout::known_list(list); !known) return tl::unexpected(known.error());
    const std::string prefix = store_layout::list_prefix(list, value);
    std::shared_lock lock(mutex_);
    std::vector<Hit> hits;
    for (auto it = lists_.lower_bound(prefix + std::string(after)); it != lists_.end() && hits.size() < limit; ++it) {
      if (!it->starts_with(prefix)) break;
      const std::string_view position = std::string_view(*it).substr(prefix.size());
      if (!after.empty() && position == after) continue;
      hits.push_back({std::string(store_layout::list_case_id(list, position)), std::string(position)});
    }
    return hits;
  }

  Result<std::uint64_t> count_list(std::string_view list, std::string_view value) const override {
    if (auto known = store_layout::known_list(list); !known) return tl::unexpected(known.error());
    const std::string prefix = store_layout::list_prefix(list, value);
    std::shared_lock lock(mutex_);
    std::uint64_t n = 0;
    for (auto it = lists_.lower_bound(prefix); it != lists_.end() && it->starts_with(prefix); ++it) ++n;
    return n;
  }

  Result<std::uint64_t> pending_timer_count() const override {
    std::shared_lock lock(mutex_);
    return static_cast<std::uint64_t>(timers_.size());
  }

  std::optional<std::string> case_of_external_id(const std::string& external_id) const override {
    std::shared_lock lock(mutex_);
    auto found = by_external_id_.find(external_id);
    if (found == by_external_id_.end()) return std::nullopt;
    return found->second;
  }

  Result<std::optional<std::string>> last_case_id(std::string_view prefix) const override {
    std::shared_lock lock(mutex_);
    std::optional<std::string> last;
    for (const auto& [id, stored] : cases_) {
      if (id.starts_with(prefix) && (!last || id > *last)) last = id;
    }
    return last;
  }

  std::vector<std::string> case_ids() const override {
    std::shared_lock lock(mutex_);
    return order_;
  }

  Result<std::optional<Call>> previous_call(std::span<const std::string> digests, Timestamp at) const override {
    std::shared_lock lock(mutex_);
    std::optional<Call> latest;
    for (const auto& digest : digests) {
      auto above = calls_.lower_bound(repeat_calls::bound(digest, at));
      if (above == calls_.begin()) continue;
      auto call = repeat_calls::call_in(*std::prev(above), digest);
      if (call && (!latest || call->opened_at > latest->opened_at)) latest = std::move(call);
    }
    return latest;
  }

  Result<std::vector<std::pair<std::string, stats::Tally>>> stats_cells(std::string_view from,
                                                                       std::string_view to) const override {
    std::shared_lock lock(mutex_);
    std::vector<std::pair<std::string, stats::Tally>> cells;
    for (auto at = stats_.lower_bound(from); at != stats_.end() && at->first < to; ++at) {
      cells.emplace_back(at->first, at->second);
    }
    return cells;
  }

  Result<std::optional<stats::Stamp>> stats_stamp() const override {
    std::shared_lock lock(mutex_);
    return stats_stamp_;
  }

  Result<stats::CasesCounted> cases_counted(const stats::BehindQuery& query) const override {
    std::shared_lock lock(mutex_);
    return behind_.counted(query, numbered_cases_);
  }

  Result<void> each_case_counted(const BehindVisit& visit) const override {
    std::shared_lock lock(mutex_);
    for (const auto& [entry, count] : behind_.entries(numbered_cases_)) visit(entry, count);
    return {};
  }

  Result<void> replace_stats(const EveryCaseCounted& count, const stats::Stamp& stamp) override {
    stats::Cells cells;
    std::vector<std::pair<std::string, stats::Marks>> counted_cases;
    auto counted = count([&](std::string_view case_id, const stats::Marks& marks) {
      stats::add_marks(cells, marks);
      counted_cases.emplace_back(case_id, marks);
    });
    std::unique_lock lock(mutex_);
    stats_stamp_.reset();
    if (!counted) return counted;
    stats_ = std::move(cells);
    behind_.clear();
    for (const auto& [case_id, marks] : counted_cases) {
      if (!case_id.empty()) behind_.add(number_of(case_id), marks);
    }
    stats_stamp_ = stamp;
    return {};
  }

 private:
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, StoredCase> cases_;
  std::unordered_map<std::string, std::string> by_external_id_;
  std::vector<std::string> order_;
  std::vector<CalendarImport> calendar_imports_;
  std::uint64_t calendar_applied_ = 0;
  std::vector<OrgImport> org_imports_;
  std::vector<WorkflowChange> workflow_changes_;
  std::vector<AccessRecord> access_log_;  // position p at p - 1
  std::vector<OutboxRecord> outbox_;      // position p at p
  std::map<std::pair<std::string, std::uint64_t>, StoredOrgRecord> org_records_;  // by key, then since
  std::uint64_t writes_ = 0;
  std::uint64_t last_position_ = 0;  // of the log of every case's events, in commit order
  std::set<PendingTimer> timers_;
  std::unordered_map<std::string, std::vector<PendingTimer>> timers_of_case_;
  // The number a case has in the index of the cases behind the counts,
  // which names it by its place in numbered_cases_.
  std::uint32_t number_of(const std::string& case_id) {
    auto [at, added] = case_numbers_.try_emplace(case_id, static_cast<std::uint32_t>(numbered_cases_.size()));
    if (added) numbered_cases_.push_back(case_id);
    return at->second;
  }

  stats::Cells stats_;
  MemoryBehind behind_;  // the cases behind the counts
  std::unordered_map<std::string, std::uint32_t> case_numbers_;
  std::vector<std::string> numbered_cases_;
  std::optional<stats::Stamp> stats_stamp_;
  std::set<std::string> calls_;  // repeat_calls.hpp's entries
  std::set<std::string> lists_;  // case list entries, keyed as the durable store keys them
  std::unordered_map<std::string, std::vector<std::string>> lists_of_case_;
  std::unordered_map<std::string, std::vector<std::string>> calls_of_case_;
};

}  // namespace

Result<void> EventStore::append(std::span<CaseWrite> writes) {
  std::promise<Result<void>> written;
  auto future = written.get_future();
  commit(writes, [&written](Result<void> outcome) { written.set_value(std::move(outcome)); });
  return future.get();
}

Result<BackupInfo> CaseStore::backup_to(const std::filesystem::path&) {
  return fail(ErrorCode::kFailedPrecondition, "A store in memory has nothing on disk to back up");
}

Result<std::vector<std::string>> CaseStore::cases_of_resident(std::string_view resident) const {
  std::vector<std::string> found;
  if (resident.empty()) return found;
  for (const auto& id : case_ids()) {
    auto stored = load(id);
    if (!stored) return tl::unexpected(stored.error());
    if (names_reporter((*stored)->snapshot.reporter, resident)) found.push_back(id);
  }
  std::sort(found.begin(), found.end());
  return found;
}

std::shared_ptr<CaseStore> memory_store() { return std::make_shared<MemoryStore>(); }

}  // namespace escalator
