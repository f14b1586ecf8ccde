#include "escalator/engine.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <functional>
#include <mutex>
#include <unordered_map>

#include "appliers.hpp"
#include "case_id.hpp"
#include "command_check.hpp"
#include "escalator/standins.hpp"
#include "lifecycle.hpp"
#include "timers.hpp"

namespace escalator {
namespace {

namespace asio = boost::asio;

// What the engine keeps of one case.
struct CaseRecord {
  CaseState state;
  std::vector<Event> events;
  // Idempotency: key -> the events its command produced (seq range) and its kind.
  struct Seen {
    std::uint64_t first_seq;
    std::uint64_t last_seq;
    std::size_t kind;
  };
  std::unordered_map<std::string, Seen> keys;
};

// Cases are spread over shards by a hash of their id. One shard's commands run
// one at a time (on its strand, or under its mutex when deciding inline); the
// mutex also lets readers on other threads see a consistent case.
struct Shard {
  explicit Shard(std::optional<asio::strand<asio::thread_pool::executor_type>> s)
      : strand(std::move(s)) {}
  std::mutex mutex;
  std::unordered_map<std::string, CaseRecord> cases;
  std::optional<asio::strand<asio::thread_pool::executor_type>> strand;
};

Decision decision_of(const CaseRecord& record, std::uint64_t first_seq, std::uint64_t last_seq,
                     bool duplicate) {
  Decision d{record.state.id, record.state.version, record.state.state, {}, duplicate};
  for (auto seq = first_seq; seq <= last_seq && seq > 0; ++seq) {
    d.events.push_back(record.events.at(seq - 1));
  }
  return d;
}

}  // namespace

struct Engine::Impl {
  EngineOptions options;
  std::unique_ptr<asio::thread_pool> pool;  // null: decide on the caller's thread
  std::vector<std::unique_ptr<Shard>> shards;
  CaseIdAllocator ids;
  std::atomic<bool> stopping{false};

  std::mutex intake_mutex;  // guards the two below
  std::unordered_map<std::string, std::string> case_by_external_id;
  std::vector<std::string> opened_order;

  Shard& shard_of(const std::string& case_id) {
    return *shards[std::hash<std::string>{}(case_id) % shards.size()];
  }

  void log(LogLevel level, std::string_view message, std::string_view case_id,
           std::string_view command, std::string_view detail_key, std::string_view detail) {
    if (!options.logger) return;
    options.logger->log(LogRecord{level, message, case_id, {{"command", command}, {detail_key, detail}}});
  }

  // A merge needs a target that exists and is not itself merged away or
  // withdrawn: a duplicate must end up where the matter is still answered.
  Result<void> check_merge_target(const std::string& case_id, const std::string& into) {
    Shard& shard = shard_of(into);
    std::lock_guard lock(shard.mutex);
    auto found = shard.cases.find(into);
    if (found == shard.cases.end()) return fail(ErrorCode::kNotFound, "into: no case " + into);
    const auto state = found->second.state.state;
    if (state == LifecycleState::kMerged || state == LifecycleState::kWithdrawn) {
      return fail(ErrorCode::kFailedPrecondition,
                  "Expected to merge case " + case_id + " into a case still being answered, but " +
                      into + " is " + std::string(to_string(state)));
    }
    return {};
  }

