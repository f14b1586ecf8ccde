#include "timers.hpp"

namespace escalator {

std::vector<RunningDeadline> running_deadlines(const CaseState& k) {
  std::vector<RunningDeadline> running;
  auto add = [&](DeadlineKind kind, const std::optional<Timestamp>& due) {
    if (due) running.push_back(RunningDeadline{*due, k.id, kind, k.version});
  };
  switch (k.state) {
    case LifecycleState::kNew:
      add(DeadlineKind::kReply, k.reply_by);
      break;
    case LifecycleState::kDispatched:
      add(DeadlineKind::kAccept, k.accept_by);
      add(DeadlineKind::kReply, k.reply_by);
      break;
    case LifecycleState::kAccepted:
      add(DeadlineKind::kResolve, k.resolve_by);
      add(DeadlineKind::kReply, k.reply_by);
      break;
    case LifecycleState::kAwaitingRating:
      add(DeadlineKind::kRating, k.rating_by);
      break;
    default:
      break;
  }
  return running;
}

Command timeout_command(const RunningDeadline& d) {
  Command c;
  c.case_id = d.case_id;
  c.actor = "timer";
  c.idempotency_key = "timer/" + std::string(to_string(d.kind)) + "/" + format_time(d.due) + "/v" +
                      std::to_string(d.case_version);
  switch (d.kind) {
    case DeadlineKind::kAccept: c.payload = cmd::AcceptTimeout{d.due}; break;
    case DeadlineKind::kResolve: c.payload = cmd::ResolveTimeout{d.due}; break;
    case DeadlineKind::kReply: c.payload = cmd::ReplyTimeout{d.due}; break;
    case DeadlineKind::kRating: c.payload = cmd::RatingTimeout{d.due}; break;
  }
  return c;
}

}  // namespace escalator
