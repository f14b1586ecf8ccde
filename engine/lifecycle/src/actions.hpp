// The domain logic behind the lifecycle table's actions and guards: what each
// command's events say, and what each guard asks. Kept apart from lifecycle.cpp
// so it compiles without Boost.MSM, and so every rule reads as plain C++.
//
// Actions append events to the scratch list; they never change the case.
// Guards answer a question and, when the answer is no, leave the refusal.
#pragma once

#include <optional>
#include <vector>

#include "escalator/model/command.hpp"
#include "escalator/model/event.hpp"
#include "lifecycle.hpp"

namespace escalator::lifecycle::actions {

struct Scratch {
  const Situation& in;
  std::vector<EventPayload> events;
  std::optional<Error> refusal;  // left by the last guard that said no
  std::optional<Error> failure;  // an action could not complete (no holder found)
  int row = -1;                  // the row of table() whose action ran
};

// The refusal when no row of the table takes the command in the case's state:
// "Expected to accept case 370811-20250930-000017 in state Dispatched, but it is Closed".
Error no_row_refusal(const Situation& context, int command_kind,
                     const std::vector<LifecycleState>& accepting);

// Actions.
void open_case(Scratch& s, const cmd::Open& c);
void dispatch_to_step(Scratch& s, const cmd::Dispatch& c);
void accept_case(Scratch& s, const cmd::Accept& c);
void record_reply(Scratch& s, const cmd::ReplyOnSpot& c);
void record_reply(Scratch& s, const cmd::Reply& c);
void return_to_routing(Scratch& s, const cmd::Return& c);
void return_to_owner(Scratch& s, const cmd::Return& c);
void send_back_to_step(Scratch& s, const cmd::SendBack& c);
void escalate_to_next_step(Scratch& s, const cmd::Escalate& c);
void route_onward(Scratch& s, const cmd::ResolveTimeout& c);
void route_unresolved(Scratch& s, const cmd::Reply& c);
void record_urge(Scratch& s, const cmd::Urge& c);
void record_co_handler_reply(Scratch& s, const cmd::CoHandlerReply& c);
void hand_over_ownership(Scratch& s, const cmd::HandOver& c);
void suspend_case(Scratch& s, const cmd::Suspend& c);
void resume_case(Scratch& s, const cmd::Resume& c);
void record_extension_request(Scratch& s, const cmd::RequestExtension& c);
void decide_extension(Scratch& s, const cmd::DecideExtension& c);
void start_follow_up(Scratch& s, const cmd::FollowUp& c);
void record_rating(Scratch& s, const cmd::Rate& c);
void record_rating_and_move_on(Scratch& s, const cmd::Rate& c);
void reopen_at_current_step(Scratch& s, const cmd::Reopen& c);
void withdraw_case(Scratch& s, const cmd::Withdraw& c);
void merge_case(Scratch& s, const cmd::Merge& c);
void close_case(Scratch& s, const cmd::Close& c);
void route_or_mark_overdue(Scratch& s, const cmd::AcceptTimeout& c);
void mark_overdue(Scratch& s, const cmd::ResolveTimeout& c);
void mark_overdue(Scratch& s, const cmd::ReplyTimeout& c);
void mark_overdue(Scratch& s, const cmd::FollowUpTimeout& c);
void rate_no_answer(Scratch& s, const cmd::RatingTimeout& c);
void raise_warning(Scratch& s, const cmd::RaiseWarning& c);
void recompute_deadlines(Scratch& s, const cmd::RecomputeDeadlines& c);
void erase_personal_data(Scratch& s, const cmd::ErasePersonalData& c);
void locate_case(Scratch& s, const cmd::Locate& c);
void discuss_case(Scratch& s, const cmd::Discuss& c);
void add_co_handlers(Scratch& s, const cmd::AddCoHandlers& c);

// Guards.
bool routing_is_valid(Scratch& s, const cmd::Dispatch& c);
bool is_step_visited(Scratch& s, const cmd::SendBack& c);
bool has_next_step(Scratch& s, const cmd::Escalate& c);
bool is_new_owner(Scratch& s, const cmd::HandOver& c);
bool are_new_co_handlers(Scratch& s, const cmd::AddCoHandlers& c);
bool was_dispatched(Scratch& s, const cmd::Resume& c);
bool was_accepted(Scratch& s, const cmd::Resume& c);
bool can_request_extension(Scratch& s, const cmd::RequestExtension& c);
bool has_extension_pending(Scratch& s, const cmd::DecideExtension& c);
bool moves_on_rating(Scratch& s, const cmd::Rate& c);
bool keeps_rating(Scratch& s, const cmd::Rate& c);
bool can_reopen(Scratch& s, const cmd::Reopen& c);
bool is_other_case(Scratch& s, const cmd::Merge& c);
bool is_answered_duplicate(Scratch& s, const cmd::Rate& c);
// Ending a case without a reply would leave the reports merged into it unanswered.
bool answers_every_report(Scratch& s, const cmd::Withdraw& c);
bool answers_every_report(Scratch& s, const cmd::Return& c);
bool may_close_unrated(Scratch& s, const cmd::Close& c);
bool timer_is_current(Scratch& s, const cmd::AcceptTimeout& c);
bool timer_is_current(Scratch& s, const cmd::ReplyTimeout& c);
bool timer_is_current(Scratch& s, const cmd::RatingTimeout& c);
bool timer_is_current(Scratch& s, const cmd::FollowUpTimeout& c);
bool timer_is_current_and_moves_on(Scratch& s, const cmd::ResolveTimeout& c);
bool timer_is_current_and_stays(Scratch& s, const cmd::ResolveTimeout& c);
bool reply_stands(Scratch& s, const cmd::Reply& c);
bool reply_stands(Scratch& s, const cmd::ReplyOnSpot& c);
bool is_pending_co_handler(Scratch& s, const cmd::CoHandlerReply& c);
bool unresolved_moves_on(Scratch& s, const cmd::Reply& c);
bool warning_is_due(Scratch& s, const cmd::RaiseWarning& c);
bool moves_running_deadlines(Scratch& s, const cmd::RecomputeDeadlines& c);
bool holds_personal_data(Scratch& s, const cmd::ErasePersonalData& c);
bool is_new_place(Scratch& s, const cmd::Locate& c);

}  // namespace escalator::lifecycle::actions