  Result<Decision> decide_in_shard(Shard& shard, const Command& command, bool opening) {
    std::lock_guard lock(shard.mutex);
    auto found = shard.cases.find(command.case_id);
    if (!opening && found == shard.cases.end()) {
      return fail(ErrorCode::kNotFound, "No case " + command.case_id);
    }
    if (opening && found != shard.cases.end()) {
      // The external id was opened before: the first decision stands.
      const auto& seen = found->second.keys.at(command.idempotency_key);
      return decision_of(found->second, seen.first_seq, seen.last_seq, true);
    }
    CaseRecord scratch_record;
    CaseRecord& record = opening ? scratch_record : found->second;
    if (opening) {
      // What a workflow selects by is what the case will record when opened.
      const auto& open = std::get<cmd::Open>(command.payload);
      record.state.id = command.case_id;
      record.state.request_type = open.request_type;
      record.state.channel = open.channel;
      record.state.category = open.category;
      record.state.location = open.location;
      record.state.collective = open.collective;
      record.state.urgent = open.urgent;
    }

    if (auto seen = record.keys.find(command.idempotency_key); seen != record.keys.end()) {
      if (seen->second.kind != command.payload.index()) {
        return fail(ErrorCode::kInvalidArgument,
                    "idempotency_key: '" + command.idempotency_key + "' was used by " +
                        std::string(command_name(int(seen->second.kind))) + " on case " +
                        command.case_id + ", not " + std::string(command_name(command.payload)));
      }
      return decision_of(record, seen->second.first_seq, seen->second.last_seq, true);
    }
    if (command.expected_version && *command.expected_version != record.state.version) {
      return fail(ErrorCode::kAborted, "Expected case " + command.case_id + " at version " +
                                           std::to_string(*command.expected_version) +
                                           ", but it is at version " +
                                           std::to_string(record.state.version));
    }

    auto workflow = opening ? options.workflows->select(record.state)
                            : options.workflows->find(record.state.workflow);
    if (!workflow) return tl::unexpected(workflow.error());
    const Timestamp now = options.clock->now();
    const lifecycle::DecisionContext context{record.state, !opening, **workflow,
                                             *options.calendar, *options.directory, now,
                                             command.idempotency_key};
    auto payloads = lifecycle::decide(context, command.payload);
    if (!payloads) return tl::unexpected(payloads.error());

    const WorkflowRef ref{(*workflow)->id, (*workflow)->version};
    const std::uint64_t first_seq = record.state.version + 1;
    for (auto& payload : *payloads) {
      Event event{record.state.version + 1, now, command.actor, command.idempotency_key, ref,
                  std::move(payload)};
      if (auto applied = apply(record.state, event); !applied) {
        return fail(ErrorCode::kInternal, "Applying a decided event failed: " + applied.error().message);
      }
      record.events.push_back(std::move(event));
    }
    record.keys.emplace(command.idempotency_key,
                        CaseRecord::Seen{first_seq, record.state.version, command.payload.index()});
    Decision decision = decision_of(record, first_seq, record.state.version, false);
    if (opening) shard.cases.emplace(command.case_id, std::move(scratch_record));
    return decision;
  }

  // No exception crosses the API: one thrown by a collaborator (an
  // embedder's directory or calendar) or by an allocation becomes kInternal.
  Result<Decision> decide_guarded(Shard& shard, const Command& command, bool opening) {
    try {
      return decide_in_shard(shard, command, opening);
    } catch (const std::exception& e) {
      return fail(ErrorCode::kInternal, std::string("Deciding ") + std::string(command_name(command.payload)) +
                                            " for case " + command.case_id + " threw: " + e.what());
    }
  }

  Result<Decision> run(Command command) {
    const bool opening = std::holds_alternative<cmd::Open>(command.payload);
    Shard& shard = shard_of(command.case_id);
    auto decided = decide_guarded(shard, command, opening);
    if (opening && !decided) {
      std::lock_guard lock(intake_mutex);
      case_by_external_id.erase(command.idempotency_key);
    } else if (opening && !decided->duplicate) {
      std::lock_guard lock(intake_mutex);
      opened_order.push_back(command.case_id);
    }
    const auto name = command_name(command.payload);
    if (decided) {
      log(LogLevel::kInfo, decided->duplicate ? "command repeated" : "command decided",
          command.case_id, name, "state", to_string(decided->state));
    } else {
      log(LogLevel::kInfo, "command refused", command.case_id, name, "code",
          to_string(decided.error().code));
    }
    return decided;
  }

