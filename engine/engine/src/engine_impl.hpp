// The engine's inside, behind engine.hpp's pointer: its shards and their
// caches, the commands in flight, and what each step of a command does. The
// command path is command_path.cpp; intake, the calendar recount and the
// public members are engine.cpp. Private to the engine module.
#pragma once

#include <algorithm>
#include <boost/asio/thread_pool.hpp>
#include <condition_variable>
#include <functional>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

#include "case_id.hpp"
#include "case_record.hpp"
#include "case_write.hpp"
#include "escalator/engine/engine.hpp"
#include "escalator/store/calendar_in_force.hpp"
#include "shard.hpp"

namespace escalator {

namespace asio = boost::asio;

struct Engine::Impl {
  EngineOptions options;
  std::unique_ptr<asio::thread_pool> pool;  // null: no worker threads (resume())
  std::vector<std::unique_ptr<Shard>> shards;
  std::size_t cache_per_shard = 1;  // limits.cached_cases spread over the shards
  // Numbering for a district and day goes on after the store's last case.
  CaseIdAllocator ids{
      [this](std::string_view prefix) { return options.store->last_case_id(prefix); }};

  std::mutex intake_mutex;  // guards case_by_external_id

  // options.directory and options.calendar are replaced whole, under
  // in_force_mutex, by an import while commands run: read them through these.
  std::shared_ptr<const OrgDirectory> directory_now() const {
    std::lock_guard lock(in_force_mutex);
    return options.directory;
  }
  std::shared_ptr<const Calendar> calendar_now() const {
    std::lock_guard lock(in_force_mutex);
    return options.calendar;
  }
  // What a command on `case_id` is decided with; while a calendar import is
  // brought into force, the carry of the case's deadlines unless done.
  DecidingWith deciding_with(const std::string& case_id) const {
    std::lock_guard lock(in_force_mutex);
    DecidingWith with{*options.workflows, *options.store, options.calendar, options.directory};
    if (cutover && !cutover->carried.contains(case_id)) {
      with.carry_from = cutover->previous;
      with.carry_import = cutover->version;
    }
    return with;
  }
  // The case's deadlines are counted on the calendar in force from now on;
  // called with its shard's mutex held, once its carry is decided.
  void carried(const std::string& case_id) {
    std::lock_guard lock(in_force_mutex);
    if (cutover) cutover->carried.insert(case_id);
  }
  mutable std::mutex in_force_mutex;
  // A calendar import being brought into force while commands run
  // (engine_imports.cpp): each case is carried from `previous` at its first
  // command, or by the recount, whichever comes first.
  struct CalendarCutover {
    std::shared_ptr<const Calendar> previous;
    std::uint64_t version = 0;
    std::unordered_set<std::string> carried;
  };
  std::optional<CalendarCutover> cutover;  // guarded by in_force_mutex
  // The options' calendar before the store's imports: what an import is laid on.
  std::shared_ptr<const Calendar> base_calendar;
  // One calendar import at a time; timer rounds wait while one is brought in.
  std::mutex calendar_import_mutex;
  // Whether options.directory is the store's newest version, which an import replaces.
  bool directory_from_store = false;
  std::mutex directory_import_mutex;  // one directory import at a time
  // The workflows as changes leave them: options.workflows, unless that
  // catalog lists no versions (then null, and nothing changes them).
  std::shared_ptr<WorkflowRegistry> workflow_registry;
  std::mutex workflow_changes_mutex;  // one change to the workflows at a time
  std::unordered_map<std::string, std::string> case_by_external_id;

  // Commands submitted and not yet answered; the destructor waits for none,
  // since a write with the store is no work the pool can see.
  std::mutex outstanding_mutex;
  std::condition_variable all_answered;
  std::uint64_t outstanding = 0;

  std::optional<CalendarRecount> recount;  // what open did for a calendar import

  // Commands waiting in another case's line while they hold their own (a
  // merge for its primary, a reply for a duplicate it tells): the case each
  // holds, and the case it waits for. Taken inside the shards' mutexes, never
  // around them.
  std::mutex waits_mutex;
  std::unordered_map<std::string, std::string> waits_for;

  Shard& shard_of(const std::string& case_id) {
    return *shards[std::hash<std::string>{}(case_id) % shards.size()];
  }

  // A logger that throws must not take a decided command down with it.
  // A line about `command`: its case, its name, its request id, and one detail when `detail_key` is given.
  void log(LogLevel level, std::string_view message, const Command& command, std::string_view detail_key = {},
           std::string_view detail = {}) noexcept;

  // The case from the shard's cache, else from the store; null when neither has it.
  // The shard's mutex must be held.
  Result<CaseRecord*> find(Shard& shard, const std::string& case_id);

  // The case a merge goes into, when it is another case; else null.
  static const std::string* primary_of(const Command& command) {
    const auto* merge = std::get_if<cmd::Merge>(&command.payload);
    return merge && merge->into != command.case_id ? &merge->into : nullptr;
  }

  // The cases merged into `case_id`, and into those, all the way down, in
  // the order merged: whom its answer reaches. `duplicates_of` gives one
  // case's duplicates (none when it is not there), under whatever mutex that
  // takes. A case met twice is taken once, so even a damaged store ends.
  template <class DuplicatesOf>
  static std::vector<std::string> merged_below(const std::string& case_id, DuplicatesOf duplicates_of) {
    std::vector<std::string> below;
    const auto add = [&](const std::vector<std::string>& found) {
      for (const auto& id : found) {
        if (id != case_id && std::find(below.begin(), below.end(), id) == below.end()) below.push_back(id);
      }
    };
    add(duplicates_of(case_id));
    for (std::size_t i = 0; i < below.size(); ++i) add(duplicates_of(below[i]));
    return below;
  }

