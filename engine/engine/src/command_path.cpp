// A command's path through the engine (docs/architecture.md, "One command's
// path"): its case found, decided, handed to the store, remembered, and the
// commands that waited for the case given their turn.
#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <deque>
#include <utility>

#include "boundary.hpp"
#include "engine_impl.hpp"
#include "lifecycle.hpp"
#include "personal_data.hpp"

namespace escalator {

void Engine::Impl::log(LogLevel level, std::string_view message, const Command& command,
                       std::string_view detail_key, std::string_view detail) noexcept {
  log_or_lose(options.logger.get(), [&] {
    LogRecord record{level, message, command.case_id, {{"command", command_name(command.payload)}}};
    if (!detail_key.empty()) record.fields.emplace_back(detail_key, detail);
    if (!command.request_id.empty()) record.fields.emplace_back("request_id", command.request_id);
    return record;
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
  const DecidingWith with = deciding_with(command.case_id);
  // The primary first: when it is closed or gone, that is the refusal.
  std::optional<CaseWrite> primary;
  std::optional<ev::AnswerRelayed> told;  // the answer a merge brings the duplicate
  if (const std::string* into = primary_of(command)) {
    auto target = find(shard_of(*into), *into);
    if (!target) return tl::unexpected(target.error());
    if (!*target) return fail(ErrorCode::kNotFound, "into: no case " + *into);
    // The primary is counted on its own calendar: the old one until its own carry.
    DecidingWith primary_with = deciding_with(*into);
    if (primary_with.carry_from) primary_with.calendar = std::exchange(primary_with.carry_from, nullptr);
    auto taken = take_in_duplicate(**target, command, primary_with, now);
    if (!taken) return tl::unexpected(taken.error());
    primary = std::move(*taken);
    primary->stored_timers = std::exchange((*target)->stored_timers, std::nullopt);
    told = lifecycle::answer_of((*target)->state);
  }
  std::vector<EventPayload> then;
  if (told) then.push_back(*told);
  auto decided = decide_write(record, command, opening, with, now, chosen, std::move(then));
  if (!decided) return tl::unexpected(decided.error());
  // What the store holds goes with the write rather than being copied: the
  // store answers with it again (keep()); should the write fail, the store
  // is read next time.
  if (record != nullptr)
    decided->writes.front().stored_timers = std::exchange(record->stored_timers, std::nullopt);
  if (primary) decided->writes.push_back(std::move(*primary));
  // An answer given, or brought by a merge, reaches every case merged below.
  const CaseWrite& own = decided->writes.front();
  const bool replied = std::any_of(own.events.begin(), own.events.end(), [](const Event& e) {
    return std::holds_alternative<ev::CaseReplied>(e.payload);
  });
  if (!told && replied) told = lifecycle::answer_of(own.snapshot);
  if (told && record != nullptr && !record->state.duplicates.empty()) {
    if (auto relayed = relay_answer(*told, command, with, now, *decided); !relayed) return tl::unexpected(relayed.error());
  }
  return std::move(*decided);
}

Result<void> Engine::Impl::relay_answer(const ev::AnswerRelayed& answer, const Command& command,
                                        const DecidingWith& with, Timestamp now,
                                        Unwritten& decided) {
  const auto below = merged_below(command.case_id, [&](const std::string& id) {
    auto found = find(shard_of(id), id);
    return found && *found ? (*found)->state.duplicates : std::vector<std::string>();
  });
  for (const auto& id : below) {
    auto found = find(shard_of(id), id);
    if (!found) return tl::unexpected(found.error());
    if (!*found) return fail(ErrorCode::kDataLoss, "Case " + id + ", merged below " + command.case_id + ", is missing");
    auto told = tell_answer(**found, answer, command, with, now);
    if (!told) return tl::unexpected(told.error());
    told->stored_timers = std::exchange((*found)->stored_timers, std::nullopt);
    decided.writes.push_back(std::move(*told));
  }
  return {};
}

namespace {

// A merge (its primary, and what is merged below the duplicate) and a reply
// (the cases merged below it) may write cases besides their own.
bool writes_other_cases(const Command& command) {
  return std::holds_alternative<cmd::Merge>(command.payload) || std::holds_alternative<cmd::Reply>(command.payload) ||
         std::holds_alternative<cmd::ReplyOnSpot>(command.payload);
}

}  // namespace

std::vector<std::string> Engine::Impl::also_written(const Command& command) {
  if (!writes_other_cases(command)) return {};
  std::vector<std::string> others;
  if (const std::string* into = primary_of(command)) others.push_back(*into);
  const auto below = merged_below(command.case_id, [&](const std::string& id) {
    Shard& shard = shard_of(id);
    std::lock_guard lock(shard.mutex);
    auto found = find(shard, id);
    return found && *found ? (*found)->state.duplicates : std::vector<std::string>();
  });
  others.insert(others.end(), below.begin(), below.end());
  return others;
}

bool Engine::Impl::still_written(const Command& command, const std::vector<std::string>& others) {
  if (!writes_other_cases(command)) return true;
  bool held = true;
  merged_below(command.case_id, [&](const std::string& id) {
    if (id != command.case_id && std::find(others.begin(), others.end(), id) == others.end()) {
      held = false;  // its shard's mutex may not be held: not read
      return std::vector<std::string>();
    }
    auto found = find(shard_of(id), id);
    return found && *found ? (*found)->state.duplicates : std::vector<std::string>();
  });
  return held;
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
  // The other cases written (a merge's primary, duplicates told an answer)
  // know the key as their events carry it, as a load from the store would.
  for (std::size_t i = 1; i < written.writes.size(); ++i) {
    CaseWrite& also = written.writes[i];
    const CaseRecord::Seen seen{also.events.front().seq, also.events.back().seq, CaseRecord::kAnyKind,
                                also.snapshot.state};
    Shard& also_shard = shard_of(also.case_id);
    keep(also_shard, std::move(also)).keys.try_emplace(key, seen);
  }
  // The engine's own events in the write (a calendar's carry, first) are
  // known by their keys too, as a load from the store would know them; the
  // case's state after a carry is the one before, which a carry keeps.
  std::vector<std::pair<std::string, CaseRecord::Seen>> own_keys;
  const auto& write = written.writes.front();
  for (const Event& e : write.events) {
    if (e.idempotency_key == key) continue;
    const auto cached = shard.cases.find(write.case_id);
    const LifecycleState before = cached != shard.cases.end() ? cached->second.state.state : write.snapshot.state;
    own_keys.emplace_back(e.idempotency_key, CaseRecord::Seen{e.seq, e.seq, CaseRecord::kAnyKind, before});
  }
  if (written.carried) carried(write.case_id);
  CaseRecord& record = keep(shard, std::move(written.writes.front()));
  for (auto& [own, seen] : own_keys) record.keys.try_emplace(own, seen);
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

bool Engine::Impl::wait_for(Shard& shard, const std::shared_ptr<Submitted>& job, const std::string& other) {
  const std::string& own = job->command.case_id;
  {
    std::lock_guard lock(waits_mutex);
    for (auto at = waits_for.find(other); at != waits_for.end(); at = waits_for.find(at->second)) {
      if (at->second == own) return false;
    }
    waits_for[own] = other;
  }
  shard_of(other).busy[other].waiting.push_back(job);
  shard.busy[own].writing = true;
  job->holds_own_case = true;
  return true;
}

bool Engine::Impl::stop_holding(Shard& shard, Submitted& job, bool answered) {
  if (!job.holds_own_case) return false;
  job.holds_own_case = false;
  {
    std::lock_guard lock(waits_mutex);
    waits_for.erase(job.command.case_id);
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
    auto others = also_written(command);
    for (bool settled = false; !settled;) {
      settled = true;
      locked(*shard, others, [&] {
        if (!still_written(command, others)) {
          settled = false;  // a merge added a duplicate meanwhile: lock it too
          return;
        }
        const bool own_turn = turn_of == command.case_id || job->holds_own_case;
        if (auto busy = shard->busy.find(command.case_id); !own_turn && busy != shard->busy.end()) {
          busy->second.waiting.push_back(job);
          next = Next::kWait;
          return;
        }
        for (const auto& other : others) {
          if (other == turn_of || !shard_of(other).busy.contains(other)) continue;
          if (wait_for(*shard, job, other)) {
            next = Next::kWait;
            return;
          }
          resume_own = stop_holding(*shard, *job, true);
          decided = fail(ErrorCode::kAborted,
                         into != nullptr && other == *into
                             ? "Expected case " + *into + " to be free for merging case " + command.case_id +
                                   " into it, but it waits to be merged into this one; decide which case stays "
                                   "and submit again"
                             : "Expected case " + other + " to be free for writing with case " + command.case_id +
                                   ", but it waits for this one; submit again");
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
      if (!settled) others = also_written(command);
    }
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
  std::vector<std::string> to_resume;
  Result<Decision> decided = fail(ErrorCode::kInternal, "not decided");
  const auto kept = without_throwing(deciding(command), [&]() -> Result<void> {
    Shard& shard = shard_of(command.case_id);
    // The cases written: the command's first, then a merge's primary or the
    // duplicates told an answer.
    std::vector<std::string> others;
    for (std::size_t i = 1; i < unwritten.writes.size(); ++i) others.push_back(unwritten.writes[i].case_id);
    locked(shard, others, [&] {
      if (stored) {
        decided = remember(shard, command.idempotency_key, std::move(unwritten));
      } else {
        decided = tl::unexpected(stored.error());
      }
      shard.trim(cache_per_shard);
      if (release(shard, command.case_id)) to_resume.push_back(command.case_id);
      for (const auto& other : others) {
        if (release(shard_of(other), other)) to_resume.push_back(other);
      }
    });
    return {};
  });
  if (!kept) decided = tl::unexpected(kept.error());
  finish(job, conclude(command, std::move(decided)));
  for (const auto& case_id : to_resume) resume(shard_of(case_id), case_id);
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
  if (!told) log(LogLevel::kError, told.error().message, job->command);
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
  if (decided) {
    log(LogLevel::kInfo, decided->duplicate ? "command repeated" : "command decided", command, "state",
        to_string(decided->state));
  } else {
    log(LogLevel::kInfo, "command refused", command, "code", to_string(decided.error().code));
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
