#include "case_write.hpp"

#include <optional>

#include "record_fields.hpp"

#include "appliers.hpp"
#include "escalator/lifecycle/history.hpp"
#include "lifecycle.hpp"
#include "repeat_calls.hpp"
#include "stats_count.hpp"
#include "timers.hpp"

namespace escalator {
namespace {

// The case's workflow from the catalog, refused when its content is not what
// the case was decided by: the catalog numbers versions as it publishes them,
// and one loaded from other files may give the number to other content.
// Deciding on it would apply rules the case never had.
Result<const Workflow*> workflow_of(const CaseState& current, const DecidingWith& with) {
  auto workflow = with.workflows.find(current.workflow);
  if (!workflow) return tl::unexpected(workflow.error());
  if (!current.workflow_hash.empty() && current.workflow_hash != (*workflow)->content_hash) {
    return fail(ErrorCode::kFailedPrecondition,
                "Expected workflow " + current.workflow.id + " version " + std::to_string(current.workflow.version) +
                    " with content " + current.workflow_hash.substr(0, 12) + " for case " + current.id +
                    ", but the catalog's has content " + (*workflow)->content_hash.substr(0, 12));
  }
  return *workflow;
}

// A new case's caller's previous case at its place in its category, if any,
// into its CaseOpened, with who held that case now: a decision reads no store.
Result<void> note_earlier_call(std::vector<EventPayload>& payloads, const CaseStore& store, Timestamp now) {
  auto* opened = payloads.empty() ? nullptr : std::get_if<ev::CaseOpened>(&payloads.front());
  if (opened == nullptr) return {};
  const auto digests = repeat_calls::digests_of(opened->reporter, opened->location, opened->category);
  if (digests.empty()) return {};
  auto call = store.previous_call(digests, now);
  if (!call) return tl::unexpected(call.error());
  if (!*call) return {};
  auto earlier = store.load((*call)->case_id);
  if (!earlier) return tl::unexpected(earlier.error());
  ev::EarlierCall noted{(*call)->case_id, (*call)->opened_at, {}, {}};
  if (*earlier) {
    noted.lead_unit = (**earlier).snapshot.lead_unit;
    noted.step_id = (**earlier).snapshot.step_id;
  }
  opened->earlier_call = std::move(noted);
  return {};
}

// The payloads as events after the case's last, each sealed onto the chain
// and applied: the case's write.
Result<CaseWrite> write_of(const CaseRecord* record, const CaseState& current, std::vector<EventPayload> payloads,
                           const Command& command, const Workflow& workflow,
                           const DecidingWith& with, Timestamp now,
                           std::optional<std::size_t> carry_at = std::nullopt) {
  CaseState next = current;
  std::vector<Event> events;
  stats::Marks counted;
  stats::CaseCounter counter(*with.calendar, record ? std::span<const Event>(record->events) : std::span<const Event>(),
                             counted);
  const WorkflowRef ref{workflow.id, workflow.version};
  std::string prev_hash(record && !record->events.empty() ? record->events.back().hash : kGenesisHash);
  std::vector<std::string> canonical;
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    if (carry_at && *carry_at == i) {
      events.push_back(Event{next.version + 1, now, "calendar", calendar_carry_key(with.carry_import), ref,
                             std::move(payloads[i])});
    } else {
      events.push_back(Event{next.version + 1, now, command.actor, command.idempotency_key, ref, std::move(payloads[i])});
    }
    events.back().provisional = counted_provisionally(*with.calendar, events.back());
    auto sealed = seal(events.back(), prev_hash);
    if (!sealed) return fail(ErrorCode::kInternal, "Sealing a decided event failed: " + sealed.error().message);
    canonical.push_back(std::move(*sealed));
    prev_hash = events.back().hash;
    const auto before = stats::CaseCounter::Before::of(next);
    if (auto applied = apply(next, events.back()); !applied) {
      return fail(ErrorCode::kInternal, "Applying a decided event failed: " + applied.error().message);
    }
    counter.count(before, events.back(), next);
  }
  auto timers = pending_timers(next, &workflow, *with.calendar);
  CaseWrite write{current.id, std::move(events), std::move(next), std::move(timers), std::move(counted),
                  std::move(canonical)};
  if (record != nullptr) write.lists_before = case_list_entries(record->state);
  return write;
}

}  // namespace