  // The cases besides its own that a command may write, as the cache and
  // store hold them now (each read under its shard's mutex alone): a merge's
  // primary, and the duplicates an answer is relayed to (docs/history.md,
  // "Merging"). Read again under every mutex before deciding: a merge may
  // add a duplicate in between.
  std::vector<std::string> also_written(const Command& command);

  // Whether `others`, read before their mutexes were taken, still hold every
  // case the command may write; the mutexes of its own case's shard and of
  // `others`' must be held.
  bool still_written(const Command& command, const std::vector<std::string>& others);

  // Decides the command on the case in `shard`, whose mutex the caller holds
  // with those of `others` (also_written()): the writes for the store. A
  // refusal or a repeated key is final at once.
  using Decided = std::variant<Decision, Unwritten>;
  // `chosen`: an open's workflow, chosen at intake.
  Result<Decided> decide_locked(Shard& shard, const Command& command, bool opening,
                                const Workflow* chosen = nullptr);

  // What `command` adds to `decided` when it brings an answer to the cases
  // merged below its own: an AnswerRelayed on each, the same commit. Their
  // shards' mutexes must be held.
  Result<void> relay_answer(const ev::AnswerRelayed& answer, const Command& command, const DecidingWith& with,
                            Timestamp now, Unwritten& decided);

  // A written case into its shard's cache, whose mutex must be held. A reader
  // may have loaded the case from the store since it was written.
  CaseRecord& keep(Shard& shard, CaseWrite write);

  // The written decision into the cache; the mutexes of its cases' shards must be held.
  Decision remember(Shard& shard, const std::string& key, Unwritten written);

  // Frees a case's turn once its write is done; the shard's mutex must be
  // held. True when commands wait for it: resume() must give them their turn.
  static bool release(Shard& shard, const std::string& case_id);

  // Gives the case's turn to the commands that waited for it: on the
  // shard's strand, or with no worker threads on this thread, after whatever
  // it is doing for another turn (so that a store that answers at once does
  // not nest one command's write inside another's).
  void resume(Shard& shard, const std::string& case_id);

  // A command that writes another case too (a merge its primary, a reply a
  // duplicate), when that case is busy, waits in its line and keeps its own
  // case's turn. Refused (false) when that case, or a case it waits for in
  // turn, waits for this command's case: a circle no write ends.
  bool wait_for(Shard& shard, const std::shared_ptr<Submitted>& job, const std::string& other);

  // The command no longer waits for another case. True when its own case's
  // turn must be given on (it was answered without a write).
  bool stop_holding(Shard& shard, Submitted& job, bool answered);

  // Runs `decide` with the mutexes of the shards of `shard`'s case and of
  // `others` held, taken in one order (by address) so that two commands
  // locking overlapping shards cannot deadlock.
  template <class Decide>
  auto locked(Shard& shard, const std::vector<std::string>& others, Decide decide) {
    if (others.empty()) {
      std::lock_guard lock(shard.mutex);
      return decide();
    }
    std::vector<Shard*> shards{&shard};
    for (const auto& other : others) shards.push_back(&shard_of(other));
    std::sort(shards.begin(), shards.end(), std::less<Shard*>());
    shards.erase(std::unique(shards.begin(), shards.end()), shards.end());
    std::vector<std::unique_lock<std::mutex>> locks;
    locks.reserve(shards.size());
    for (Shard* s : shards) locks.emplace_back(s->mutex);
    return decide();
  }

  // What a command's work is called where a collaborator (an embedder's
  // directory, calendar or store) or an allocation throws during it: the
  // caller gets an error value naming it, never the exception.
  static std::string deciding(const Command& command) {
    return "Deciding " + std::string(command_name(command.payload)) + " for case " +
           command.case_id;
  }

  // Every command's one path, with or without worker threads. On the
  // submitting thread (or, for a command that waited, where its case's turn
  // was given: resume()): decide, hand the write to the store, and return;
  // the store's answer fulfils the caller's future (written()).
  // `turn_of`: the case whose waiting line the job comes from, whose turn it is.
  void decide_and_write(std::shared_ptr<Submitted> job, const std::string& turn_of = {}) noexcept;

  // The store's answer for a job's write, on any thread: remember it, answer
  // the caller, and give the commands that waited for its cases their turn.
  void written(const std::shared_ptr<Submitted>& job, Unwritten unwritten,
               Result<void> stored) noexcept;

  // Where the case's turn is given (resume()): its waiting commands, in
  // order, until one has to be written (its answer resumes the rest) or none
  // is left.
  void run_waiting(Shard& shard, const std::string& case_id) noexcept;

  void finish(const std::shared_ptr<Submitted>& job, Result<Decision> decided) noexcept;

  // What every decision goes through last: a refused open frees its external
  // id, and the outcome is logged.
  Result<Decision> conclude(const Command& command, Result<Decision> decided) noexcept;

  bool case_exists(const std::string& case_id);

  // Open: the external id names the case once; a repeat goes to the same case.
  // The location and workflow are checked before a number is handed out, so a
  // malformed case does not use one up.
  // The new case's workflow; null when the external id names a case already.
  Result<const Workflow*> prepare_open(Command& command);

  // Recomputes the running deadlines of every case with a pending timer for
  // the calendar import in force (docs/calendar.md, "Importing a notice"):
  // the lifecycle says which command each case needs, and `engine` decides
  // them. When every case is done, records the import as applied; otherwise
  // the next open tries again.
  CalendarRecount bring_deadlines_up_to(Engine& engine, const CalendarsInForce& calendars);

  // Everything submit() checks before a command goes to its shard.
  // An open's workflow, chosen once here and decided by; null for any other.
  Result<const Workflow*> admit(Command& command);
};

}  // namespace escalator