  // Open: the external id names the case once; a repeat goes to the same case.
  // The location and workflow are checked before a number is handed out, so a
  // malformed case does not use one up.
  Result<void> prepare_open(Command& command) {
    const auto& open = std::get<cmd::Open>(command.payload);
    {
      std::lock_guard lock(intake_mutex);
      if (auto known = case_by_external_id.find(command.idempotency_key);
          known != case_by_external_id.end()) {
        command.case_id = known->second;
        return {};
      }
    }
    auto where = options.directory->complete(open.location);
    if (!where) return tl::unexpected(where.error());
    std::lock_guard lock(intake_mutex);
    if (auto known = case_by_external_id.find(command.idempotency_key);
        known != case_by_external_id.end()) {
      command.case_id = known->second;
      return {};
    }
    auto id = ids.next(open.location.district_code, options.clock->now());
    if (!id) return tl::unexpected(id.error());
    command.case_id = *id;
    case_by_external_id.emplace(command.idempotency_key, *id);
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
  if (!options.workflows) options.workflows = builtin_workflows();
  if (!options.calendar) options.calendar = weekday_calendar();
  if (!options.directory) options.directory = sample_directory();

  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  if (limits.worker_threads > 0) {
    impl->pool = std::make_unique<asio::thread_pool>(limits.worker_threads);
  }
  for (int i = 0; i < limits.shards; ++i) {
    std::optional<asio::strand<asio::thread_pool::executor_type>> strand;
    if (impl->pool) strand.emplace(asio::make_strand(impl->pool->get_executor()));
    impl->shards.push_back(std::make_unique<Shard>(std::move(strand)));
  }
  return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Engine::~Engine() {
  impl_->stopping = true;
  if (impl_->pool) impl_->pool->join();
}

std::future<Result<Decision>> Engine::submit(Command command) {
  std::promise<Result<Decision>> promise;
  auto future = promise.get_future();
  if (impl_->stopping) {
    promise.set_value(fail(ErrorCode::kUnavailable, "The engine is shutting down"));
    return future;
  }
  if (auto checked = check_command(command, impl_->options.config.limits); !checked) {
    promise.set_value(tl::unexpected(checked.error()));
    return future;
  }
  if (std::holds_alternative<cmd::Open>(command.payload)) {
    if (auto prepared = impl_->prepare_open(command); !prepared) {
      promise.set_value(tl::unexpected(prepared.error()));
      return future;
    }
  } else if (const auto* merge = std::get_if<cmd::Merge>(&command.payload)) {
    // Cases are never deleted, so a target that exists now still exists when
    // the merge is decided.
    if (merge->into != command.case_id) {
      if (auto target = impl_->check_merge_target(command.case_id, merge->into); !target) {
        promise.set_value(tl::unexpected(target.error()));
        return future;
      }
    }
  }
  Shard& shard = impl_->shard_of(command.case_id);
  if (!shard.strand) {
    promise.set_value(impl_->run(std::move(command)));
    return future;
  }
  asio::post(*shard.strand, [this, command = std::move(command),
                             promise = std::move(promise)]() mutable {
    promise.set_value(impl_->run(std::move(command)));
  });
  return future;
}

Result<CaseState> Engine::get(const std::string& case_id) const {
  Shard& shard = impl_->shard_of(case_id);
  std::lock_guard lock(shard.mutex);
  auto found = shard.cases.find(case_id);
  if (found == shard.cases.end()) return fail(ErrorCode::kNotFound, "No case " + case_id);
  return found->second.state;
}

Result<std::vector<Event>> Engine::history(const std::string& case_id) const {
  Shard& shard = impl_->shard_of(case_id);
  std::lock_guard lock(shard.mutex);
  auto found = shard.cases.find(case_id);
  if (found == shard.cases.end()) return fail(ErrorCode::kNotFound, "No case " + case_id);
  return found->second.events;
}

std::vector<std::string> Engine::case_ids() const {
  std::lock_guard lock(impl_->intake_mutex);
  return impl_->opened_order;
}

namespace {
std::vector<RunningDeadline> all_running(const std::vector<std::unique_ptr<Shard>>& shards) {
  std::vector<RunningDeadline> all;
  for (const auto& shard : shards) {
    std::lock_guard lock(shard->mutex);
    for (const auto& [id, record] : shard->cases) {
      for (const auto& d : running_deadlines(record.state)) all.push_back(d);
    }
  }
  std::sort(all.begin(), all.end());
  return all;
}
}  // namespace

std::optional<Timestamp> Engine::next_deadline() const {
  auto all = all_running(impl_->shards);
  if (all.empty()) return std::nullopt;
  return all.front().due;
}

std::vector<Result<Decision>> Engine::fire_due_timers() {
  const Timestamp now = impl_->options.clock->now();
  std::vector<std::future<Result<Decision>>> pending;
  for (const auto& due : all_running(impl_->shards)) {
    if (due.due > now) break;
    pending.push_back(submit(timeout_command(due)));
  }
  std::vector<Result<Decision>> decided;
  for (auto& f : pending) decided.push_back(f.get());
  return decided;
}

Result<CaseState> replay(const std::vector<Event>& events) {
  CaseState state;
  for (const auto& event : events) {
    if (auto applied = apply(state, event); !applied) return tl::unexpected(applied.error());
  }
  return state;
}

}  // namespace escalator
