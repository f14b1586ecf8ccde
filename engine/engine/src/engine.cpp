#include "escalator/engine/engine.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <condition_variable>
#include <deque>
#include <list>
#include <functional>
#include <mutex>

#include "boundary.hpp"
#include "case_write.hpp"
#include "case_id.hpp"
#include "case_record.hpp"
#include "command_check.hpp"
#include "escalator/calendar/official_calendar.hpp"
#include "escalator/store/calendar_in_force.hpp"
#include "escalator/store/org_versions.hpp"
#include "escalator/store/stats_report.hpp"
#include "escalator/workflow/workflow_registry.hpp"
#include "personal_data.hpp"
#include "shard.hpp"
#include "timers.hpp"

namespace escalator {
namespace {

namespace asio = boost::asio;

// How many recompute commands are in flight at once: enough to keep a durable
// store's group commits full, few enough not to hold a million futures.
constexpr std::size_t kRecomputesInFlight = 256;

}  // namespace

struct Engine::Impl {
  EngineOptions options;
  std::unique_ptr<asio::thread_pool> pool;  // null: decide on the caller's thread
  std::vector<std::unique_ptr<Shard>> shards;
  std::size_t cache_per_shard = 1;  // limits.cached_cases spread over the shards
  // Numbering for a district and day goes on after the store's last case.
  CaseIdAllocator ids{[this](std::string_view prefix) { return options.store->last_case_id(prefix); }};

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
           std::string_view command, std::string_view detail_key, std::string_view detail) noexcept {
    if (!options.logger) return;
    const auto logged = without_throwing("Logging", [&]() -> Result<void> {
      options.logger->log(LogRecord{level, message, case_id, {{"command", command}, {detail_key, detail}}});
      return {};
    });
    (void)logged;  // a logger that fails loses its record, and nothing else
  }

  // The case from the shard's cache, else from the store; null when neither has it.
  // The shard's mutex must be held.
  Result<CaseRecord*> find(Shard& shard, const std::string& case_id) {
    if (auto cached = shard.cases.find(case_id); cached != shard.cases.end()) {
      shard.touch(case_id);
      return &cached->second;
    }
    auto stored = options.store->load(case_id);
    if (!stored) return tl::unexpected(stored.error());
    if (!*stored) return nullptr;
    auto [it, _] = shard.cases.emplace(case_id, CaseRecord::from_stored(std::move(**stored)));
    shard.touch(case_id);
    return &it->second;
  }

  // The case a merge goes into, when it is another case; else null.
  static const std::string* primary_of(const Command& command) {
    const auto* merge = std::get_if<cmd::Merge>(&command.payload);
    return merge && merge->into != command.case_id ? &merge->into : nullptr;
  }

  // Decides the command on the case in `shard`, whose mutex (and, for a merge,
  // the primary's) the caller holds: the writes for the store. A refusal or a
  // repeated key is final at once.
  using Decided = std::variant<Decision, Unwritten>;
  Result<Decided> decide_locked(Shard& shard, const Command& command, bool opening) {
    auto found = find(shard, command.case_id);
    if (!found) return tl::unexpected(found.error());
    CaseRecord* record = *found;
    if (!opening && record == nullptr) return fail(ErrorCode::kNotFound, "No case " + command.case_id);

    if (record != nullptr) {
      if (auto seen = record->keys.find(command.idempotency_key); seen != record->keys.end()) {
        const auto kind = seen->second.kind;
        if (kind != CaseRecord::kAnyKind && kind != command.payload.index()) {
          return fail(ErrorCode::kInvalidArgument,
                      "idempotency_key: '" + command.idempotency_key + "' was used by " +
                          std::string(command_name(int(kind))) + " on case " + command.case_id +
                          ", not " + std::string(command_name(command.payload)));
        }
        return record->decision(seen->second, true);
      }
      if (opening) {
        return fail(ErrorCode::kInternal, "Case " + command.case_id + " exists but not under external id " +
                                              command.idempotency_key);
      }
    }
    const std::uint64_t version = record ? record->state.version : 0;
    if (command.expected_version && *command.expected_version != version) {
      return fail(ErrorCode::kAborted, "Expected case " + command.case_id + " at version " +
                                           std::to_string(*command.expected_version) +
                                           ", but it is at version " + std::to_string(version));
    }
    const Timestamp now = options.clock->now();
    // The primary first: when it is closed or gone, that is the refusal.
    std::optional<CaseWrite> primary;
    if (const std::string* into = primary_of(command)) {
      auto target = find(shard_of(*into), *into);
      if (!target) return tl::unexpected(target.error());
      if (!*target) return fail(ErrorCode::kNotFound, "into: no case " + *into);
      auto taken = take_in_duplicate(**target, command, options, now);
      if (!taken) return tl::unexpected(taken.error());
      primary = std::move(*taken);
    }
    auto decided = decide_write(record, command, opening, options, now);
    if (!decided) return tl::unexpected(decided.error());
    if (primary) decided->writes.push_back(std::move(*primary));
    return std::move(*decided);
  }

