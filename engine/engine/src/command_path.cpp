// A command's path through the engine (docs/architecture.md, "One command's
// path"): its case found, decided, handed to the store, remembered, and the
// commands that waited for the case given their turn.
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <deque>
#include <utility>

#include "boundary.hpp"
#include "engine_impl.hpp"
#include "personal_data.hpp"

namespace escalator {

void Engine::Impl::log(LogLevel level, std::string_view message, std::string_view case_id,
                       std::string_view command, std::string_view detail_key,
                       std::string_view detail) noexcept {
  log_or_lose(options.logger.get(), [&] {
    return LogRecord{level, message, case_id, {{"command", command}, {detail_key, detail}}};
  });
}

Result<CaseRecord*> Engine::Impl::find(Shard& shard, const std::string& case_id) {
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

Result<Engine::Impl::Decided> Engine::Impl::decide_locked(Shard& shard, const Command& command,
                                                          bool opening, const Workflow* chosen) {
  auto found = find(shard, command.case_id);
  if (!found) return tl::unexpected(found.error());
  CaseRecord* record = *found;
  if (!opening && record == nullptr)
    return fail(ErrorCode::kNotFound, "No case " + command.case_id);

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
      return fail(ErrorCode::kInternal, "Case " + command.case_id +
                                            " exists but not under external id " +
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
    primary->stored_timers = std::exchange((*target)->stored_timers, std::nullopt);
  }
  auto decided = decide_write(record, command, opening, options, now, chosen);
  if (!decided) return tl::unexpected(decided.error());
  // What the store holds goes with the write rather than being copied: the
  // store answers with it again (keep()); should the write fail, the store
  // is read next time.
  if (record != nullptr)
    decided->writes.front().stored_timers = std::exchange(record->stored_timers, std::nullopt);
  if (primary) decided->writes.push_back(std::move(*primary));
  return std::move(*decided);
}

CaseRecord& Engine::Impl::keep(Shard& shard, CaseWrite write) {
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

Decision Engine::Impl::remember(Shard& shard, const std::string& key, Unwritten written) {
  if (written.writes.size() > 1) {
    CaseWrite& taken_in = written.writes[1];
    const CaseRecord::Seen seen{taken_in.events.front().seq, taken_in.events.back().seq,
                                CaseRecord::kAnyKind, taken_in.snapshot.state};
    Shard& primary_shard = shard_of(taken_in.case_id);
    keep(primary_shard, std::move(taken_in)).keys.try_emplace(key, seen);
  }
  CaseRecord& record = keep(shard, std::move(written.writes.front()));
  record.keys.emplace(key, written.seen);
  return record.decision(written.seen, false);
}

bool Engine::Impl::release(Shard& shard, const std::string& case_id) {
  auto busy = shard.busy.find(case_id);
  if (busy == shard.busy.end()) return false;
  if (busy->second.waiting.empty()) {
    shard.busy.erase(busy);
    return false;
  }
  busy->second.writing = false;
  return true;
}

void Engine::Impl::resume(Shard& shard, const std::string& case_id) {
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

bool Engine::Impl::wait_for_primary(Shard& shard, const std::shared_ptr<Submitted>& job,
                                    const std::string& into) {
  const std::string& own = job->command.case_id;
  {
    std::lock_guard lock(merge_waits_mutex);
    for (auto at = merge_waits.find(into); at != merge_waits.end();
         at = merge_waits.find(at->second)) {
      if (at->second == own) return false;
    }
    merge_waits[own] = into;
  }
  shard_of(into).busy[into].waiting.push_back(job);
  shard.busy[own].writing = true;
  job->holds_own_case = true;
  return true;
}

bool Engine::Impl::stop_holding(Shard& shard, Submitted& job, bool answered) {
  if (!job.holds_own_case) return false;
  job.holds_own_case = false;
  {
    std::lock_guard lock(merge_waits_mutex);
    merge_waits.erase(job.command.case_id);
  }
  return answered && release(shard, job.command.case_id);
}

void Engine::Impl::decide_and_write(std::shared_ptr<Submitted> job,
                                    const std::string& turn_of) noexcept {
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
        decided = fail(ErrorCode::kAborted,
                       "Expected case " + *into + " to be free for merging case " +
                           command.case_id + " into it, but it waits to be merged into " +
                           "this one; decide which case stays and submit again");
        return;
      }
      auto step = decide_locked(*shard, command, opening, job->workflow);
      const bool writes = step && std::holds_alternative<Unwritten>(*step);
      resume_own = stop_holding(*shard, *job, !writes);
      if (!step) {
        decided = tl::unexpected(step.error());
      } else if (auto* final = std::get_if<Decision>(&*step)) {
        decided = std::move(*final);
      } else {
        unwritten = std::move(std::get<Unwritten>(*step));
        for (const auto& write : unwritten->writes)
          shard_of(write.case_id).busy[write.case_id].writing = true;
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

void Engine::Impl::written(const std::shared_ptr<Submitted>& job, Unwritten unwritten,
                           Result<void> stored) noexcept {
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

void Engine::Impl::run_waiting(Shard& shard, const std::string& case_id) noexcept {
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

void Engine::Impl::finish(const std::shared_ptr<Submitted>& job,
                          Result<Decision> decided) noexcept {
  const auto told = without_throwing("Answering " + std::string(command_name(job->command.payload)),
                                     [&]() -> Result<void> {
                                       job->answer(std::move(decided));
                                       return {};
                                     });
  // An answer that throws must not keep the engine waiting for it on close.
  if (!told) log(LogLevel::kError, told.error().message, job->command.case_id, command_name(job->command.payload), "", "");
  std::lock_guard lock(outstanding_mutex);
  if (--outstanding == 0) all_answered.notify_all();
}

Result<Decision> Engine::Impl::conclude(const Command& command, Result<Decision> decided) noexcept {
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
    log(LogLevel::kInfo, decided->duplicate ? "command repeated" : "command decided",
        command.case_id, name, "state", to_string(decided->state));
  } else {
    log(LogLevel::kInfo, "command refused", command.case_id, name, "code",
        to_string(decided.error().code));
  }
  return decided;
}

bool Engine::Impl::case_exists(const std::string& case_id) {
  Shard& shard = shard_of(case_id);
  std::lock_guard lock(shard.mutex);
  auto found = find(shard, case_id);
  return found && *found != nullptr;
}

}  // namespace escalator
