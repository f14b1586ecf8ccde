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
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "escalator/calendar.hpp"
#include "escalator/case.hpp"
#include "escalator/command.hpp"
#include "escalator/config.hpp"
#include "escalator/directory.hpp"
#include "escalator/event.hpp"
#include "escalator/logger.hpp"
#include "escalator/result.hpp"
#include "escalator/store.hpp"
#include "escalator/time.hpp"
#include "escalator/workflow.hpp"

namespace escalator {

// What a command did.
struct Decision {
  std::string case_id;
  std::uint64_t version = 0;  // the case's version after the command
  LifecycleState state = LifecycleState::kNew;
  std::vector<Event> events;  // the events this command added, in order
  // The idempotency key was seen: this is the first decision again, with the
  // version and state the case had right after it, not the case's current ones.
  bool duplicate = false;
};

// What Engine::open did to bring running deadlines up to a calendar imported
// since they were set (docs/calendar.md, "Importing a notice").
struct CalendarRecount {
  std::uint64_t version = 0;          // the import now in force
  std::string calendar;               // its Calendar::version()
  std::uint64_t cases_checked = 0;    // cases with a running deadline
  std::uint64_t cases_moved = 0;      // of those, the ones whose deadlines moved: a DeadlinesRecomputed each
  std::vector<std::string> problems{}; // cases not recomputed, and why; the next open tries again
};

struct EngineOptions {
  Config config;
  std::shared_ptr<const Clock> clock;             // required
  std::shared_ptr<Logger> logger;                 // null: log nothing
  std::shared_ptr<const WorkflowCatalog> workflows;  // null: builtin_workflows()
  // null: shipped_calendar(), the official one. Either way, the calendar
  // imports the store holds replace their years (they need an OfficialCalendar).
  std::shared_ptr<const Calendar> calendar;
  // null: the store's newest org directory version; a store that holds none
  // gets config.org_file, or else the sample directory, as version 1
  // (org_versions.hpp).
  std::shared_ptr<const OrgDirectory> directory;
  std::shared_ptr<CaseStore> store;                  // null: memory_store()
};
// Collaborators and the logger should not throw; if one does, the command it
// was serving fails with kInternal and the exception goes no further.

class Engine {
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

  // A copy of the case's current state; kNotFound when there is no such case.
  [[nodiscard]] Result<CaseState> get(const std::string& case_id) const;
  // The case's events in order; kNotFound when there is no such case.
  [[nodiscard]] Result<std::vector<Event>> history(const std::string& case_id) const;
  // Ids of every case, in the order opened.
  std::vector<std::string> case_ids() const;

  // When the earliest pending timer of any case fires, if any: a running
  // deadline, or the warning (预逾期) its workflow asks for ahead of it.
  std::optional<Timestamp> next_timer() const;
  // Submits the command of every timer due at or before the clock's now (a
  // timeout, or a raise_warning unless its deadline has come too) and waits
  // for their decisions, limits.timers_at_once at a time. Returns them, earliest
  // first. A timer fires once: its command's write removes it, and a timer
  // whose deadline has moved is refused and writes nothing.
  // Must not be called from a worker thread (a logger, a collaborator): it
  // waits for work those threads would have to do. Timers are found in the
  // store, so a case the engine has not loaded since it opened fires too.
  // When the store cannot read its timers, the one result is that error.
  std::vector<Result<Decision>> fire_due_timers();

  // The calendar deadlines are counted on: the options' (or the shipped one)
  // with the store's calendar imports.
  std::shared_ptr<const Calendar> calendar() const;
  // The org directory cases are routed by: the options', or the store's.
  std::shared_ptr<const OrgDirectory> directory() const;
  // What open did for a calendar import not yet applied; none when there was none.
  const std::optional<CalendarRecount>& calendar_recount() const;

 private:
  struct Impl;
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Replays events through the same appliers as live processing, never
// re-deciding. kDataLoss naming the sequence number when an event cannot be
// applied (an unknown or reserved type, or one out of order).
[[nodiscard]] Result<CaseState> replay(const std::vector<Event>& events);

}  // namespace escalator
