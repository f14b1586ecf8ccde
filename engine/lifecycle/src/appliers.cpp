#include "appliers.hpp"

#include "escalator/lifecycle/history.hpp"

#include <string>

namespace escalator {
namespace {

using S = LifecycleState;

// Where a case is after dispatch, escalation, send-back or reopening: at a step,
// waiting to be signed for, no handling deadline yet. A step nobody holds
// leaves the case New there, waiting for a dispatcher; it is not yet a step
// the case was handled at, so not one to send it back to.
void assign(CaseState& k, const ev::StepAssignment& to) {
  k.state = to.waiting_for_dispatcher ? S::kNew : S::kDispatched;
  k.step = to.step;
  k.step_id = to.step_id;
  k.level = to.level;
  k.lead_unit = to.lead_unit;
  k.co_handlers = to.co_handlers;
  k.co_replied.clear();
  if (!to.waiting_for_dispatcher) k.steps_visited.push_back(to.step);
  k.returned_by.clear();
  k.waiting_for_dispatcher = to.waiting_for_dispatcher;
  k.accept_by = to.accept_by;
  k.resolve_by.reset();
  k.extension_requested.reset();
}

void on(CaseState& k, const Event&, const ev::CaseOpened& e) {
  k.id = e.case_id;
  k.state = S::kNew;
  k.request_type = e.request_type;
  k.channel = e.channel;
  k.category = e.category;
  k.location = e.location;
  k.collective = e.collective;
  k.urgent = e.urgent;
  k.reporter = e.reporter;
  k.content = e.content;
  k.personal = e.commitments;
  k.external_id = e.external_id;
  k.owner = e.owner;
  k.workflow_hash = e.workflow_hash;
  k.reply_by = e.reply_by;
}
void on(CaseState& k, const Event&, const ev::CaseDispatched& e) {
  assign(k, e.to);
}
void on(CaseState& k, const Event&, const ev::CaseAccepted& e) {
  k.state = S::kAccepted;
  k.accept_by.reset();
  k.resolve_by = e.resolve_by;
}
void on(CaseState& k, const Event&, const ev::CaseReplied& e) {
  k.state = S::kReplied;
  k.outcome = e.outcome;
  k.answer = e.answer;
  k.answered_on_spot = e.on_spot;
  k.follow_up_by = e.follow_up_by;
  k.accept_by.reset();
  k.resolve_by.reset();
  k.reply_by.reset();
  k.extension_requested.reset();
}
void on(CaseState& k, const Event&, const ev::CaseReturned& e) {
  k.state = S::kNew;
  k.returned_by = e.from_unit;
  k.lead_unit.clear();
  k.co_handlers.clear();
  k.accept_by.reset();
  k.resolve_by.reset();
  k.extension_requested.reset();
  ++k.returns;
}
void on(CaseState& k, const Event&, const ev::CaseSentBack& e) {
  assign(k, e.to);
  k.outcome.reset();
  k.answer.clear();
  k.answered_on_spot = false;
  k.reply_by = e.reply_by;
  ++k.send_backs;
}
void on(CaseState& k, const Event&, const ev::CaseEscalated& e) {
  assign(k, e.to);
  ++k.escalations;
}
void on(CaseState& k, const Event&, const ev::CoHandlerReplied& e) { k.co_replied.push_back(e.unit); }
void on(CaseState& k, const Event&, const ev::CoHandlersAdded& e) {
  k.co_handlers.insert(k.co_handlers.end(), e.units.begin(), e.units.end());
}
void on(CaseState& k, const Event&, const ev::CaseUrged& e) {
  ++k.urges;
  if (e.accept_by) k.accept_by = e.accept_by;
  if (e.resolve_by) k.resolve_by = e.resolve_by;
}
void on(CaseState& k, const Event&, const ev::CaseHandedOver& e) { k.owner = e.to; }
void on(CaseState& k, const Event& meta, const ev::CaseSuspended&) {
  k.suspended_from = k.state;
  k.suspended_at = meta.time;
  k.state = S::kSuspended;
}
void on(CaseState& k, const Event&, const ev::CaseResumed& e) {
  k.state = k.suspended_from;
  k.suspended_at.reset();
  k.accept_by = e.accept_by;
  k.resolve_by = e.resolve_by;
  k.reply_by = e.reply_by;
}
void on(CaseState& k, const Event&, const ev::ExtensionRequested& e) {
  k.extension_requested = e.extra;
}
void on(CaseState& k, const Event&, const ev::ExtensionDecided& e) {
  k.extension_requested.reset();
  k.resolve_by = e.resolve_by;
  k.reply_by = e.reply_by;
  if (e.approved) ++k.extensions_granted;
}
void on(CaseState& k, const Event&, const ev::FollowUpStarted& e) {
  k.state = S::kAwaitingRating;
  k.rating_by = e.rating_by;
  k.follow_up_by.reset();
}
void on(CaseState& k, const Event&, const ev::CaseRated& e) {
  // A duplicate's reporter rates the answer relayed to it, and the case stays merged.
  if (k.state != S::kMerged) k.state = S::kRated;
  k.rating = e.rating;
  k.rating_by.reset();
  k.follow_up_by.reset();
}
void on(CaseState& k, const Event&, const ev::CaseReopened& e) {
  assign(k, e.to);
  k.outcome.reset();
  k.answer.clear();
  k.answered_on_spot = false;
  k.rating.reset();
  k.closed_at.reset();
  k.reply_by = e.reply_by;
  ++k.reopens;
}
void on(CaseState& k, const Event& meta, const ev::CaseWithdrawn&) {
  k.state = S::kWithdrawn;
  k.accept_by.reset();
  k.resolve_by.reset();
  k.reply_by.reset();
  k.closed_at = meta.time;
}
void on(CaseState& k, const Event& meta, const ev::CaseReturnedToOwner&) {
  k.state = S::kReturned;
  k.accept_by.reset();
  k.resolve_by.reset();
  k.reply_by.reset();
  k.waiting_for_dispatcher.reset();
  k.closed_at = meta.time;
}
void on(CaseState& k, const Event& meta, const ev::CaseMerged& e) {
  k.state = S::kMerged;
  k.merged_into = e.into;
  k.accept_by.reset();
  k.resolve_by.reset();
  k.reply_by.reset();
  k.closed_at = meta.time;
}
void on(CaseState& k, const Event&, const ev::DuplicateMergedIn& e) { k.duplicates.push_back(e.duplicate); }
// A new answer is asked about again: an earlier rating was of an answer taken back.
void on(CaseState& k, const Event&, const ev::AnswerRelayed& e) {
  k.outcome = e.outcome;
  k.answer = e.answer;
  k.answered_on_spot = false;
  k.rating.reset();
}
void on(CaseState& k, const Event&, const ev::ParkedForDispatcher& e) { k.waiting_for_dispatcher = e.reason; }
// The address is the resident's words, kept as given (and out of the event).
void on(CaseState& k, const Event&, const ev::CaseLocated& e) {
  std::string address = std::move(k.location.address);
  k.location = e.location;
  k.location.address = std::move(address);
}
void on(CaseState&, const Event&, const ev::CaseDiscussed&) {}  // a record of the meeting; the case goes on as it was
void on(CaseState& k, const Event& meta, const ev::CaseClosed&) {
  k.state = S::kClosed;
  k.closed_at = meta.time;
}
// The deadline stops running: it is recorded as missed, not fired again.
void on(CaseState& k, const Event&, const ev::WarningRaised& e) {
  k.warned.push_back(DeadlineWarning{e.kind, e.due});
  ++k.warnings;
}

void on(CaseState& k, const Event&, const ev::OverdueMarked& e) {
  k.overdue.push_back(e.kind);
  switch (e.kind) {
    case DeadlineKind::kAccept: k.accept_by.reset(); break;
    case DeadlineKind::kResolve: k.resolve_by.reset(); break;
    case DeadlineKind::kReply: k.reply_by.reset(); break;
    case DeadlineKind::kRating: k.rating_by.reset(); break;
    case DeadlineKind::kFollowUp: k.follow_up_by.reset(); break;
  }
}

void on(CaseState& k, const Event& event, const ev::PersonalDataErased&) {
  k.reporter = {};
  k.content.clear();
  k.location.address.clear();
  k.personal_data_erased_at = event.time;
}
void on(CaseState& k, const Event&, const ev::DeadlinesRecomputed& e) {
  const Deadlines& d = e.moved;
  for (auto [moved, running] : {std::pair{&d.accept_by, &k.accept_by}, std::pair{&d.resolve_by, &k.resolve_by},
                                std::pair{&d.reply_by, &k.reply_by}, std::pair{&d.rating_by, &k.rating_by},
                                std::pair{&d.follow_up_by, &k.follow_up_by}}) {
    if (*moved) *running = *moved;
  }
}

}  // namespace

Result<void> apply(CaseState& state, const Event& event) {
  if (event.seq != state.version + 1) {
    return fail(ErrorCode::kDataLoss,
                "Expected event " + std::to_string(state.version + 1) + " of case " + state.id +
                    ", but got event " + std::to_string(event.seq));
  }
  std::visit([&](const auto& payload) { on(state, event, payload); }, event.payload);
  // A warning stands while its deadline runs unchanged: a supervisor's yellow
  // mark means "this deadline, now", not "was once near".
  std::erase_if(state.warned,
                [&](const DeadlineWarning& w) { return running_deadline(state, w.kind) != w.due; });
  state.version = event.seq;
  state.updated_at = event.time;
  if (event.seq == 1) {
    state.workflow = event.workflow;
    state.opened_at = event.time;
  }
  return {};
}

// Declared in history.hpp, the public face of the appliers.
Result<CaseState> replay(const std::vector<Event>& events) {
  CaseState state;
  for (const auto& event : events) {
    if (auto applied = apply(state, event); !applied) return tl::unexpected(applied.error());
  }
  return state;
}

}  // namespace escalator