  // A written case into its shard's cache, whose mutex must be held. A reader
  // may have loaded the case from the store since it was written.
  CaseRecord& keep(Shard& shard, CaseWrite write) {
    CaseRecord& record = shard.cases[write.case_id];
    shard.touch(write.case_id);
    if (!write.events.empty() && record.state.version + 1 == write.events.front().seq) {
      record.state = std::move(write.snapshot);
      for (auto& e : write.events) record.events.push_back(std::move(e));
      personal_data::forget_if_erased(record.events);
    }
    record.stored_timers = std::move(write.timers);  // as the store left them
    return record;
  }

  // The written decision into the cache; the mutexes of its cases' shards must be held.
  Decision remember(Shard& shard, const std::string& key, Unwritten written) {
    if (written.writes.size() > 1) {
      CaseWrite& taken_in = written.writes[1];
      const CaseRecord::Seen seen{taken_in.events.front().seq, taken_in.events.back().seq, CaseRecord::kAnyKind,
                                  taken_in.snapshot.state};
      Shard& primary_shard = shard_of(taken_in.case_id);
      keep(primary_shard, std::move(taken_in)).keys.try_emplace(key, seen);
    }
    CaseRecord& record = keep(shard, std::move(written.writes.front()));
    record.keys.emplace(key, written.seen);
    return record.decision(written.seen, false);
  }

  // Frees a case's turn once its write is done; the shard's mutex must be
  // held. True when commands wait for it: run_waiting() must be posted.
  static bool release(Shard& shard, const std::string& case_id) {
    auto busy = shard.busy.find(case_id);
    if (busy == shard.busy.end()) return false;
    if (busy->second.waiting.empty()) {
      shard.busy.erase(busy);
      return false;
    }
    busy->second.writing = false;
    return true;
  }

  // Gives the case's turn to the commands that waited for it: on the
  // shard's strand, or with no worker threads on this thread, after whatever
  // it is doing for another turn (so that a store that answers at once does
  // not nest one command's write inside another's).
  void resume(Shard& shard, const std::string& case_id) {
    if (shard.strand) {
      asio::post(*shard.strand, [this, &shard, case_id] { run_waiting(shard, case_id); });
      return;
    }
    thread_local std::deque<std::pair<Shard*, std::string>> turns;
    thread_local bool giving = false;
    turns.emplace_back(&shard, case_id);
    if (giving) return;
    giving = true;
    while (!turns.empty()) {
      auto [at, id] = std::move(turns.front());
      turns.pop_front();
      run_waiting(*at, id);
    }
    giving = false;
  }

  // A merge whose primary is busy waits in the primary's line and keeps its
  // own case's turn. Refused (false) when the primary, or a case it waits for
  // in turn, waits for this merge's case: a circle of merges no write ends.
  bool wait_for_primary(Shard& shard, const std::shared_ptr<Submitted>& job, const std::string& into) {
    const std::string& own = job->command.case_id;
    {
      std::lock_guard lock(merge_waits_mutex);
      for (auto at = merge_waits.find(into); at != merge_waits.end(); at = merge_waits.find(at->second)) {
        if (at->second == own) return false;
      }
      merge_waits[own] = into;
    }
    shard_of(into).busy[into].waiting.push_back(job);
    shard.busy[own].writing = true;
    job->holds_own_case = true;
    return true;
  }

