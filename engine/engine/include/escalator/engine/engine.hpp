// The engine a city platform embeds: it takes commands about cases, decides
// each by the lifecycle table and the case's workflow, and keeps every case's
// events and state.
//
// Ownership: the Engine owns its worker threads and cases; collaborators are
// shared and must outlive nothing in particular (the engine holds them).
// Thread safety: every member function may be called from any thread at once.
// Commands for one case are decided one at a time, in the order submitted;
// commands for different cases are decided in parallel, each on the thread
// that submits it, and written while their callers wait (see submit()).
//
// Cases are kept in a CaseStore (store.hpp): memory_store() unless the embedder
// supplies another. Every decided command is written to the store before its
// future is fulfilled; the engine caches the cases it has touched.
#pragma once

#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "escalator/calendar/calendar.hpp"
#include "escalator/engine/calendar_recount.hpp"
#include "escalator/engine/case_query.hpp"
#include "escalator/engine/decision.hpp"
#include "escalator/engine/due_timers.hpp"
#include "escalator/engine/options.hpp"
#include "escalator/model/case.hpp"
#include "escalator/model/command.hpp"
#include "escalator/model/event.hpp"
#include "escalator/org/directory.hpp"
#include "escalator/store/org_versions.hpp"
#include "escalator/store/stats_report.hpp"
#include "escalator/store/workflows_in_force.hpp"
#include "escalator/util/result.hpp"
#include "escalator/util/time.hpp"

namespace escalator {

class Engine final : public DueTimers {
 public:
  // kInvalidArgument when the options are inconsistent (no clock, no shards);
  // the store's errors reading its calendar imports. When the store holds an
  // import its cases' deadlines have not been recomputed for, open recomputes
  // them before it returns (calendar_recount() tells how it went).
  [[nodiscard]] static Result<std::unique_ptr<Engine>> open(EngineOptions options);

  // Waits for the commands already submitted to be decided, then stops the
  // workers. No other member may be running or called meanwhile.
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Decides the command. The future is fulfilled once the command is decided
  // and its events are in the store; it never holds an exception. Errors:
  //   kInvalidArgument     a field is missing or malformed (the message names it);
  //   kNotFound            no case with that id, or no workflow or unit it needs;
  //   kFailedPrecondition  the lifecycle table refuses the command in this state;
  //   kAborted             expected_version differs from the case's version;
  //   kUnavailable         the district has used all of the day's case numbers,
  //                        or the store cannot write;
  //   kDataLoss            the store holds the case but cannot read it;
  //   kInternal            a collaborator threw, or an invariant broke.
  // A repeated idempotency key is not an error: the future holds the first
  // decision again, with duplicate = true.
  std::future<Result<Decision>> submit(Command command);

  // How submit(command, answer) tells its caller the outcome.
  using Answer = std::function<void(Result<Decision>)>;
  // The same as submit(command), for a caller that must not block on a
  // future (a network service's I/O thread): `answer` is called exactly once
  // with what the future would hold. It may be called before submit returns
  // (a refusal, a repeated key, a store that writes at once) or later on the
  // store's thread, so it must be quick and must not wait for the engine:
  // hand the result to the caller's own executor. An answer that throws is
  // logged, and the engine goes on.
  void submit(Command command, Answer answer);

  // A copy of the case's current state; kNotFound when there is no such case.
  [[nodiscard]] Result<CaseState> get(const std::string& case_id) const;
  // The case's events in order; kNotFound when there is no such case.
  [[nodiscard]] Result<std::vector<Event>> history(const std::string& case_id) const;
  // Ids of every case, in the order opened.
  std::vector<std::string> case_ids() const;

  // The cases that match `query`, a page at a time: by the most selective
  // list the query names (docs/storage.md, "Case lists"), in that list's
  // order (case id order, or opened order when only the time is given), each
  // read as get() reads it. kInvalidArgument naming the field for a limit out
  // of range or a cursor this engine did not give; the store's errors.
  [[nodiscard]] Result<CasePage> find_cases(const CaseQuery& query) const;
  // The open cases `unit` leads, nearest running deadline first (those with
  // none running last), a page of `limit` after `cursor`.
  [[nodiscard]] Result<InboxPage> inbox(const std::string& unit, const std::string& cursor = {},
                                        std::size_t limit = 50) const;

  // When the earliest pending timer of any case fires, if any: a running
  // deadline, or the warning (预逾期) its workflow asks for ahead of it.
  std::optional<Timestamp> next_timer() const override;
  // Submits the command of every timer due at or before the clock's now (a
  // timeout, or a raise_warning unless its deadline has come too) and waits
  // for their decisions, limits.timers_at_once at a time. Returns them, earliest
  // first. A timer fires once: its command's write removes it, and a timer
  // whose deadline has moved is refused and writes nothing.
  // Must not be called from a worker thread (a logger, a collaborator): it
  // waits for work those threads would have to do. Timers are found in the
  // store, so a case the engine has not loaded since it opened fires too.
  // When the store cannot read its timers, the one result is that error.
  std::vector<Result<Decision>> fire_due_timers() override;

  // What the store has done since it opened (writes, groups, log syncs), for metrics.
  StoreCounters store_counters() const;
  // The open cases in each state and the pending timers, counted from the
  // store's lists (each call reads the entries of the open states' lists and
  // the timers' keys, not the cases), for metrics. Over states are 0.
  struct Counts {
    std::uint64_t cases_by_state[kLifecycleStateCount] = {};
    std::uint64_t timers_pending = 0;
  };
  [[nodiscard]] Result<Counts> counts() const;

