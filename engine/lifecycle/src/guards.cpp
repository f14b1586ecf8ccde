// The lifecycle table's guards: questions about the case and its workflow.
// A guard that says no leaves the refusal, saying what was expected and found.
#include <algorithm>
#include <string>

#include "action_support.hpp"
#include "escalator/org/routing.hpp"

namespace escalator::lifecycle::actions {

namespace {

// Co-handling units named by a dispatch or brought in later: each a unit of
// the directory, named once, neither `lead` nor one of `already`.
bool are_co_handling_units(Scratch& s, const std::vector<std::string>& units, const std::string& lead,
                           const std::vector<std::string>& already) {
  for (std::size_t i = 0; i < units.size(); ++i) {
    const std::string& unit = units[i];
    if (!s.in.directory.unit_level(unit, s.in.now)) {
      return refuse(s, "Expected co-handling unit '" + unit + "' of case " + case_id(s) +
                           " in the org directory, but there is no such unit");
    }
    if (unit == lead) {
      return refuse(s, "Expected co-handling units of case " + case_id(s) + " other than its lead unit, but '" +
                           unit + "' is both");
    }
    if (std::find(already.begin(), already.end(), unit) != already.end()) {
      return refuse(s, "Expected units not yet handling case " + case_id(s) + ", but '" + unit +
                           "' is a co-handling unit already");
    }
    if (std::find(units.begin(), units.begin() + i, unit) != units.begin() + i) {
      return refuse(s, "Expected each co-handling unit of case " + case_id(s) + " once, but '" + unit +
                           "' is named twice");
    }
  }
  return true;
}

}  // namespace

bool routing_is_valid(Scratch& s, const cmd::Dispatch& c) {
  const int step = dispatch_step(s, c);
  if (step < 0) {
    return refuse(s, "Expected a step of workflow " + s.in.workflow.id + " to dispatch case " +
                         case_id(s) + " to, but got '" + c.step + "'");
  }
  const WorkflowStep& wf_step = s.in.workflow.steps.at(step);
  std::string lead = c.lead_unit;
  if (!lead.empty()) {
    const auto level = s.in.directory.unit_level(lead, s.in.now);
    if (!level) {
      return refuse(s, "Expected lead unit '" + lead + "' of case " + case_id(s) +
                           " in the org directory, but there is no such unit");
    }
    if (*level != wf_step.level) {
      return refuse(s, "Expected a lead unit at level " + std::string(to_string(wf_step.level)) +
                           " for step " + wf_step.id + " of case " + case_id(s) + ", but '" + lead +
                           "' is at level " + std::string(to_string(*level)));
    }
  } else if (auto held = lead_unit_for(s.in.directory, s.in.current.location, wf_step, s.in.now)) {
    lead = *held;
  }
  if (!lead.empty() && lead == s.in.current.returned_by) {
    return refuse(s, "Expected case " + case_id(s) + " to go to a unit other than '" + lead +
                         "', which returned it as not its own: name a lead unit or a step");
  }
  return are_co_handling_units(s, c.co_handlers, lead, {});
}

bool is_step_visited(Scratch& s, const cmd::SendBack& c) {
  const int target = s.in.workflow.step_index(c.to_step);
  const auto& visited = s.in.current.steps_visited;
  if (target < 0 || std::find(visited.begin(), visited.end(), target) == visited.end()) {
    std::string steps;
    for (int v : visited) steps += (steps.empty() ? "" : ", ") + s.in.workflow.steps.at(v).id;
    return refuse(s, "Expected to send case " + case_id(s) + " back to a step it has been at (" +
                         steps + "), but got '" + c.to_step + "'");
  }
  return true;
}

bool has_next_step(Scratch& s, const cmd::Escalate&) {
  return !is_last_step(s) || no_next_step_refusal(s);
}

bool holds_personal_data(Scratch& s, const cmd::ErasePersonalData&) {
  if (const auto& erased = s.in.current.personal_data_erased_at) {
    return refuse(s, "Expected case " + case_id(s) + " to hold personal data, but it was erased at " +
                         format_time(*erased));
  }
  return true;
}

bool is_new_place(Scratch& s, const cmd::Locate& c) {
  const Location& at = s.in.current.location;
  if ((c.compound.empty() || c.compound == at.compound) && c.building == at.building) {
    const std::string place = at.building.empty() ? "compound '" + at.compound + "'" : "building '" + at.building + "'";
    return refuse(s, "Expected a place other than where case " + case_id(s) + " is, but it is at " + place +
                         " already");
  }
  return true;
}

bool are_new_co_handlers(Scratch& s, const cmd::AddCoHandlers& c) {
  return are_co_handling_units(s, c.units, s.in.current.lead_unit, s.in.current.co_handlers);
}

bool is_new_owner(Scratch& s, const cmd::HandOver& c) {
  if (!s.in.directory.unit_level(c.to.unit, s.in.now)) {
    return refuse(s, "Expected to hand case " + case_id(s) + " over to a unit of the org directory, but '" +
                         c.to.unit + "' is none");
  }
  if (c.to == s.in.current.owner) {
    return refuse(s, "Expected to hand case " + case_id(s) + " over to a new owner, but " +
                         c.to.unit + " already owns it");
  }
  return true;
}

bool was_dispatched(Scratch& s, const cmd::Resume&) {
  return s.in.current.suspended_from == LifecycleState::kDispatched;
}
bool was_accepted(Scratch& s, const cmd::Resume&) {
  return s.in.current.suspended_from == LifecycleState::kAccepted;
}

bool can_request_extension(Scratch& s, const cmd::RequestExtension&) {
  const auto& k = s.in.current;
  if (k.extension_requested) {
    return refuse(s, "Expected no pending extension request on case " + case_id(s) +
                         ", but one for " + format_duration(*k.extension_requested) +
                         " awaits a decision");
  }
  if (!k.resolve_by) {
    return refuse(s, "Expected a running handling deadline to extend on case " + case_id(s) +
                         ", but it has passed and the case is marked overdue");
  }
  if (s.in.now >= *k.resolve_by) {
    return refuse(s, "Expected an extension of case " + case_id(s) + " to be asked before " +
                         format_time(*k.resolve_by) + ", but it is " + format_time(s.in.now));
  }
  return true;
}

bool has_extension_pending(Scratch& s, const cmd::DecideExtension&) {
  if (!s.in.current.extension_requested) {
    return refuse(s, "Expected an extension request on case " + case_id(s) +
                         " to decide, but none is pending");
  }
  return true;
}

// Unsatisfied: reopened while reopens are left; once they are used up, moved
// on once to the step the workflow names, if it names one.
bool moves_on_rating(Scratch& s, const cmd::Rate& c) {
  if (c.rating != Rating::kUnsatisfied) return false;
  const auto& w = s.in.workflow;
  const int reopens = s.in.current.reopens;
  return reopens < w.max_reopens || (reopens == w.max_reopens && w.step_index(w.when_reopens_exhausted) >= 0);
}
bool keeps_rating(Scratch& s, const cmd::Rate& c) { return !moves_on_rating(s, c); }

bool can_reopen(Scratch& s, const cmd::Reopen&) {
  if (s.in.current.reopens >= s.in.workflow.max_reopens) {
    return refuse(s, "Expected case " + case_id(s) + " to have reopens left, but it has been reopened " +
                         std::to_string(s.in.current.reopens) + " times and workflow " + s.in.workflow.id +
                         " allows " + std::to_string(s.in.workflow.max_reopens));
  }
  return true;
}

// A duplicate's reporter is asked about the answer relayed to it, once for each answer.
bool is_answered_duplicate(Scratch& s, const cmd::Rate&) {
  const CaseState& k = s.in.current;
  if (!k.outcome) {
    return refuse(s, "Expected case " + case_id(s) + " to have been told its primary " + k.merged_into +
                         "'s answer before it is rated, but " + k.merged_into + " has not answered");
  }
  if (k.rating) {
    return refuse(s, "Expected case " + case_id(s) + " to be rated once for the answer relayed to it, but it was rated " +
                         std::string(to_string(*k.rating)));
  }
  return true;
}

namespace {
bool ends_with_every_report_answered(Scratch& s, std::string_view ending) {
  const auto& waiting = s.in.current.duplicates;
  if (waiting.empty()) return true;
  std::string names;
  for (const auto& id : waiting) names += (names.empty() ? "" : ", ") + id;
  return refuse(s, "Expected case " + case_id(s) + " to end with an answer to the reports merged into it, but " +
                       std::string(ending) + " would leave " + names + " unanswered; reply instead");
}
}  // namespace

bool answers_every_report(Scratch& s, const cmd::Withdraw&) { return ends_with_every_report_answered(s, "withdraw"); }
bool answers_every_report(Scratch& s, const cmd::Return&) { return ends_with_every_report_answered(s, "return"); }

bool is_other_case(Scratch& s, const cmd::Merge& c) {
  if (c.into == case_id(s)) {
    return refuse(s, "Expected to merge case " + case_id(s) + " into another case, but got itself");
  }
  return true;
}

bool may_close_unrated(Scratch& s, const cmd::Close&) {
  if (s.in.workflow.follow_up_required) {
    return refuse(s, "Expected a rating before closing case " + case_id(s) + ", but workflow " +
                         s.in.workflow.id + " requires a follow-up (回访) and none has been rated");
  }
  return true;
}

bool timer_is_current(Scratch& s, const cmd::AcceptTimeout& c) {
  return timer_matches(s, DeadlineKind::kAccept, s.in.current.accept_by, c.due);
}
bool timer_is_current(Scratch& s, const cmd::ReplyTimeout& c) {
  return timer_matches(s, DeadlineKind::kReply, s.in.current.reply_by, c.due);
}
bool timer_is_current(Scratch& s, const cmd::RatingTimeout& c) {
  return timer_matches(s, DeadlineKind::kRating, s.in.current.rating_by, c.due);
}
bool timer_is_current(Scratch& s, const cmd::FollowUpTimeout& c) {
  return timer_matches(s, DeadlineKind::kFollowUp, s.in.current.follow_up_by, c.due);
}
bool timer_is_current_and_moves_on(Scratch& s, const cmd::ResolveTimeout& c) {
  return timer_matches(s, DeadlineKind::kResolve, s.in.current.resolve_by, c.due) &&
         s.in.workflow.route(current_step(s), RouteTrigger::kResolveTimeout, s.in.current).has_value();
}
bool timer_is_current_and_stays(Scratch& s, const cmd::ResolveTimeout& c) {
  return timer_matches(s, DeadlineKind::kResolve, s.in.current.resolve_by, c.due) &&
         !s.in.workflow.route(current_step(s), RouteTrigger::kResolveTimeout, s.in.current).has_value();
}

bool warning_is_due(Scratch& s, const cmd::RaiseWarning& c) {
  const auto& k = s.in.current;
  const std::string what = std::string(to_string(c.kind)) + " deadline of case " + case_id(s);
  const auto running = running_deadline(k, c.kind);
  if (!running || *running != c.due) {
    return refuse(s, "Expected the " + what + " to be " + format_time(c.due) + ", but it is " +
                         (running ? format_time(*running) : std::string("not running")));
  }
  const auto before = s.in.workflow.warning_before(k.step, c.kind);
  if (!before) {
    return refuse(s, "Expected workflow " + s.in.workflow.id + " to warn before the " + what +
                         ", but it sets no warn_before for it");
  }
  const Timestamp warn_at = s.in.calendar.before(c.due, *before);
  if (s.in.now >= c.due) {
    return refuse(s, "Expected the warning before the " + what + " (" + format_time(c.due) +
                         "), but that deadline has passed");
  }
  if (s.in.now < warn_at) {
    return refuse(s, "Expected the warning for the " + what + " to be due (" + format_time(warn_at) +
                         "), but it is " + format_time(s.in.now));
  }
  if (std::find(k.warned.begin(), k.warned.end(), DeadlineWarning{c.kind, c.due}) != k.warned.end()) {
    return refuse(s, "Expected the " + what + " (" + format_time(c.due) + ") not to have been warned of, but it was");
  }
  return true;
}

namespace {
// 会签: where the step requires it, the lead replies only after every
// co-handling unit has.
bool co_replies_complete(Scratch& s) {
  const auto& k = s.in.current;
  if (k.step < 0 || !s.in.workflow.steps.at(k.step).co_replies_required) return true;
  std::string missing;
  for (const auto& unit : k.co_handlers) {
    if (std::find(k.co_replied.begin(), k.co_replied.end(), unit) == k.co_replied.end()) {
      missing += (missing.empty() ? "" : ", ") + unit;
    }
  }
  if (missing.empty()) return true;
  return refuse(s, "Expected every co-handling unit of case " + case_id(s) +
                       " to reply before the lead (会签), but " + missing + " has not");
}

bool unresolved_routes_on(const Scratch& s, Outcome outcome) {
  return outcome == Outcome::kUnresolved &&
         s.in.workflow.route(current_step(s), RouteTrigger::kUnresolved, s.in.current).has_value();
}
}  // namespace

bool unresolved_moves_on(Scratch& s, const cmd::Reply& c) {
  return unresolved_routes_on(s, c.outcome) && co_replies_complete(s);
}
bool reply_stands(Scratch& s, const cmd::Reply& c) {
  return !unresolved_routes_on(s, c.outcome) && co_replies_complete(s);
}
// Answered on the spot by the unit that signed (现场解决现场答复): the answer
// stands as a reply does; an unresolved matter the workflow moves on takes
// the ordinary reply, which moves it.
bool reply_stands(Scratch& s, const cmd::ReplyOnSpot& c) {
  if (unresolved_routes_on(s, c.outcome)) {
    return refuse(s, "Expected an on-the-spot reply to case " + case_id(s) +
                         " to resolve it, but it is unresolved and workflow " + s.in.workflow.id +
                         " moves unresolved cases on: reply instead");
  }
  return co_replies_complete(s);
}

bool is_pending_co_handler(Scratch& s, const cmd::CoHandlerReply& c) {
  const auto& k = s.in.current;
  if (std::find(k.co_handlers.begin(), k.co_handlers.end(), c.unit) == k.co_handlers.end()) {
    std::string units;
    for (const auto& u : k.co_handlers) units += (units.empty() ? "" : ", ") + u;
    return refuse(s, "Expected a co-handling unit of case " + case_id(s) + " (" + (units.empty() ? "none" : units) +
                         "), but got '" + c.unit + "'");
  }
  if (std::find(k.co_replied.begin(), k.co_replied.end(), c.unit) != k.co_replied.end()) {
    return refuse(s, "Expected one reply from co-handling unit '" + c.unit + "' of case " + case_id(s) +
                         ", but it has replied already");
  }
  return true;
}

// A recomputation moves deadlines that run, and only those: one for a
// deadline the case no longer runs would start a clock the state has stopped.
bool moves_running_deadlines(Scratch& s, const cmd::RecomputeDeadlines& c) {
  bool any = false;
  for (const DeadlineKind kind : kEveryDeadlineKind) {
    if (!c.moved.of(kind)) continue;
    any = true;
    if (!running_deadline(s.in.current, kind)) {
      return refuse(s, "Expected the " + std::string(to_string(kind)) + " deadline of case " + case_id(s) +
                           " to be running to recompute it, but it is not");
    }
  }
  return any || refuse(s, "Expected a deadline of case " + case_id(s) + " to recompute, but the command gives none");
}

}  // namespace escalator::lifecycle::actions