  // The merge no longer waits for its primary. True when its own case's turn
  // must be given on (the merge was answered without a write).
  bool stop_holding(Shard& shard, Submitted& job, bool answered) {
    if (!job.holds_own_case) return false;
    job.holds_own_case = false;
    {
      std::lock_guard lock(merge_waits_mutex);
      merge_waits.erase(job.command.case_id);
    }
    return answered && release(shard, job.command.case_id);
  }

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
    return "Deciding " + std::string(command_name(command.payload)) + " for case " + command.case_id;
  }

  // Every command's one path, with or without worker threads. On the
  // submitting thread (or, for a command that waited, where its case's turn
  // was given: resume()): decide, hand the write to the store, and return;
  // the store's answer fulfils the caller's future (written()).
  // `turn_of`: the case whose waiting line the job comes from, whose turn it is.
  void decide_and_write(std::shared_ptr<Submitted> job, const std::string& turn_of = {}) noexcept {
    const Command& command = job->command;
    const bool opening = std::holds_alternative<cmd::Open>(command.payload);
    const std::string* into = primary_of(command);
    enum class Next { kAnswer, kWait, kWrite } next = Next::kAnswer;
    std::optional<Unwritten> unwritten;
    Result<Decision> decided = fail(ErrorCode::kInternal, "not decided");
    bool resume_own = false;
    Shard* shard = nullptr;
    const auto ran = without_throwing(deciding(command), [&]() -> Result<void> {
      shard = &shard_of(command.case_id);
      locked(*shard, command, [&] {
        const bool own_turn = turn_of == command.case_id || job->holds_own_case;
        if (auto busy = shard->busy.find(command.case_id); !own_turn && busy != shard->busy.end()) {
          busy->second.waiting.push_back(job);
          next = Next::kWait;
          return;
        }
        if (into != nullptr && turn_of != *into && shard_of(*into).busy.contains(*into)) {
          if (wait_for_primary(*shard, job, *into)) {
            next = Next::kWait;
            return;
          }
          resume_own = stop_holding(*shard, *job, true);
          decided = fail(ErrorCode::kAborted, "Expected case " + *into + " to be free for merging case " +
                                                  command.case_id + " into it, but it waits to be merged into " +
                                                  "this one; decide which case stays and submit again");
          return;
        }
        auto step = decide_locked(*shard, command, opening);
        const bool writes = step && std::holds_alternative<Unwritten>(*step);
        resume_own = stop_holding(*shard, *job, !writes);
        if (!step) {
          decided = tl::unexpected(step.error());
        } else if (auto* final = std::get_if<Decision>(&*step)) {
          decided = std::move(*final);
        } else {
          unwritten = std::move(std::get<Unwritten>(*step));
          for (const auto& write : unwritten->writes) shard_of(write.case_id).busy[write.case_id].writing = true;
          next = Next::kWrite;
        }
        shard->trim(cache_per_shard);
      });
      return {};
    });
    if (!ran) {
      decided = tl::unexpected(ran.error());
      next = Next::kAnswer;
    }
    if (resume_own) resume(*shard, command.case_id);
    if (next == Next::kWait) return;
    if (next == Next::kAnswer) return finish(job, conclude(command, std::move(decided)));

    // The store calls back on its committer thread: the caller is answered
    // from there, without waiting for the strand.
    auto pending = std::make_shared<Unwritten>(std::move(*unwritten));
    const auto handed = without_throwing(deciding(command), [&]() -> Result<void> {
      options.store->commit(pending->writes, [this, job, pending](Result<void> stored) {
        written(job, std::move(*pending), std::move(stored));
      });
      return {};
    });
    if (!handed) written(job, std::move(*pending), tl::unexpected(handed.error()));
  }

  // The store's answer for a job's write, on any thread: remember it, answer
  // the caller, and hand the commands that waited for its cases back to their strands.
  void written(const std::shared_ptr<Submitted>& job, Unwritten unwritten, Result<void> stored) noexcept {
    const Command& command = job->command;
    std::vector<std::pair<Shard*, const std::string*>> to_resume;
    Result<Decision> decided = fail(ErrorCode::kInternal, "not decided");
    const auto kept = without_throwing(deciding(command), [&]() -> Result<void> {
      Shard& shard = shard_of(command.case_id);
      locked(shard, command, [&] {
        if (stored) {
          decided = remember(shard, command.idempotency_key, std::move(unwritten));
        } else {
          decided = tl::unexpected(stored.error());
        }
        shard.trim(cache_per_shard);
        // The cases written: the command's, and a merge's primary.
        if (release(shard, command.case_id)) to_resume.emplace_back(&shard, &command.case_id);
        if (const std::string* into = primary_of(command); into && release(shard_of(*into), *into)) {
          to_resume.emplace_back(&shard_of(*into), into);
        }
      });
      return {};
    });
    if (!kept) decided = tl::unexpected(kept.error());
    finish(job, conclude(command, std::move(decided)));
    for (auto& [at, case_id] : to_resume) resume(*at, *case_id);
  }

  // On the strand: the case's waiting commands, in order, until one has to be
  // written (its answer resumes the rest) or none is left.
  void run_waiting(Shard& shard, const std::string& case_id) noexcept {
    for (;;) {
      std::shared_ptr<Submitted> job;
      {
        std::lock_guard lock(shard.mutex);
        auto busy = shard.busy.find(case_id);
        if (busy == shard.busy.end() || busy->second.writing) return;
        if (busy->second.waiting.empty()) {
          shard.busy.erase(busy);
          return;
        }
        job = std::move(busy->second.waiting.front());
        busy->second.waiting.pop_front();
      }
      decide_and_write(std::move(job), case_id);
    }
  }

  void finish(const std::shared_ptr<Submitted>& job, Result<Decision> decided) noexcept {
    job->promise.set_value(std::move(decided));
    std::lock_guard lock(outstanding_mutex);
    if (--outstanding == 0) all_answered.notify_all();
  }

  // What every decision goes through last: a refused open frees its external
  // id, and the outcome is logged.
  Result<Decision> conclude(const Command& command, Result<Decision> decided) noexcept {
    const bool opening = std::holds_alternative<cmd::Open>(command.payload);
    const auto freed = without_throwing(deciding(command), [&]() -> Result<void> {
      if (opening && !decided && !case_exists(command.case_id)) {
        // The number stays used, but the external id may open a case again.
        std::lock_guard lock(intake_mutex);
        case_by_external_id.erase(command.idempotency_key);
      }
      return {};
    });
    if (!freed) decided = tl::unexpected(freed.error());
    const auto name = command_name(command.payload);
    if (decided) {
      log(LogLevel::kInfo, decided->duplicate ? "command repeated" : "command decided", command.case_id,
          name, "state", to_string(decided->state));
    } else {
      log(LogLevel::kInfo, "command refused", command.case_id, name, "code",
          to_string(decided.error().code));
    }
    return decided;
  }

  bool case_exists(const std::string& case_id) {
    Shard& shard = shard_of(case_id);
    std::lock_guard lock(shard.mutex);
    auto found = find(shard, case_id);
    return found && *found != nullptr;
  }

  // Open: the external id names the case once; a repeat goes to the same case.
  // The location and workflow are checked before a number is handed out, so a
  // malformed case does not use one up.
  Result<void> prepare_open(Command& command) {
    auto known = [&]() -> std::optional<std::string> {
      if (auto it = case_by_external_id.find(command.idempotency_key); it != case_by_external_id.end()) {
        return it->second;
      }
      return options.store->case_of_external_id(command.idempotency_key);
    };
    {
      std::lock_guard lock(intake_mutex);
      if (auto id = known()) {
        command.case_id = *id;
        return {};
      }
    }
    const auto& open = std::get<cmd::Open>(command.payload);
    // A place the directory does not know opens a case that waits for a dispatcher.
    auto where = options.directory->complete(open.location, options.clock->now());
    if (!where && where.error().code != ErrorCode::kNotFound) return tl::unexpected(where.error());
    if (auto workflow = options.workflows->select(provisional_case(command)); !workflow) {
      return tl::unexpected(workflow.error());
    }
    std::lock_guard lock(intake_mutex);
    if (auto id = known()) {
      command.case_id = *id;
      return {};
    }
    auto id = ids.next(open.location.district_code, options.clock->now());
    if (!id) return tl::unexpected(id.error());
    command.case_id = *id;
    case_by_external_id.emplace(command.idempotency_key, *id);
    return {};
  }

  // Recomputes the running deadlines of every case with a pending timer for
  // the calendar import in force (docs/calendar.md, "Importing a notice"):
  // the lifecycle says which command each case needs, and `engine` decides
  // them. When every case is done, records the import as applied; otherwise
  // the next open tries again.
  CalendarRecount bring_deadlines_up_to(Engine& engine, const CalendarsInForce& calendars) {
    CalendarRecount recount{calendars.version, calendars.current->version()};
    // The cases first, then their commands: recomputing rewrites timers behind
    // the cursor a walk of the index would use.
    auto cases = cases_with_timers(*options.store);
    if (!cases) {
      recount.problems.push_back(cases.error().message);
      return recount;
    }
    const Timestamp now = options.clock->now();
    std::vector<std::pair<std::string, std::future<Result<Decision>>>> in_flight;
    const auto settle = [&] {
      for (auto& [id, decided] : in_flight) {
        if (auto d = decided.get(); !d) {
          recount.problems.push_back(id + ": " + d.error().message);
        } else {
          ++recount.cases_moved;
        }
      }
      in_flight.clear();
    };
    for (const auto& id : *cases) {
      auto k = engine.get(id);
      if (!k) {
        recount.problems.push_back(id + ": " + k.error().message);
        continue;
      }
      auto workflow = options.workflows->find(k->workflow);
      if (!workflow) {
        recount.problems.push_back(id + ": " + workflow.error().message);
        continue;
      }
      if (running_deadlines(*k).empty()) continue;
      ++recount.cases_checked;
      auto command = recompute_deadlines_command(*k, **workflow, *calendars.previous, *calendars.current,
                                                 calendars.version, now);
      if (!command) continue;
      in_flight.emplace_back(id, engine.submit(std::move(*command)));
      if (in_flight.size() >= kRecomputesInFlight) settle();
    }
    settle();
    if (recount.problems.empty()) {
      if (auto recorded = options.store->set_calendar_applied(calendars.version); !recorded) {
        recount.problems.push_back(recorded.error().message);
      }
    }
    return recount;
  }

  // Everything submit() checks before a command goes to its shard.
  Result<void> admit(Command& command) {
    if (auto checked = check_command(command, options.config.limits, options.clock->now()); !checked) return checked;
    if (std::holds_alternative<cmd::Open>(command.payload)) return prepare_open(command);
    return {};
  }
};

