#include "timers.hpp"

#include <algorithm>

#include "deadline_carry.hpp"

namespace escalator {
namespace {

const std::optional<Timestamp>& stored_deadline(const CaseState& k, DeadlineKind kind) {
  switch (kind) {
    case DeadlineKind::kAccept: return k.accept_by;
    case DeadlineKind::kResolve: return k.resolve_by;
    case DeadlineKind::kReply: return k.reply_by;
    case DeadlineKind::kRating: return k.rating_by;
    case DeadlineKind::kFollowUp: return k.follow_up_by;
  }
  return k.accept_by;
}

bool runs_in(LifecycleState state, DeadlineKind kind) {
  switch (kind) {
    case DeadlineKind::kAccept: return state == LifecycleState::kDispatched;
    case DeadlineKind::kResolve: return state == LifecycleState::kAccepted;
    case DeadlineKind::kReply:
      return state == LifecycleState::kNew || state == LifecycleState::kDispatched ||
             state == LifecycleState::kAccepted;
    case DeadlineKind::kRating: return state == LifecycleState::kAwaitingRating;
    case DeadlineKind::kFollowUp: return state == LifecycleState::kReplied;
  }
  return false;
}

}  // namespace

std::optional<Timestamp> running_deadline(const CaseState& k, DeadlineKind kind) {
  if (!runs_in(k.state, kind)) return std::nullopt;
  return stored_deadline(k, kind);
}

bool is_over(LifecycleState s) {
  return s == LifecycleState::kClosed || s == LifecycleState::kWithdrawn || s == LifecycleState::kMerged ||
         s == LifecycleState::kReturned;
}

std::optional<NearestDeadline> nearest_deadline(const CaseState& k) {
  std::optional<NearestDeadline> nearest;
  for (const auto kind : kEveryDeadlineKind) {
    const auto due = running_deadline(k, kind);
    if (due && (!nearest || *due < nearest->due)) nearest = NearestDeadline{kind, *due};
  }
  return nearest;
}

WarningColour warning_colour(const CaseState& k, Timestamp now) {
  if (is_over(k.state)) return WarningColour::kGreen;
  const auto nearest = nearest_deadline(k);
  if (!k.overdue.empty() || (nearest && nearest->due <= now)) return WarningColour::kRed;
  return k.warned.empty() ? WarningColour::kGreen : WarningColour::kYellow;
}

std::vector<RunningDeadline> running_deadlines(const CaseState& k) {
  std::vector<RunningDeadline> running;
  for (const DeadlineKind kind : kEveryDeadlineKind) {
    if (const auto due = running_deadline(k, kind)) running.push_back(RunningDeadline{*due, k.id, kind, k.version});
  }
  return running;
}

std::vector<PendingTimer> pending_timers(const CaseState& k, const Workflow* workflow, const Calendar& calendar) {
  std::vector<PendingTimer> timers;
  for (const auto& deadline : running_deadlines(k)) {
    timers.push_back(PendingTimer{deadline.due, false, deadline});
    if (workflow == nullptr) continue;
    const auto before = workflow->warning_before(k.step, deadline.kind);
    if (!before) continue;
    const DeadlineWarning warning{deadline.kind, deadline.due};
    if (std::find(k.warned.begin(), k.warned.end(), warning) != k.warned.end()) continue;
    // A warning that would come only at the deadline itself says nothing the timeout does not.
    const Timestamp at = calendar.before(deadline.due, *before);
    if (at < deadline.due) timers.push_back(PendingTimer{at, true, deadline});
  }
  return timers;
}

namespace {

void add_if_set(const std::optional<Timestamp>& due, std::vector<Timestamp>& out) {
  if (due) out.push_back(*due);
}

// The deadlines an event sets or carries on; past instants it names (the due
// time of a warning or an overdue mark) are not counted by it.
void deadlines_in(const ev::StepAssignment& to, std::vector<Timestamp>& out) { add_if_set(to.accept_by, out); }
void deadlines_in(const ev::CaseOpened& e, std::vector<Timestamp>& out) { out.push_back(e.reply_by); }
void deadlines_in(const ev::CaseDispatched& e, std::vector<Timestamp>& out) { deadlines_in(e.to, out); }
void deadlines_in(const ev::CaseEscalated& e, std::vector<Timestamp>& out) { deadlines_in(e.to, out); }
void deadlines_in(const ev::CaseAccepted& e, std::vector<Timestamp>& out) { out.push_back(e.resolve_by); }
void deadlines_in(const ev::FollowUpStarted& e, std::vector<Timestamp>& out) { out.push_back(e.rating_by); }
void deadlines_in(const ev::CaseSentBack& e, std::vector<Timestamp>& out) {
  deadlines_in(e.to, out);
  out.push_back(e.reply_by);
}
void deadlines_in(const ev::CaseReopened& e, std::vector<Timestamp>& out) {
  deadlines_in(e.to, out);
  out.push_back(e.reply_by);
}
void deadlines_in(const ev::CaseReplied& e, std::vector<Timestamp>& out) { add_if_set(e.follow_up_by, out); }
void deadlines_in(const ev::CaseUrged& e, std::vector<Timestamp>& out) {
  add_if_set(e.accept_by, out);
  add_if_set(e.resolve_by, out);
}
void deadlines_in(const ev::CaseResumed& e, std::vector<Timestamp>& out) {
  add_if_set(e.accept_by, out);
  add_if_set(e.resolve_by, out);
  add_if_set(e.reply_by, out);
}
void deadlines_in(const ev::ExtensionDecided& e, std::vector<Timestamp>& out) {
  add_if_set(e.resolve_by, out);
  add_if_set(e.reply_by, out);
}
void deadlines_in(const ev::DeadlinesRecomputed& e, std::vector<Timestamp>& out) {
  for (const DeadlineKind kind : kEveryDeadlineKind) add_if_set(e.moved.of(kind), out);
}
// Every other event sets no deadline.
void deadlines_in(const auto&, std::vector<Timestamp>&) {}

}  // namespace

bool counted_provisionally(const Calendar& calendar, const Event& event) {
  std::vector<Timestamp> deadlines;
  std::visit([&](const auto& e) { deadlines_in(e, deadlines); }, event.payload);
  return std::any_of(deadlines.begin(), deadlines.end(),
                     [&](Timestamp due) { return due > event.time && calendar.provisional(event.time, due); });
}

std::vector<Command> due_timer_commands(const std::vector<PendingTimer>& due, Timestamp now) {
  std::vector<Command> commands;
  commands.reserve(due.size());
  for (const auto& timer : due) {
    if (timer.warning && timer.deadline.due <= now) continue;
    commands.push_back(timer_command(timer));
  }
  return commands;
}

std::optional<Command> recompute_deadlines_command(const CaseState& state, const Workflow& workflow,
                                                   const Calendar& previous, const Calendar& current,
                                                   std::uint64_t import_version, Timestamp now) {
  cmd::RecomputeDeadlines recompute{current.version()};
  bool moves = false;
  for (const auto& deadline : running_deadlines(state)) {
    const auto unit = deadline_unit(workflow, state.step, deadline.kind);
    const auto moved = carry_deadline(deadline.due, unit, previous, now, current, now);
    if (!moved || *moved == deadline.due) continue;
    moves = true;
    recompute.moved.of(deadline.kind) = moved;
  }
  if (!moves) return std::nullopt;
  return Command{state.id, calendar_carry_key(import_version), state.version, "calendar", std::move(recompute)};
}

std::string calendar_carry_key(std::uint64_t import_version) { return "calendar/v" + std::to_string(import_version); }

Command timer_command(const PendingTimer& timer) {
  const RunningDeadline& d = timer.deadline;
  Command c;
  c.case_id = d.case_id;
  c.actor = "timer";
  c.idempotency_key = std::string(timer.warning ? "warning/" : "timer/") + std::string(to_string(d.kind)) + "/" +
                      format_time(d.due) + "/v" + std::to_string(d.case_version);
  if (timer.warning) {
    c.payload = cmd::RaiseWarning{d.kind, d.due};
    return c;
  }
  switch (d.kind) {
    case DeadlineKind::kAccept: c.payload = cmd::AcceptTimeout{d.due}; break;
    case DeadlineKind::kResolve: c.payload = cmd::ResolveTimeout{d.due}; break;
    case DeadlineKind::kReply: c.payload = cmd::ReplyTimeout{d.due}; break;
    case DeadlineKind::kRating: c.payload = cmd::RatingTimeout{d.due}; break;
    case DeadlineKind::kFollowUp: c.payload = cmd::FollowUpTimeout{d.due}; break;
  }
  return c;
}

}  // namespace escalator
