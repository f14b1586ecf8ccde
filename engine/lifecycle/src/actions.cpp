// The lifecycle table's actions, what each yields, and the refusal for a command
// no row takes. The guards are in guards.cpp.
#include "action_support.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "deadline_carry.hpp"
#include "escalator/lifecycle/history.hpp"
#include "escalator/org/routing.hpp"

namespace escalator::lifecycle::actions {

// "Expected to <verb> case ...", in CommandPayload order.
constexpr const char* kVerbs[] = {
    "open",
    "dispatch",
    "accept",
    "reply on the spot to",
    "reply to",
    "return",
    "send back",
    "escalate",
    "urge",
    "hand over",
    "suspend",
    "resume",
    "request an extension for",
    "decide the extension of",
    "follow up",
    "rate",
    "reopen",
    "withdraw",
    "merge",
    "close",
    "time out the acceptance of",
    "time out the handling of",
    "time out the reply to",
    "time out the rating of",
    "take a co-handler's reply to",
    "raise a warning on",
    "time out the follow-up of",
    "recompute the deadlines of",
    "erase the personal data of",
    "locate",
    "discuss",
    "add co-handlers to",
};
static_assert(std::size(kVerbs) == kCommandKindCount, "a verb for every command");

std::string title(LifecycleState s) { return std::string(title_of(s)); }

// "New", "New or Dispatched", "New, Dispatched or Accepted".
std::string one_of(const std::vector<LifecycleState>& states) {
  std::string text;
  for (std::size_t i = 0; i < states.size(); ++i) {
    if (i > 0) text += (i + 1 == states.size()) ? " or " : ", ";
    text += title(states[i]);
  }
  return text;
}

const std::string& case_id(const Scratch& s) { return s.in.current.id; }

bool refuse(Scratch& s, std::string message) {
  s.refusal = Error{ErrorCode::kFailedPrecondition, std::move(message)};
  return false;
}

template <class Payload>
void emit(Scratch& s, Payload payload) {
  s.events.emplace_back(std::move(payload));
}

// The store's version of the directory a decision asked, as events record
// it; none for a directory that is not a stored one.
std::optional<std::uint64_t> directory_version(const Scratch& s) {
  const std::uint64_t version = s.in.directory.version();
  return version == 0 ? std::nullopt : std::optional(version);
}

// The step a case moves to, with its holder from the directory unless the
// dispatcher named one, and its accept deadline counted from `from` (now,
// unless a timer says otherwise).
std::optional<ev::StepAssignment> assign(Scratch& s, int step, const std::string& chosen_lead = {},
                                         std::vector<std::string> co_handlers = {},
                                         std::optional<Timestamp> from = std::nullopt) {
  const auto& wf_step = s.in.workflow.steps.at(step);
  std::string lead = chosen_lead;
  if (lead.empty()) {
    auto held = lead_unit_for(s.in.directory, s.in.current.location, wf_step, s.in.now);
    if (!held) {
      s.failure = held.error();
      return std::nullopt;
    }
    lead = std::move(*held);
  }
  // The step's own co-handling roles (协办), unless the dispatcher named units.
  if (co_handlers.empty()) {
    co_handlers = co_handling_units_for(s.in.directory, s.in.current.location, wf_step, lead, s.in.now);
  }
  return ev::StepAssignment{step,
                            wf_step.id,
                            wf_step.level,
                            std::move(lead),
                            std::move(co_handlers),
                            s.in.calendar.deadline(from.value_or(s.in.now), wf_step.accept_within),
                            directory_version(s)};
}

int current_step(const Scratch& s) { return std::max(s.in.current.step, 0); }

// A case that moves on (escalated, sent back, reopened) to a step the
// directory names nobody for still moves: the move is what happened, and the
// step waits for a dispatcher with routing's reason, with no time to sign
// running until someone holds it. Any other failure refuses the move.
std::optional<ev::StepAssignment> move_to(Scratch& s, int step, std::optional<Timestamp> from = std::nullopt) {
  auto to = assign(s, step, {}, {}, from);
  if (to || s.failure->code != ErrorCode::kNotFound) return to;
  const auto& wf_step = s.in.workflow.steps.at(step);
  ev::StepAssignment parked{step, wf_step.id, wf_step.level, {}, {}, std::nullopt, directory_version(s),
                            std::move(s.failure->message)};
  s.failure.reset();
  return parked;
}

// Back to the step the case is at: the same lead and co-handling units the
// dispatcher chose, not the directory's default.
std::optional<ev::StepAssignment> assign_again(Scratch& s, int step) {
  const auto& k = s.in.current;
  if (step == k.step && !k.lead_unit.empty()) return assign(s, step, k.lead_unit, k.co_handlers);
  return move_to(s, step);
}

// A day-based timer fires at the midnight that ends the missed day. A next step
// counting in days counts from that missed day, as if the case had been passed
// up before midnight: one working day to sign for it means the next working
// day, not two. A step counting in hours counts from the moment itself.
Timestamp escalated_at(const Scratch& s, Timestamp due, int next) {
  const auto unit = s.in.workflow.steps.at(next).accept_within.unit;
  const bool by_day = unit == Duration::Unit::kDays || unit == Duration::Unit::kWorkingDays;
  return by_day ? due - std::chrono::seconds{1} : due;
}

bool is_last_step(const Scratch& s) {
  return current_step(s) + 1 >= static_cast<int>(s.in.workflow.steps.size());
}

bool no_next_step_refusal(Scratch& s) {
  const auto& step = s.in.workflow.steps.at(current_step(s));
  return refuse(s, "Expected a step above " + step.id + " (" + step.name + ") in workflow " +
                       s.in.workflow.id + " to escalate case " + case_id(s) +
                       " to, but it is the last step");
}

// Whether the timer's deadline is the one running, and has passed.
bool timer_matches(Scratch& s, DeadlineKind kind, const std::optional<Timestamp>& running,
                   Timestamp due) {
  const std::string what = std::string(to_string(kind)) + " deadline of case " + case_id(s);
  if (!running || *running != due) {
    return refuse(s, "Expected the " + what + " to be " + format_time(due) + ", but it is " +
                         (running ? format_time(*running) : std::string("not running")));
  }
  if (s.in.now < due) {
    return refuse(s, "Expected the " + what + " (" + format_time(due) + ") to have passed, but it is " +
                         format_time(s.in.now));
  }
  return true;
}

// A working-day deadline ends at midnight, which belongs to the next day: count
// an extension from the last second of the day it ends, not from the next day.
Timestamp extend(const Calendar& calendar, Timestamp deadline, const Duration& extra) {
  if (deadline == Timestamp::max()) return deadline;  // never due stays never due
  const bool by_day =
      extra.unit == Duration::Unit::kDays || extra.unit == Duration::Unit::kWorkingDays;
  return calendar.deadline(by_day ? deadline - std::chrono::seconds{1} : deadline, extra);
}

// The reply owed to the resident: the deadline still running, or a new one
// counted from now when the last one was met or missed.
Timestamp reply_deadline(const Scratch& s) {
  return s.in.current.reply_by.value_or(s.in.calendar.deadline(s.in.now, s.in.workflow.reply_within));
}

Error no_row_refusal(const Situation& context, int command_kind,
                     const std::vector<LifecycleState>& accepting) {
  std::string expected = std::string("Expected to ") + kVerbs[command_kind] + " case " +
                         context.current.id;
  if (command_kind == static_cast<int>(CommandPayload(cmd::Open{}).index())) {
    return Error{ErrorCode::kAlreadyExists,
                 "Expected to open a new case, but case " + context.current.id + " already exists"};
  }
  if (command_kind == static_cast<int>(CommandPayload(cmd::Close{}).index()) &&
      !context.current.outcome && context.exists) {
    // Rule 5 (事事有答复): say why, not only which state.
    return Error{ErrorCode::kFailedPrecondition,
                 expected + " after a reply to the resident, but it is " +
                     title(context.current.state) + " and has not been answered"};
  }
  if (!context.exists) {
    return Error{ErrorCode::kNotFound, expected + ", but there is no such case"};
  }
  return Error{ErrorCode::kFailedPrecondition,
               expected + " in state " + one_of(accepting) + ", but it is " +
                   title(context.current.state)};
}

// ---- Actions --------------------------------------------------------------------

// A place the directory does not know (or not then) opens the case all the
// same, so that the resident's request is kept, and parks it for a
// dispatcher; the places above it are left empty rather than taken from the
// order, for the directory is their authority.
void open_case(Scratch& s, const cmd::Open& c) {
  auto where = s.in.directory.complete(c.location, s.in.now);
  std::optional<std::string> unplaced;
  if (!where && where.error().code == ErrorCode::kNotFound) {
    unplaced = where.error().message;
    where = c.location;
    where->street.clear();
    where->community.clear();
    where->grid.clear();
  }
  if (!where) {
    s.failure = where.error();
    return;
  }
  ev::CaseOpened opened{case_id(s), c.request_type, c.channel, c.category, std::move(*where),
                        c.collective, c.urgent, c.reporter, c.content, {}, {}, s.in.idempotency_key,
                        c.first_contact,
                        c.reply_by.value_or(s.in.calendar.deadline(s.in.now, s.in.workflow.reply_within)),
                        s.in.workflow.content_hash, std::nullopt /* the engine notes an earlier call */};
  if (auto committed = commit_personal_data(opened); !committed) {
    s.failure = committed.error();
    return;
  }
  emit(s, std::move(opened));
  if (unplaced) emit(s, ev::ParkedForDispatcher{std::move(*unplaced)});
}

int dispatch_step(const Scratch& s, const cmd::Dispatch& c) {
  return c.step.empty() ? current_step(s) : s.in.workflow.step_index(c.step);
}

// Where the directory names no holder, the case waits for a dispatcher, who
// names the lead unit; a case already waiting is refused, naming why it
// waits, so that asking routing again changes nothing.
void dispatch_to_step(Scratch& s, const cmd::Dispatch& c) {
  if (auto to = assign(s, dispatch_step(s, c), c.lead_unit, c.co_handlers)) {
    emit(s, ev::CaseDispatched{std::move(*to)});
  } else if (s.failure->code == ErrorCode::kNotFound && c.lead_unit.empty()) {
    if (const auto& waiting = s.in.current.waiting_for_dispatcher) {
      s.failure->message = "Expected the org directory to name the holder of case " + case_id(s) +
                           ", but it waits for a dispatcher (" + *waiting + "): name the lead unit";
      return;
    }
    emit(s, ev::ParkedForDispatcher{s.failure->message});
    s.failure.reset();
  }
}

void accept_case(Scratch& s, const cmd::Accept&) {
  const auto& step = s.in.workflow.steps.at(current_step(s));
  emit(s, ev::CaseAccepted{s.in.current.lead_unit,
                           s.in.calendar.deadline(s.in.now, step.resolve_within)});
}

namespace {
std::optional<Timestamp> follow_up_due(const Scratch& s) {
  const Workflow& w = s.in.workflow;
  if (!w.follow_up_required || !w.follow_up_within) return std::nullopt;
  return s.in.calendar.deadline(s.in.now, *w.follow_up_within);
}
}  // namespace

void record_reply(Scratch& s, const cmd::ReplyOnSpot& c) {
  emit(s, ev::CaseReplied{c.outcome, c.answer, true, follow_up_due(s)});
}
void record_reply(Scratch& s, const cmd::Reply& c) {
  emit(s, ev::CaseReplied{c.outcome, c.answer, false, follow_up_due(s)});
}

void return_to_routing(Scratch& s, const cmd::Return& c) {
  emit(s, ev::CaseReturned{s.in.current.lead_unit, c.reason});
}

void return_to_owner(Scratch& s, const cmd::Return& c) {
  emit(s, ev::CaseReturnedToOwner{s.in.current.owner.unit, c.reason});
}

void send_back_to_step(Scratch& s, const cmd::SendBack& c) {
  if (auto to = assign_again(s, s.in.workflow.step_index(c.to_step))) {
    emit(s, ev::CaseSentBack{std::move(*to), c.reason, reply_deadline(s)});
  }
}

void escalate_to_next_step(Scratch& s, const cmd::Escalate& c) {
  if (auto to = move_to(s, current_step(s) + 1)) {
    emit(s, ev::CaseEscalated{std::move(*to), c.reason});
  }
}
void route_onward(Scratch& s, const cmd::ResolveTimeout& c) {
  const int target = *s.in.workflow.route(current_step(s), RouteTrigger::kResolveTimeout, s.in.current);
  if (auto to = move_to(s, target, escalated_at(s, c.due, target))) {
    emit(s, ev::OverdueMarked{DeadlineKind::kResolve, c.due});
    emit(s, ev::CaseEscalated{std::move(*to), engine_reason(EngineReason::kResolveTimeout)});
  }
}

// An unresolved answer the workflow does not let stand: the case moves on
// unanswered, and the answer is kept in the reason for the next holder.
void route_unresolved(Scratch& s, const cmd::Reply& c) {
  const int target = *s.in.workflow.route(current_step(s), RouteTrigger::kUnresolved, s.in.current);
  if (auto to = move_to(s, target)) emit(s, ev::CaseEscalated{std::move(*to), engine_reason(EngineReason::kUnresolved, c.answer)});
}

// 催办 with teeth: where the step says so, the running deadline of the step
// comes forward to at most that long from now; it never moves later.
void record_co_handler_reply(Scratch& s, const cmd::CoHandlerReply& c) {
  emit(s, ev::CoHandlerReplied{c.unit, c.outcome, c.answer});
}

void record_urge(Scratch& s, const cmd::Urge& c) {
  ev::CaseUrged urged{c.note, std::nullopt, std::nullopt};
  const auto& k = s.in.current;
  if (k.step >= 0 && (k.state == LifecycleState::kDispatched || k.state == LifecycleState::kAccepted)) {
    if (const auto& shortened = s.in.workflow.steps.at(k.step).urge_shortens_to) {
      const Timestamp by = s.in.calendar.deadline(s.in.now, *shortened);
      auto& running = k.state == LifecycleState::kDispatched ? urged.accept_by : urged.resolve_by;
      const auto& current = k.state == LifecycleState::kDispatched ? k.accept_by : k.resolve_by;
      if (current && by < *current) running = by;
    }
  }
  emit(s, std::move(urged));
}

void hand_over_ownership(Scratch& s, const cmd::HandOver& c) {
  emit(s, ev::CaseHandedOver{s.in.current.owner, c.to, c.note});
}

void suspend_case(Scratch& s, const cmd::Suspend& c) { emit(s, ev::CaseSuspended{c.reason}); }

// Each deadline gets back the time it had left when the case was suspended.
void resume_case(Scratch& s, const cmd::Resume&) {
  const auto& k = s.in.current;
  const Timestamp since = k.suspended_at.value_or(s.in.now);
  const auto& cal = s.in.calendar;
  const auto carry = [&](const std::optional<Timestamp>& deadline, DeadlineKind kind) {
    return carry_deadline(deadline, deadline_unit(s.in.workflow, k.step, kind), cal, since, cal, s.in.now);
  };
  emit(s, ev::CaseResumed{carry(k.accept_by, DeadlineKind::kAccept), carry(k.resolve_by, DeadlineKind::kResolve),
                          carry(k.reply_by, DeadlineKind::kReply)});
}

void record_extension_request(Scratch& s, const cmd::RequestExtension& c) {
  emit(s, ev::ExtensionRequested{c.extra, c.reason});
}

void decide_extension(Scratch& s, const cmd::DecideExtension& c) {
  const auto& k = s.in.current;
  auto resolve_by = k.resolve_by;
  auto reply_by = k.reply_by;
  if (c.approved) {
    const Duration extra = k.extension_requested.value();
    if (resolve_by) resolve_by = extend(s.in.calendar, *resolve_by, extra);
    if (reply_by) reply_by = extend(s.in.calendar, *reply_by, extra);
  }
  emit(s, ev::ExtensionDecided{c.approved, c.note, resolve_by, reply_by});
}

void start_follow_up(Scratch& s, const cmd::FollowUp&) {
  emit(s, ev::FollowUpStarted{s.in.calendar.deadline(s.in.now, s.in.workflow.rating_within)});
}

void record_rating(Scratch& s, const cmd::Rate& c) { emit(s, ev::CaseRated{c.rating, c.reason}); }

void record_rating_and_move_on(Scratch& s, const cmd::Rate& c) {
  record_rating(s, c);
  if (s.in.current.reopens < s.in.workflow.max_reopens) {
    if (auto to = assign_again(s, current_step(s))) {
      emit(s, ev::CaseReopened{std::move(*to), engine_reason(EngineReason::kUnsatisfied, c.reason), reply_deadline(s)});
    }
    return;
  }
  // The reopens are used up: once more, at the step the workflow names for that.
  const int target = s.in.workflow.step_index(s.in.workflow.when_reopens_exhausted);
  if (auto to = move_to(s, target)) {
    emit(s, ev::CaseReopened{std::move(*to), engine_reason(EngineReason::kReopensExhausted, c.reason, s.in.workflow.steps.at(target).name),
                             reply_deadline(s)});
  }
}

void reopen_at_current_step(Scratch& s, const cmd::Reopen& c) {
  if (auto to = assign_again(s, current_step(s))) {
    emit(s, ev::CaseReopened{std::move(*to), c.reason, reply_deadline(s)});
  }
}

void withdraw_case(Scratch& s, const cmd::Withdraw& c) { emit(s, ev::CaseWithdrawn{c.reason}); }

void merge_case(Scratch& s, const cmd::Merge& c) { emit(s, ev::CaseMerged{c.into}); }

void close_case(Scratch& s, const cmd::Close& c) { emit(s, ev::CaseClosed{c.note}); }

// A missed deadline is marked where it was missed, before the case climbs:
// the unit that let it pass is charged with it (docs/stats.md), and the case
// is late from then on wherever it goes.
void route_or_mark_overdue(Scratch& s, const cmd::AcceptTimeout& c) {
  const auto target = s.in.workflow.route(current_step(s), RouteTrigger::kAcceptTimeout, s.in.current);
  if (!target) {
    emit(s, ev::OverdueMarked{DeadlineKind::kAccept, c.due});
  } else if (auto to = move_to(s, *target, escalated_at(s, c.due, *target))) {
    emit(s, ev::OverdueMarked{DeadlineKind::kAccept, c.due});
    emit(s, ev::CaseEscalated{std::move(*to), engine_reason(EngineReason::kAcceptTimeout)});
  }
}

void mark_overdue(Scratch& s, const cmd::ResolveTimeout& c) {
  emit(s, ev::OverdueMarked{DeadlineKind::kResolve, c.due});
}
void mark_overdue(Scratch& s, const cmd::ReplyTimeout& c) {
  emit(s, ev::OverdueMarked{DeadlineKind::kReply, c.due});
}
void mark_overdue(Scratch& s, const cmd::FollowUpTimeout& c) {
  emit(s, ev::OverdueMarked{DeadlineKind::kFollowUp, c.due});
}

void erase_personal_data(Scratch& s, const cmd::ErasePersonalData& c) { emit(s, ev::PersonalDataErased{c.reason}); }

// The directory, not the dispatcher, says which grid, community and street
// the place is in; a place it does not hold (or not today) is refused, for a
// correction that routing cannot use corrects nothing.
void locate_case(Scratch& s, const cmd::Locate& c) {
  const Location asked{s.in.current.location.district_code, "", "", "", c.compound, c.building, ""};
  auto where = s.in.directory.complete(asked, s.in.now);
  if (!where) {
    s.failure = Error{where.error().code, "Expected the org directory to hold the place case " + case_id(s) +
                                              " is located at, but: " + where.error().message};
    return;
  }
  emit(s, ev::CaseLocated{std::move(*where), c.reason, directory_version(s)});
}

// Dispatched and Accepted cases always have a holder: one waiting for a dispatcher is New.
void discuss_case(Scratch& s, const cmd::Discuss& c) {
  emit(s, ev::CaseDiscussed{s.in.current.lead_unit, c.note});
}

void add_co_handlers(Scratch& s, const cmd::AddCoHandlers& c) { emit(s, ev::CoHandlersAdded{c.units, c.reason}); }

void recompute_deadlines(Scratch& s, const cmd::RecomputeDeadlines& c) {
  emit(s, ev::DeadlinesRecomputed{c.calendar, c.moved});
}

void raise_warning(Scratch& s, const cmd::RaiseWarning& c) { emit(s, ev::WarningRaised{c.kind, c.due}); }

void rate_no_answer(Scratch& s, const cmd::RatingTimeout&) {
  emit(s, ev::CaseRated{s.in.workflow.no_answer_counts_as, engine_reason(EngineReason::kNoAnswer)});
}

}  // namespace escalator::lifecycle::actions
