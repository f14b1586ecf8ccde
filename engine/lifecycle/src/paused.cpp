#include "escalator/lifecycle/paused.hpp"

#include "deadline_carry.hpp"

namespace escalator {
namespace {

// "2d3h", "21h30m", "45m": the largest units first, none that are zero.
std::string span_words(std::chrono::seconds left, bool in_days) {
  using namespace std::chrono;
  std::string words;
  if (in_days && left >= days{1}) {
    words += std::to_string(duration_cast<days>(left).count()) + "d";
    left -= duration_cast<days>(left);
  }
  if (left >= hours{1}) {
    words += std::to_string(duration_cast<hours>(left).count()) + "h";
    left -= duration_cast<hours>(left);
  }
  if (left >= minutes{1}) words += std::to_string(duration_cast<minutes>(left).count()) + "m";
  return words.empty() ? "none" : words;
}

}  // namespace

std::vector<PausedDeadline> paused_deadlines(const CaseState& k, const WorkflowCatalog& workflows,
                                             const Calendar& calendar) {
  std::vector<PausedDeadline> held;
  if (k.state != LifecycleState::kSuspended || !k.suspended_at) return held;
  const auto found = workflows.find(k.workflow);
  const Workflow* workflow = found ? *found : nullptr;
  const Timestamp since = *k.suspended_at;
  const auto hold = [&](const std::optional<Timestamp>& due, DeadlineKind kind) {
    if (!due) return;
    PausedDeadline p{kind, *due, std::chrono::seconds{0}, false};
    p.working = workflow != nullptr && is_working(deadline_unit(*workflow, k.step, kind));
    if (*due > since) p.left = p.working ? calendar.working_time(since, *due) : std::chrono::duration_cast<std::chrono::seconds>(*due - since);
    held.push_back(p);
  };
  // A case suspended from Dispatched had its accept deadline running, from Accepted its resolve one.
  if (k.suspended_from == LifecycleState::kDispatched) hold(k.accept_by, DeadlineKind::kAccept);
  if (k.suspended_from == LifecycleState::kAccepted) hold(k.resolve_by, DeadlineKind::kResolve);
  hold(k.reply_by, DeadlineKind::kReply);
  return held;
}

std::string paused_words(const PausedDeadline& paused) {
  // Working time is told in hours (a working day is the calendar's, not 24 hours).
  if (paused.left < std::chrono::minutes{1}) return "paused, none left";
  return "paused, " + span_words(paused.left, !paused.working) + (paused.working ? " of working time" : "") + " left";
}

}  // namespace escalator
