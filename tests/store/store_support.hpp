// What the store tests share: a directory that removes itself, a resident's
// leak report, a case's commands to closure, a store and an engine over it,
// a case's first write, raw access to the RocksDB under a store for
// tampering, RocksDB's counts of what it did, and the check that a stored
// case is whole.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/perf_context.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "escalator/engine/engine.hpp"

namespace escalator::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

cmd::Open leak_report();
// A one-step workflow "leaks" taking 物业/漏水 at priority 5, held by the
// sample directory's property company (community office behind it): 2h to
// accept, a working day to resolve.
const std::string& leaks_workflow();
// tests/fixtures/calendar-import/2026-spring-festival-extended.json: the 2026
// Spring Festival made to run to 25 February, a notice to import.
std::string extended_spring_festival_notice();
// After Open: the commands that take a case to Closed.
std::vector<CommandPayload> to_closure();

// The durable store at `path`, created when missing, over `env` (RocksDB's
// own when null); throws (failing the test) when it cannot be opened.
std::shared_ptr<CaseStore> open_durable_at(const std::filesystem::path& path,
                                           rocksdb::Env* env = nullptr);

// An engine over `store` with `workers` threads (none: each command is decided
// on the caller's), its clock stopped at 2025-11-11 09:00 China Standard Time.
std::unique_ptr<Engine> engine_on(std::shared_ptr<CaseStore> store, int workers = 2);
// Replaces the store's counters with `cells` set by hand, no case behind
// them; every value must be 0 or more.
Result<void> replace_counters(CounterStore& store, const stats::Cells& cells, const stats::Stamp& stamp);
// A command by actor "test".
Command command(const std::string& case_id, const std::string& key, CommandPayload payload);
// A case's first write, as little as the store needs.
CaseWrite opened_write(const std::string& id);

// What RocksDB counted on this thread while `read` ran: the keys it stepped
// over, the bytes its point lookups returned, ...
rocksdb::PerfContext counted_while(const std::function<void()>& read);

// The store's RocksDB, opened directly with every column family.
class RawStore {
 public:
  explicit RawStore(const std::filesystem::path& path);
  ~RawStore();
  rocksdb::DB& db() { return *db_; }
  rocksdb::ColumnFamilyHandle* family(std::string_view name);
  std::vector<std::pair<std::string, std::string>> all(std::string_view family);

 private:
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::vector<std::string> names_;
};

// Empty when the stored case is whole: events 1..n, the snapshot at version
// n and equal to the replay of its events. Otherwise what is wrong.
std::string wholeness_problem(const StoredCase& stored);

// A memory store that test stores wrap, overriding what they watch or break.
struct ForwardingStore : CaseStore {
  std::shared_ptr<CaseStore> real = memory_store();
  Result<std::optional<StoredCase>> load(const std::string& id) const override { return real->load(id); }
  using CaseStore::commit;
  void commit(std::span<CaseWrite> writes, Done done) override { real->commit(writes, std::move(done)); }
  std::optional<std::string> case_of_external_id(const std::string& x) const override {
    return real->case_of_external_id(x);
  }
  std::vector<std::string> case_ids() const override { return real->case_ids(); }
  Result<std::optional<std::string>> last_case_id(std::string_view prefix) const override {
    return real->last_case_id(prefix);
  }
  Result<std::vector<PendingTimer>> timers_due(const std::optional<PendingTimer>& after, Timestamp until,
                                               std::size_t limit) const override {
    return real->timers_due(after, until, limit);
  }
  Result<void> begin_timer_round(Timestamp now) override { return real->begin_timer_round(now); }
  std::optional<Timestamp> next_timer() const override { return real->next_timer(); }
  Result<std::vector<CalendarImport>> calendar_imports() const override { return real->calendar_imports(); }
  Result<void> add_calendar_import(const CalendarImport& i) override { return real->add_calendar_import(i); }
  Result<std::uint64_t> calendar_applied() const override { return real->calendar_applied(); }
  Result<void> set_calendar_applied(std::uint64_t version) override { return real->set_calendar_applied(version); }
  Result<std::vector<OrgImport>> org_imports() const override { return real->org_imports(); }
  Result<std::vector<StoredOrgRecord>> org_records() const override { return real->org_records(); }
  Result<void> add_org_import(const OrgImport& i, std::span<const StoredOrgRecord> r) override {
    return real->add_org_import(i, r);
  }
  Result<std::vector<std::pair<std::string, stats::Tally>>> stats_cells(std::string_view from,
                                                                       std::string_view to) const override {
    return real->stats_cells(from, to);
  }
  Result<std::optional<stats::Stamp>> stats_stamp() const override { return real->stats_stamp(); }
  Result<std::optional<Call>> previous_call(std::span<const std::string> digests, Timestamp at) const override {
    return real->previous_call(digests, at);
  }
  Result<stats::CasesCounted> cases_counted(const stats::BehindQuery& query) const override {
    return real->cases_counted(query);
  }
  Result<void> each_case_counted(const BehindVisit& visit) const override { return real->each_case_counted(visit); }
  Result<void> replace_stats(const EveryCaseCounted& count, const stats::Stamp& stamp) override {
    return real->replace_stats(count, stamp);
  }
  Result<std::uint64_t> count_list(std::string_view list, std::string_view value) const override {
    return real->count_list(list, value);
  }
  Result<std::uint64_t> pending_timer_count() const override { return real->pending_timer_count(); }
  Result<std::vector<Hit>> scan_list(std::string_view list, std::string_view value, std::string_view after,
                                     std::size_t limit) const override {
    return real->scan_list(list, value, after, limit);
  }
};

}  // namespace escalator::testing