Result<std::unique_ptr<Engine>> Engine::open(EngineOptions options) {
  if (!options.clock) return fail(ErrorCode::kInvalidArgument, "clock: required");
  const auto& limits = options.config.limits;
  if (limits.shards < 1) return fail(ErrorCode::kInvalidArgument, "limits.shards: must be at least 1");
  if (limits.worker_threads < 0) {
    return fail(ErrorCode::kInvalidArgument, "limits.worker_threads: must not be negative");
  }
  if (limits.timers_at_once < 1) return fail(ErrorCode::kInvalidArgument, "limits.timers_at_once: must be at least 1");
  if (options.config.working_hours.empty()) return fail(ErrorCode::kInvalidArgument, "working_hours: none given");
  if (!options.workflows) options.workflows = builtin_workflows();
  if (!options.calendar) options.calendar = shipped_calendar()->with_working_hours(options.config.working_hours);
  if (!options.store) options.store = memory_store();
  if (!options.directory) {
    auto in_force = directory_in_force(*options.store, options.clock->now(), options.config.org_file);
    if (!in_force) return tl::unexpected(in_force.error());
    options.directory = std::move(*in_force);
  }
  auto calendars = calendars_in_force(options.calendar, *options.store);
  if (!calendars) return tl::unexpected(calendars.error());
  options.calendar = calendars->current;
  // Before any write: a write's counts add to counters of the same kind.
  if (auto counted = stats::bring_counters_up_to_date(*options.store, *options.calendar); !counted) {
    return fail(counted.error().code, "Counting the store's figures afresh: " + counted.error().message);
  }

  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  const auto& kept = impl->options.config.limits;
  impl->cache_per_shard = std::max<std::size_t>(1, static_cast<std::size_t>(kept.cached_cases / kept.shards));
  if (limits.worker_threads > 0) {
    impl->pool = std::make_unique<asio::thread_pool>(limits.worker_threads);
  }
  for (int i = 0; i < limits.shards; ++i) {
    std::optional<Strand> strand;
    if (impl->pool) strand.emplace(asio::make_strand(impl->pool->get_executor()));
    impl->shards.push_back(std::make_unique<Shard>(std::move(strand)));
  }
  auto engine = std::unique_ptr<Engine>(new Engine(std::move(impl)));
  if (calendars->pending()) {
    engine->impl_->recount = engine->impl_->bring_deadlines_up_to(*engine, *calendars);
  }
  return engine;
}

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Engine::~Engine() {
  {
    std::unique_lock lock(impl_->outstanding_mutex);
    impl_->all_answered.wait(lock, [this] { return impl_->outstanding == 0; });
  }
  if (impl_->pool) impl_->pool->join();
}