CaseState provisional_case(const Command& command) {
  const auto& open = std::get<cmd::Open>(command.payload);
  CaseState k;
  k.id = command.case_id;
  k.request_type = open.request_type;
  k.channel = open.channel;
  k.category = open.category;
  k.location = open.location;
  k.collective = open.collective;
  k.urgent = open.urgent;
  return k;
}

namespace {

// The first instant an event would carry that the store could not read back
// (docs/events.md): a walk over the event's fields as the writers walk them.
struct UnwritableInstant {
  std::optional<std::pair<std::string, Timestamp>> found;
  void operator()(const char* key, const Timestamp& t) {
    if (!found && !is_writable_time(t)) found.emplace(key, t);
  }
  void operator()(const char* key, const std::optional<Timestamp>& t) {
    if (t) (*this)(key, *t);
  }
  template <class T>
  void operator()(const char*, const T& value) {
    if constexpr (record_fields::Nested<const T>) {
      record_fields::fields(*this, value);
    } else if constexpr (requires { typename T::value_type; requires record_fields::Nested<const typename T::value_type>; }) {
      if constexpr (requires { value.has_value(); }) {  // an optional nested record
        if (value) record_fields::fields(*this, *value);
      } else {  // a list of them
        for (const auto& item : value) record_fields::fields(*this, item);
      }
    }
  }
};

Result<void> instants_are_writable(const std::string& case_id, const std::vector<EventPayload>& payloads) {
  for (const auto& payload : payloads) {
    UnwritableInstant walk;
    std::visit([&](const auto& p) { record_fields::fields(walk, p); }, payload);
    if (walk.found) {
      return fail(ErrorCode::kInvalidArgument,
                  "Expected every instant of case " + case_id + " to fall within the years 0000 to 9999, but " +
                      std::string(event_type_name(event_type(payload))) + " would set " + walk.found->first +
                      " to " + format_time(walk.found->second));
    }
  }
  return {};
}

// What a calendar import being brought in adds to a command's write
// (DecidingWith::carry_from): the carry of the case's running deadlines, the
// case as carried for the command to be decided on, and whether the command
// is the recount's own, which the carry answers alone.
struct Carry {
  std::optional<EventPayload> event;
  CaseState decided_on;
  bool alone = false;
};

Result<Carry> carry_of(const CaseState& current, bool opening, const Workflow& workflow, const Command& command,
                       const DecidingWith& with, Timestamp now) {
  Carry carry{std::nullopt, current, false};
  if (!with.carry_from) return carry;
  ev::DeadlinesRecomputed recomputed{with.calendar->version(), {}};
  if (!opening) {
    if (auto moved = recompute_deadlines_command(current, workflow, *with.carry_from, *with.calendar,
                                                 with.carry_import, now)) {
      recomputed.moved = std::get<cmd::RecomputeDeadlines>(moved->payload).moved;
    }
  }
  const auto* recount = std::get_if<cmd::RecomputeDeadlines>(&command.payload);
  carry.alone = recount != nullptr && recount->calendar == with.calendar->version() &&
                command.idempotency_key == calendar_carry_key(with.carry_import);
  const bool moves = recomputed.moved.accept_by || recomputed.moved.resolve_by || recomputed.moved.reply_by ||
                     recomputed.moved.rating_by || recomputed.moved.follow_up_by;
  if (carry.alone && !moves) {
    // As the lifecycle refuses a recomputation that moves nothing: nothing is written.
    return fail(ErrorCode::kFailedPrecondition, "Expected a running deadline of case " + current.id +
                                                    " to move on calendar " + with.calendar->version() +
                                                    ", but none does");
  }
  if (!opening) {
    const Event carried{current.version + 1, now, "calendar", command.idempotency_key, current.workflow, recomputed};
    if (auto applied = apply(carry.decided_on, carried); !applied) {
      return fail(ErrorCode::kInternal, "Applying a calendar's carry failed: " + applied.error().message);
    }
  }
  carry.event = std::move(recomputed);
  return carry;
}

}  // namespace

