// The engine's inside, behind engine.hpp's pointer: its shards and their
// caches, the commands in flight, and what each step of a command does. The
// command path is command_path.cpp; intake, the calendar recount and the
// public members are engine.cpp. Private to the engine module.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
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
  std::unordered_map<std::string, std::string> case_by_external_id;

  // Commands submitted and not yet answered; the destructor waits for none,
  // since a write with the store is no work the pool can see.
  std::mutex outstanding_mutex;
  std::condition_variable all_answered;
  std::uint64_t outstanding = 0;

  std::optional<CalendarRecount> recount;  // what open did for a calendar import

  // Merges waiting in their primary's line: the duplicate each holds, and the
  // primary it waits for. Taken inside the shards' mutexes, never around them.
  std::mutex merge_waits_mutex;
  std::unordered_map<std::string, std::string> merge_waits;

  Shard& shard_of(const std::string& case_id) {
    return *shards[std::hash<std::string>{}(case_id) % shards.size()];
  }

  // A logger that throws must not take a decided command down with it.
  void log(LogLevel level, std::string_view message, std::string_view case_id,
           std::string_view command, std::string_view detail_key, std::string_view detail) noexcept;

  // The case from the shard's cache, else from the store; null when neither has it.
  // The shard's mutex must be held.
  Result<CaseRecord*> find(Shard& shard, const std::string& case_id);

  // The case a merge goes into, when it is another case; else null.
  static const std::string* primary_of(const Command& command) {
    const auto* merge = std::get_if<cmd::Merge>(&command.payload);
    return merge && merge->into != command.case_id ? &merge->into : nullptr;
  }

  // Decides the command on the case in `shard`, whose mutex (and, for a merge,
  // the primary's) the caller holds: the writes for the store. A refusal or a
  // repeated key is final at once.
  using Decided = std::variant<Decision, Unwritten>;
  // `chosen`: an open's workflow, chosen at intake.
  Result<Decided> decide_locked(Shard& shard, const Command& command, bool opening,
                                const Workflow* chosen = nullptr);

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

  // A merge whose primary is busy waits in the primary's line and keeps its
  // own case's turn. Refused (false) when the primary, or a case it waits for
  // in turn, waits for this merge's case: a circle of merges no write ends.
  bool wait_for_primary(Shard& shard, const std::shared_ptr<Submitted>& job,
                        const std::string& into);

  // The merge no longer waits for its primary. True when its own case's turn
  // must be given on (the merge was answered without a write).
  bool stop_holding(Shard& shard, Submitted& job, bool answered);

  // Runs `decide` with the shard's mutex held, and for a merge the target's too.
  template <class Decide>
  auto locked(Shard& shard, const Command& command, Decide decide) {
    const auto* merge = std::get_if<cmd::Merge>(&command.payload);
    Shard* other = merge ? &shard_of(merge->into) : nullptr;
    if (other != nullptr && other != &shard) {
      std::scoped_lock both(shard.mutex, other->mutex);  // in either order, without deadlock
      return decide();
    }
    std::lock_guard lock(shard.mutex);
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