std::future<Result<Decision>> Engine::submit(Command command) {
  auto job = std::make_shared<Submitted>();
  auto future = job->promise.get_future();
  const std::string submitting = "Submitting " + std::string(command_name(command.payload));
  const auto handed = without_throwing(submitting, [&]() -> Result<void> {
    if (auto admitted = impl_->admit(command); !admitted) {
      job->promise.set_value(tl::unexpected(admitted.error()));
      return {};
    }
    job->command = std::move(command);
    {
      std::lock_guard lock(impl_->outstanding_mutex);
      ++impl_->outstanding;
    }
    impl_->decide_and_write(job);
    return {};
  });
  if (!handed) {
    // The promise may be set already; a fresh one carries the error.
    std::promise<Result<Decision>> failed;
    future = failed.get_future();
    failed.set_value(tl::unexpected(handed.error()));
  }
  return future;
}

Result<CaseState> Engine::get(const std::string& case_id) const {
  Shard& shard = impl_->shard_of(case_id);
  std::lock_guard lock(shard.mutex);
  auto found = impl_->find(shard, case_id);
  if (!found) return tl::unexpected(found.error());
  if (!*found) return fail(ErrorCode::kNotFound, "No case " + case_id);
  CaseState state = (*found)->state;
  shard.trim(impl_->cache_per_shard);
  return state;
}