Result<Unwritten> decide_write(const CaseRecord* record, const Command& command, bool opening,
                              const DecidingWith& with, Timestamp now, const Workflow* chosen,
                              std::vector<EventPayload> then) {
  const CaseState current = record ? record->state : provisional_case(command);
  auto workflow = !opening ? workflow_of(current, with)
                  : chosen  ? Result<const Workflow*>(chosen)
                            : with.workflows.select(current);
  if (!workflow) return tl::unexpected(workflow.error());
  auto carry = carry_of(current, opening, **workflow, command, with, now);
  if (!carry) return tl::unexpected(carry.error());
  const lifecycle::TableRow* row = nullptr;
  Result<std::vector<EventPayload>> payloads = std::vector<EventPayload>{};
  if (!carry->alone) {
    const lifecycle::Situation context{carry->decided_on, !opening, **workflow, *with.calendar,
                                       *with.directory, now, command.idempotency_key};
    payloads = lifecycle::decide(context, command.payload, &row);
    if (!payloads) return tl::unexpected(payloads.error());
  }
  for (auto& payload : then) payloads->push_back(std::move(payload));
  std::optional<std::size_t> carry_at;
  if (carry->event) {
    // Before the command's events on a case that exists; after them on one it opens.
    carry_at = opening ? payloads->size() : 0;
    payloads->insert(payloads->begin() + static_cast<std::ptrdiff_t>(*carry_at), std::move(*carry->event));
  }
  if (auto writable = instants_are_writable(current.id, *payloads); !writable) return tl::unexpected(writable.error());
  if (opening) {
    if (auto noted = note_earlier_call(*payloads, with.store, now); !noted) return tl::unexpected(noted.error());
  }
  auto write = write_of(record, current, std::move(*payloads), command, **workflow, with, now, carry_at);
  if (!write) return tl::unexpected(write.error());
  // The table says where a command leaves the case; the appliers put it
  // there. Were they ever to differ, nothing is written.
  if (row != nullptr && !row->reaches(write->snapshot.state)) {
    return fail(ErrorCode::kInternal, "Expected " + std::string(command_name(command.payload)) + " on case " +
                                          current.id + " to leave it " +
                                          std::string(to_string(row->to.value_or(*row->from))) +
                                          (row->or_to ? " or " + std::string(to_string(*row->or_to)) : "") +
                                          " by the row of action " + row->action + ", but its events leave it " +
                                          std::string(to_string(write->snapshot.state)));
  }
  // The command's own events, without the carry before or after them.
  const std::uint64_t first = current.version + 1 + (carry_at && *carry_at == 0 && !carry->alone ? 1 : 0);
  const std::uint64_t last = write->snapshot.version - (carry_at && opening ? 1 : 0);
  const CaseRecord::Seen seen{first, last, command.payload.index(), write->snapshot.state};
  Unwritten unwritten{{}, seen, carry_at.has_value()};
  unwritten.writes.push_back(std::move(*write));
  return unwritten;
}

Result<CaseWrite> take_in_duplicate(const CaseRecord& primary, const Command& merge, const DecidingWith& with,
                                    Timestamp now) {
  auto workflow = workflow_of(primary.state, with);
  if (!workflow) return tl::unexpected(workflow.error());
  const lifecycle::Situation context{primary.state, true, **workflow, *with.calendar,
                                           *with.directory, now, merge.idempotency_key};
  auto payloads = lifecycle::take_in_duplicate(context, merge.case_id);
  if (!payloads) return tl::unexpected(payloads.error());
  return write_of(&primary, primary.state, std::move(*payloads), merge, **workflow, with, now);
}

Result<CaseWrite> tell_answer(const CaseRecord& duplicate, const ev::AnswerRelayed& answer, const Command& command,
                              const DecidingWith& with, Timestamp now) {
  auto workflow = workflow_of(duplicate.state, with);
  if (!workflow) return tl::unexpected(workflow.error());
  auto payloads = lifecycle::relay_answer(duplicate.state, answer);
  if (!payloads) return tl::unexpected(payloads.error());
  return write_of(&duplicate, duplicate.state, std::move(*payloads), command, **workflow, with, now);
}

}  // namespace escalator