  // The figures of a period by group, read from the store's counters as
  // `escalator stats` reads them (docs/stats.md): a year's report reads a
  // dozen cells per group, never a case. kInvalidArgument when `to` is
  // before `from`; kDataLoss naming a cell that cannot be read.
  [[nodiscard]] Result<stats::Report> report(const stats::Query& query) const;
  // The cases behind a count of `group` over the query's days, by case id,
  // each with its part, by the configuration's formulas (stats::cases_behind):
  // read from the store's index of them, never by reading the cases.
  // kInvalidArgument for a figure that is not a count of cases.
  [[nodiscard]] Result<std::vector<stats::CaseShare>> cases_behind(const stats::Query& query, std::string_view group,
                                                                   const stats::Figure& figure) const;
  // Adds a verified backup of the store as it is now to `backups` while
  // commands go on (CaseStore::backup_to): every command acknowledged before
  // the call is in it. kFailedPrecondition for a store in memory.
  [[nodiscard]] Result<BackupInfo> backup(const std::filesystem::path& backups);

  // The store's access log (AccessLog, access_log.hpp): appends the records
  // of reads of personal data in clear, durably, before they are answered;
  // and reads them back from a position.
  [[nodiscard]] Result<std::vector<AccessRecord>> record_access(std::vector<AccessRecord> records);
  [[nodiscard]] Result<std::vector<AccessRecord>> access_records(std::uint64_t from, std::size_t limit) const;
  // The store's outbox (Outbox, outbox.hpp): what each acknowledged command
  // added, in commit order, from a position.
  [[nodiscard]] Result<std::vector<OutboxRecord>> outbox_records(std::uint64_t from, std::size_t limit) const;
  // The configuration the engine was opened with (its rates' formulas, its
  // limits).
  const Config& config() const;
  // The clock the engine decides by: an adapter asks it what "now" is, so
  // that what it answers agrees with what the engine decides.
  const Clock& clock() const;

  // The calendar deadlines are counted on: the options' (or the shipped one)
  // with the store's calendar imports.
  std::shared_ptr<const Calendar> calendar() const;
  // The org directory cases are routed by: the options', or the store's.
  std::shared_ptr<const OrgDirectory> directory() const;
  // The workflows cases are opened on and decided by: every version the
  // store's workflow changes hold, with the options' (or the built-in ones)
  // taken in as workflows_in_force() says. An options' catalog that lists no
  // versions (every_version() empty) is used as it is, and takes no changes.
  std::shared_ptr<const WorkflowCatalog> workflows() const;

  // ---- Importing the org directory while cases run (docs/directory.md, "Versions")
  // Stores `text` as the store's next directory version when it has no
  // problem and differs from the newest (import_org_directory,
  // org_versions.hpp), then puts it in force: every command decided after
  // this returns routes by it, and none is decided on part of it (each reads
  // the directory once, as its decision starts). The file's problems are the
  // result's, and nothing changes when there are any. kFailedPrecondition
  // when the embedder gave the directory (EngineOptions::directory); the
  // store's errors. One import at a time.
  [[nodiscard]] Result<OrgImportResult> import_directory(std::string_view text, const std::string& source,
                                                         OrgFileFormat format = OrgFileFormat::kJson);
  // The store's directory versions, oldest first: the store's errors.
  [[nodiscard]] Result<std::vector<OrgImport>> directory_imports() const;

  // ---- Importing a calendar notice while cases run (docs/calendar.md, "Importing a notice")
  struct CalendarImportResult {
    // The import stored; none when the text is the same as the import of its
    // year in force (`same_as`), and nothing changed.
    std::optional<CalendarImport> stored;
    std::uint64_t same_as = 0;
    int year = 0;
    std::string calendar;      // Calendar::version() in force afterwards
    CalendarRecount recount;   // the running deadlines carried, when stored
  };
  // Checks `text` as `escalator calendar import` checks a notice, stores it
  // as the next import, puts the new calendar in force and carries every
  // running deadline over to it while commands go on (docs/calendar.md,
  // "While the service runs", says in what order): each case is carried by
  // its first command after the import, in that command's write, or by the
  // recount this runs, whichever comes first, so no command is decided on a
  // case counted on one calendar by another. Timer rounds wait until the
  // recount is done. kInvalidArgument naming the date for a notice that does
  // not read or clashes with another year; kFailedPrecondition when the
  // embedder's calendar is not an OfficialCalendar, or an earlier import has
  // cases it could not carry yet (until the store next opens); the store's errors.
  [[nodiscard]] Result<CalendarImportResult> import_calendar(std::string_view text, const std::string& source);
  // The store's calendar imports, oldest first, and the newest applied.
  [[nodiscard]] Result<std::vector<CalendarImport>> calendar_imports() const;

  // ---- Changing the workflows while cases run (docs/workflows.md, "Versions")
  // One change at a time; commands go on meanwhile, and a case opened after
  // a change returns is opened on what it made.
  //
  // Publishes `text` as the next version of its workflow when it differs from
  // the latest (upload_workflow), checked against the directory cases are
  // routed by now; the text's problems are the result's, and nothing changes
  // when there are any. kFailedPrecondition when the workflows take no
  // changes (above) or the store keeps none; the store's errors.
  [[nodiscard]] Result<WorkflowUpload> publish_workflow(std::string_view text, const std::string& source);
  // Retires a workflow (it takes no new cases; its cases go on by it) or
  // reinstates it: set_workflow_retired(). Errors as publish_workflow's,
  // and that function's.
  [[nodiscard]] Result<bool> set_workflow_retired(const std::string& id, bool retired);
  bool workflow_retired(const std::string& id) const;
  // Every change made to the workflows, oldest first: the store's errors.
  [[nodiscard]] Result<std::vector<WorkflowChange>> workflow_changes() const;
  // What open did for a calendar import not yet applied; none when there was none.
  const std::optional<CalendarRecount>& calendar_recount() const;

 private:
  struct Impl;
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace escalator
