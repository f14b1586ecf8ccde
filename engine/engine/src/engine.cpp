#include "escalator/engine/engine.hpp"

#include <algorithm>
#include <future>
#include <set>
#include <string>
#include <vector>

#include "boundary.hpp"
#include "command_check.hpp"
#include "engine_impl.hpp"
#include "escalator/calendar/official_calendar.hpp"
#include "escalator/store/calendar_in_force.hpp"
#include "escalator/store/org_versions.hpp"
#include "escalator/store/stats_report.hpp"
#include "escalator/workflow/workflow_registry.hpp"
#include "timers.hpp"

namespace escalator {
namespace {

// How many recompute commands are in flight at once: enough to keep a durable
// store's group commits full, few enough not to hold a million futures.
constexpr std::size_t kRecomputesInFlight = 256;

}  // namespace

Result<const Workflow*> Engine::Impl::prepare_open(Command& command) {
  auto known = [&]() -> std::optional<std::string> {
    if (auto it = case_by_external_id.find(command.idempotency_key);
        it != case_by_external_id.end()) {
      return it->second;
    }
    return options.store->case_of_external_id(command.idempotency_key);
  };
  {
    std::lock_guard lock(intake_mutex);
    if (auto id = known()) {
      command.case_id = *id;
      return nullptr;
    }
  }
  const auto& open = std::get<cmd::Open>(command.payload);
  // A place the directory does not know opens a case that waits for a dispatcher.
  auto where = directory_now()->complete(open.location, options.clock->now());
  if (!where && where.error().code != ErrorCode::kNotFound) return tl::unexpected(where.error());
  auto workflow = options.workflows->select(provisional_case(command));
  if (!workflow) return tl::unexpected(workflow.error());
  std::lock_guard lock(intake_mutex);
  if (auto id = known()) {
    command.case_id = *id;
    return nullptr;
  }
  auto id = ids.next(open.location.district_code, options.clock->now());
  if (!id) return tl::unexpected(id.error());
  command.case_id = *id;
  case_by_external_id.emplace(command.idempotency_key, *id);
  return *workflow;
}

CalendarRecount Engine::Impl::bring_deadlines_up_to(Engine& engine,
                                                    const CalendarsInForce& calendars) {
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
  std::uint64_t done = 0;
  for (const auto& id : *cases) {
    if (options.progress && ++done % kProgressEvery == 0) options.progress("cases", done, cases->size());
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
    auto command = recompute_deadlines_command(*k, **workflow, *calendars.previous,
                                               *calendars.current, calendars.version, now);
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

Result<const Workflow*> Engine::Impl::admit(Command& command) {
  if (auto checked = check_command(command, options.config.limits, options.clock->now());
      !checked) {
    return tl::unexpected(checked.error());
  }
  if (std::holds_alternative<cmd::Open>(command.payload)) return prepare_open(command);
  return nullptr;
}

Result<std::unique_ptr<Engine>> Engine::open(EngineOptions options) {
  if (!options.clock) return fail(ErrorCode::kInvalidArgument, "clock: required");
  const auto& limits = options.config.limits;
  if (limits.shards < 1)
    return fail(ErrorCode::kInvalidArgument, "limits.shards: must be at least 1");
  if (limits.worker_threads < 0) {
    return fail(ErrorCode::kInvalidArgument, "limits.worker_threads: must not be negative");
  }
  if (limits.timers_at_once < 1)
    return fail(ErrorCode::kInvalidArgument, "limits.timers_at_once: must be at least 1");
  if (options.config.working_hours.empty())
    return fail(ErrorCode::kInvalidArgument, "working_hours: none given");
  if (!options.workflows) options.workflows = builtin_workflows();
  if (!options.calendar)
    options.calendar = shipped_calendar()->with_working_hours(options.config.working_hours);
  if (!options.store) options.store = memory_store();
  const bool directory_from_store = !options.directory;
  if (!options.directory) {
    auto in_force =
        directory_in_force(*options.store, options.clock->now(), options.config.org_file);
    if (!in_force) return tl::unexpected(in_force.error());
    options.directory = std::move(*in_force);
  }
  std::shared_ptr<WorkflowRegistry> registry;
  if (!options.workflows->every_version().empty()) {
    auto workflows = workflows_in_force(*options.store, *options.workflows, options.clock->now());
    if (!workflows) return fail(workflows.error().code, "Reading the store's workflows: " + workflows.error().message);
    for (const auto& note : workflows->notes) {
      if (options.logger) options.logger->log({LogLevel::kWarn, "given workflow not taken", "", {{"why", note}}});
    }
    registry = workflows->registry;
    options.workflows = registry;
  }
  auto calendars = calendars_in_force(options.calendar, *options.store);
  if (!calendars) return tl::unexpected(calendars.error());
  auto base_calendar = std::exchange(options.calendar, calendars->current);
  // Before any write: a write's counts add to counters of the same kind.
  if (auto counted = stats::bring_counters_up_to_date(*options.store, *options.calendar, options.progress);
      !counted) {
    return fail(counted.error().code,
                "Counting the store's figures afresh: " + counted.error().message);
  }

  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  impl->workflow_registry = std::move(registry);
  impl->directory_from_store = directory_from_store;
  impl->base_calendar = std::move(base_calendar);
  const auto& kept = impl->options.config.limits;
  impl->cache_per_shard =
      std::max<std::size_t>(1, static_cast<std::size_t>(kept.cached_cases / kept.shards));
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
  auto promise = std::make_shared<std::promise<Result<Decision>>>();
  auto future = promise->get_future();
  submit(std::move(command), [promise](Result<Decision> decided) { promise->set_value(std::move(decided)); });
  return future;
}

void Engine::submit(Command command, Answer answer) {
  auto job = std::make_shared<Submitted>();
  job->answer = std::move(answer);
  const std::string submitting = "Submitting " + std::string(command_name(command.payload));
  bool answered = false;
  const auto handed = without_throwing(submitting, [&]() -> Result<void> {
    auto admitted = impl_->admit(command);
    if (!admitted) {
      answered = true;
      job->answer(tl::unexpected(admitted.error()));
      return {};
    }
    job->workflow = *admitted;
    job->command = std::move(command);
    {
      std::lock_guard lock(impl_->outstanding_mutex);
      ++impl_->outstanding;
    }
    answered = true;  // from here on, the command's path answers
    impl_->decide_and_write(job);
    return {};
  });
  // Admission threw before anyone answered (an answer that throws is its own).
  if (!handed && !answered) {
    const auto told = without_throwing(submitting, [&]() -> Result<void> {
      job->answer(tl::unexpected(handed.error()));
      return {};
    });
    (void)told;  // the answer itself threw: nobody is left to tell
  }
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
  // Not while a calendar import is carried over: a timer set on the old
  // calendar fires at the time the new one gives it.
  std::lock_guard importing(impl_->calendar_import_mutex);
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
    for (auto& command : due_timer_commands(*due, now))
      pending.push_back(submit(std::move(command)));
    for (auto& f : pending) decided.push_back(f.get());
    if (due->size() < chunk) break;
    after = due->back();
  }
  return decided;
}

StoreCounters Engine::store_counters() const { return impl_->options.store->counters(); }

Result<Engine::Counts> Engine::counts() const {
  Counts counts;
  const CaseStore& store = *impl_->options.store;
  for (int i = 0; i < kLifecycleStateCount; ++i) {
    const auto state = static_cast<LifecycleState>(i);
    if (is_over(state)) continue;
    auto n = store.count_list("state", to_string(state));
    if (!n) return tl::unexpected(n.error());
    counts.cases_by_state[i] = *n;
  }
  auto timers = store.pending_timer_count();
  if (!timers) return tl::unexpected(timers.error());
  counts.timers_pending = *timers;
  return counts;
}

Result<stats::Report> Engine::report(const stats::Query& query) const {
  return stats::read_report(*impl_->options.store, query);
}

Result<std::vector<stats::CaseShare>> Engine::cases_behind(const stats::Query& query, std::string_view group,
                                                           const stats::Figure& figure) const {
  return stats::cases_behind(*impl_->options.store, query, group, figure, config().stats);
}

Result<BackupInfo> Engine::backup(const std::filesystem::path& backups) {
  return impl_->options.store->backup_to(backups);
}

Result<std::vector<AccessRecord>> Engine::record_access(std::vector<AccessRecord> records) {
  return impl_->options.store->append_access(std::move(records));
}
Result<std::vector<AccessRecord>> Engine::access_records(std::uint64_t from, std::size_t limit) const {
  return impl_->options.store->access_records(from, limit);
}
Result<std::vector<OutboxRecord>> Engine::outbox_records(std::uint64_t from, std::size_t limit) const {
  return impl_->options.store->outbox_records(from, limit);
}

const Config& Engine::config() const { return impl_->options.config; }
const Clock& Engine::clock() const { return *impl_->options.clock; }

std::shared_ptr<const Calendar> Engine::calendar() const { return impl_->calendar_now(); }
std::shared_ptr<const OrgDirectory> Engine::directory() const { return impl_->directory_now(); }
std::shared_ptr<const WorkflowCatalog> Engine::workflows() const { return impl_->options.workflows; }

const std::optional<CalendarRecount>& Engine::calendar_recount() const { return impl_->recount; }

}  // namespace escalator