Result<std::vector<Event>> Engine::history(const std::string& case_id) const {
  Shard& shard = impl_->shard_of(case_id);
  std::lock_guard lock(shard.mutex);
  auto found = impl_->find(shard, case_id);
  if (!found) return tl::unexpected(found.error());
  if (!*found) return fail(ErrorCode::kNotFound, "No case " + case_id);
  std::vector<Event> events = (*found)->events;
  shard.trim(impl_->cache_per_shard);
  return events;
}

std::vector<std::string> Engine::case_ids() const { return impl_->options.store->case_ids(); }

std::optional<Timestamp> Engine::next_timer() const { return impl_->options.store->next_timer(); }

std::vector<Result<Decision>> Engine::fire_due_timers() {
  CaseStore& store = *impl_->options.store;
  const Timestamp now = impl_->options.clock->now();
  const auto chunk = static_cast<std::size_t>(impl_->options.config.limits.timers_at_once);
  if (auto begun = store.begin_timer_round(now); !begun) return {tl::unexpected(begun.error())};
  std::vector<Result<Decision>> decided;
  // In chunks, each decided before the next is read: a storm of timers due at
  // one moment (the morning after a long holiday) never fills the shards'
  // queues ahead of the commands clients send meanwhile.
  for (std::optional<PendingTimer> after;;) {
    auto due = store.timers_due(after, now, chunk);
    if (!due) {
      decided.push_back(tl::unexpected(due.error()));
      break;
    }
    std::vector<std::future<Result<Decision>>> pending;
    for (auto& command : due_timer_commands(*due, now)) pending.push_back(submit(std::move(command)));
    for (auto& f : pending) decided.push_back(f.get());
    if (due->size() < chunk) break;
    after = due->back();
  }
  return decided;
}

std::shared_ptr<const Calendar> Engine::calendar() const { return impl_->options.calendar; }
std::shared_ptr<const OrgDirectory> Engine::directory() const { return impl_->options.directory; }


const std::optional<CalendarRecount>& Engine::calendar_recount() const { return impl_->recount; }

}  // namespace escalator
