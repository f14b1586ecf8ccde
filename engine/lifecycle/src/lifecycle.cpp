// The case lifecycle as one Boost.MSM transition table: the decider.
//
// A command is an MSM event. The machine is placed in the case's state, the
// command is processed, and the rows' actions append events to a scratch list;
// the machine itself is thrown away. Guards are questions about the case and
// its workflow; a guard that says no leaves the reason for the refusal.
//
// Moves between states are rows of the machine's table; commands a state
// answers without leaving it are rows of the in-place table, tried first. The
// machine's table must stay within MSM's 50-row limit under Boost 1.81 (the MPL
// vector limit raised below).

#define BOOST_MPL_CFG_NO_PREPROCESSED_HEADERS
#define BOOST_MPL_LIMIT_VECTOR_SIZE 50
#define BOOST_MPL_LIMIT_MAP_SIZE 50

#include "lifecycle.hpp"

#include <array>
#include <atomic>
#include <boost/mpl/for_each.hpp>
#include <boost/mpl/vector.hpp>
#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>
#include <type_traits>

#include "actions.hpp"

namespace escalator::lifecycle {
namespace {

template <class T>
constexpr int command_kind_of();
// The index in table() of the row from `from` to `to` on a command of `kind`
// whose action is `action` (two rows may share the other three).
int row_index(std::optional<LifecycleState> from, int kind, std::string_view action,
              std::optional<LifecycleState> to);

namespace msmf = boost::msm::front;
using msmf::none;
using msmf::Row;

// ---- Actions and guards ---------------------------------------------------------
// Each forwards to a function of actions.hpp, which holds the domain logic
// without Boost; the functor only adapts MSM's calling convention.
#define ESCALATOR_ACTION(name)                                           \
  struct name {                                                          \
    static constexpr const char* kName = #name;                          \
    template <class Cmd, class Fsm, class From, class To>                \
    void operator()(const Cmd& cmd, Fsm& fsm, From&, To&) const {        \
      static const int row = row_index(From::kState, command_kind_of<Cmd>(), kName, To::kState); \
      fsm.scratch->row = row;                                            \
      run(*fsm.scratch, cmd);                                            \
    }                                                                    \
    template <class Cmd>                                                 \
    static void run(actions::Scratch& scratch, const Cmd& cmd) {       \
      actions::name(scratch, cmd);                                     \
    }                                                                    \
  }
#define ESCALATOR_GUARD(name)                                            \
  struct name {                                                          \
    static constexpr const char* kName = #name;                          \
    template <class Cmd, class Fsm, class From, class To>                \
    bool operator()(const Cmd& cmd, Fsm& fsm, From&, To&) const {        \
      return test(*fsm.scratch, cmd);                                    \
    }                                                                    \
    template <class Cmd>                                                 \
    static bool test(actions::Scratch& scratch, const Cmd& cmd) {      \
      return actions::name(scratch, cmd);                              \
    }                                                                    \
  }

ESCALATOR_ACTION(open_case);
ESCALATOR_ACTION(dispatch_to_step);
ESCALATOR_ACTION(accept_case);
ESCALATOR_ACTION(record_reply);
ESCALATOR_ACTION(return_to_routing);
ESCALATOR_ACTION(return_to_owner);
ESCALATOR_ACTION(send_back_to_step);
ESCALATOR_ACTION(escalate_to_next_step);
ESCALATOR_ACTION(record_urge);
ESCALATOR_ACTION(record_co_handler_reply);
ESCALATOR_ACTION(hand_over_ownership);
ESCALATOR_ACTION(suspend_case);
ESCALATOR_ACTION(resume_case);
ESCALATOR_ACTION(record_extension_request);
ESCALATOR_ACTION(decide_extension);
ESCALATOR_ACTION(start_follow_up);
ESCALATOR_ACTION(record_rating);
ESCALATOR_ACTION(record_rating_and_move_on);
ESCALATOR_ACTION(reopen_at_current_step);
ESCALATOR_ACTION(withdraw_case);
ESCALATOR_ACTION(merge_case);
ESCALATOR_ACTION(close_case);
ESCALATOR_ACTION(route_or_mark_overdue);
ESCALATOR_ACTION(route_onward);
ESCALATOR_ACTION(route_unresolved);
ESCALATOR_ACTION(mark_overdue);
ESCALATOR_ACTION(rate_no_answer);
ESCALATOR_ACTION(raise_warning);
ESCALATOR_ACTION(recompute_deadlines);
ESCALATOR_ACTION(erase_personal_data);
ESCALATOR_ACTION(locate_case);
ESCALATOR_ACTION(discuss_case);
ESCALATOR_ACTION(add_co_handlers);

ESCALATOR_GUARD(routing_is_valid);
ESCALATOR_GUARD(is_step_visited);
ESCALATOR_GUARD(has_next_step);
ESCALATOR_GUARD(is_new_owner);
ESCALATOR_GUARD(are_new_co_handlers);
ESCALATOR_GUARD(is_new_place);
ESCALATOR_GUARD(was_dispatched);
ESCALATOR_GUARD(was_accepted);
ESCALATOR_GUARD(can_request_extension);
ESCALATOR_GUARD(has_extension_pending);
ESCALATOR_GUARD(moves_on_rating);
ESCALATOR_GUARD(keeps_rating);
ESCALATOR_GUARD(can_reopen);
ESCALATOR_GUARD(is_other_case);
ESCALATOR_GUARD(may_close_unrated);
ESCALATOR_GUARD(timer_is_current);
ESCALATOR_GUARD(timer_is_current_and_moves_on);
ESCALATOR_GUARD(timer_is_current_and_stays);
ESCALATOR_GUARD(reply_stands);
ESCALATOR_GUARD(is_pending_co_handler);
ESCALATOR_GUARD(unresolved_moves_on);
ESCALATOR_GUARD(warning_is_due);
ESCALATOR_GUARD(moves_running_deadlines);
ESCALATOR_GUARD(holds_personal_data);
ESCALATOR_GUARD(is_answered_duplicate);
ESCALATOR_GUARD(answers_every_report);

#undef ESCALATOR_ACTION
#undef ESCALATOR_GUARD

// ---- States -------------------------------------------------------------------
// Absent is the machine's start: no case yet. Every other state is a LifecycleState.
struct Absent : msmf::state<> {
  static constexpr std::optional<LifecycleState> kState{};
};
template <LifecycleState S>
struct StateOf : msmf::state<> {
  static constexpr std::optional<LifecycleState> kState{S};
};
using New = StateOf<LifecycleState::kNew>;
using Dispatched = StateOf<LifecycleState::kDispatched>;
using Accepted = StateOf<LifecycleState::kAccepted>;
using Replied = StateOf<LifecycleState::kReplied>;
using AwaitingRating = StateOf<LifecycleState::kAwaitingRating>;
using Rated = StateOf<LifecycleState::kRated>;
using Closed = StateOf<LifecycleState::kClosed>;
using Suspended = StateOf<LifecycleState::kSuspended>;
using Withdrawn = StateOf<LifecycleState::kWithdrawn>;
using Merged = StateOf<LifecycleState::kMerged>;
using Returned = StateOf<LifecycleState::kReturned>;
// The target of a row that moves a case to a step: `First`, or `Instead` when
// the directory names nobody for the step and the case waits for a
// dispatcher. The machine is placed anew for every command, so it never
// rests here; the appliers say which of the two the case is in.
template <class First, class Instead>
struct Either : msmf::state<> {
  static constexpr std::optional<LifecycleState> kState = First::kState;
  static constexpr std::optional<LifecycleState> kOr = Instead::kState;
};
using DispatchedOrWaiting = Either<Dispatched, New>;
template <class S>
constexpr std::optional<LifecycleState> instead_of() {
  if constexpr (requires { S::kOr; }) {
    return S::kOr;
  } else {
    return std::nullopt;
  }
}

// ---- Commands a state answers in place ----------------------------------------
// Urging, hand-over, extensions, co-handler replies, overdue marks and warnings
// leave the case where it is. They are rows of this table, tried before the
// machine, rather than MSM internal transitions: MSM folds internal tables into
// every state's dispatch, which cost this file minutes and 16 GB to compile
// (docs/decisions.md, "Growing past 50 rows").
template <LifecycleState S, class Command, class Act, class Check>
struct Stay {
  static constexpr LifecycleState kFrom = S;
  using Evt = Command;
  using Action = Act;
  using Guard = Check;
};
template <class... Rows>
struct StayTable {};

using cmd::AddCoHandlers, cmd::CoHandlerReply, cmd::DecideExtension, cmd::Discuss, cmd::ErasePersonalData, cmd::FollowUpTimeout, cmd::HandOver, cmd::Locate,
    cmd::RaiseWarning, cmd::Rate,
    cmd::RecomputeDeadlines, cmd::ReplyTimeout, cmd::RequestExtension, cmd::ResolveTimeout, cmd::Urge;
constexpr auto kNew = LifecycleState::kNew;
constexpr auto kDispatched = LifecycleState::kDispatched;
constexpr auto kAccepted = LifecycleState::kAccepted;
constexpr auto kReplied = LifecycleState::kReplied;
constexpr auto kAwaitingRating = LifecycleState::kAwaitingRating;
constexpr auto kSuspended = LifecycleState::kSuspended;
constexpr auto kClosed = LifecycleState::kClosed;
constexpr auto kWithdrawn = LifecycleState::kWithdrawn;
constexpr auto kMerged = LifecycleState::kMerged;
constexpr auto kReturned = LifecycleState::kReturned;

// clang-format off
using InPlaceTable = StayTable<
  //   State            Command            Action                       Guard
  Stay<kNew,            Urge,              record_urge,                 none>,
  Stay<kNew,            HandOver,          hand_over_ownership,         is_new_owner>,
  Stay<kNew,            Locate,            locate_case,                 is_new_place>,
  Stay<kNew,            ReplyTimeout,      mark_overdue,                timer_is_current>,
  Stay<kNew,            RaiseWarning,      raise_warning,               warning_is_due>,
  Stay<kNew,            RecomputeDeadlines, recompute_deadlines,        moves_running_deadlines>,
  Stay<kDispatched,     Urge,              record_urge,                 none>,
  Stay<kDispatched,     HandOver,          hand_over_ownership,         is_new_owner>,
  Stay<kDispatched,     Locate,            locate_case,                 is_new_place>,
  Stay<kDispatched,     Discuss,           discuss_case,                none>,
  Stay<kDispatched,     AddCoHandlers,     add_co_handlers,             are_new_co_handlers>,
  Stay<kDispatched,     ReplyTimeout,      mark_overdue,                timer_is_current>,
  Stay<kDispatched,     RaiseWarning,      raise_warning,               warning_is_due>,
  Stay<kDispatched,     RecomputeDeadlines, recompute_deadlines,        moves_running_deadlines>,
  Stay<kAccepted,       CoHandlerReply,    record_co_handler_reply,     is_pending_co_handler>,
  Stay<kAccepted,       Urge,              record_urge,                 none>,
  Stay<kAccepted,       HandOver,          hand_over_ownership,         is_new_owner>,
  Stay<kAccepted,       Locate,            locate_case,                 is_new_place>,
  Stay<kAccepted,       Discuss,           discuss_case,                none>,
  Stay<kAccepted,       AddCoHandlers,     add_co_handlers,             are_new_co_handlers>,
  Stay<kAccepted,       RequestExtension,  record_extension_request,    can_request_extension>,
  Stay<kAccepted,       DecideExtension,   decide_extension,            has_extension_pending>,
  Stay<kAccepted,       ResolveTimeout,    mark_overdue,                timer_is_current_and_stays>,
  Stay<kAccepted,       ReplyTimeout,      mark_overdue,                timer_is_current>,
  Stay<kAccepted,       RaiseWarning,      raise_warning,               warning_is_due>,
  Stay<kAccepted,       RecomputeDeadlines, recompute_deadlines,        moves_running_deadlines>,
  Stay<kReplied,        FollowUpTimeout,   mark_overdue,                timer_is_current>,
  Stay<kReplied,        RaiseWarning,      raise_warning,               warning_is_due>,
  Stay<kReplied,        RecomputeDeadlines, recompute_deadlines,        moves_running_deadlines>,
  Stay<kAwaitingRating, RaiseWarning,      raise_warning,               warning_is_due>,
  Stay<kAwaitingRating, RecomputeDeadlines, recompute_deadlines,        moves_running_deadlines>,
  Stay<kSuspended,      Urge,              record_urge,                 none>,
  Stay<kSuspended,      HandOver,          hand_over_ownership,         is_new_owner>,
  Stay<kSuspended,      Locate,            locate_case,                 is_new_place>,
  Stay<kClosed,         ErasePersonalData, erase_personal_data,         holds_personal_data>,
  Stay<kWithdrawn,      ErasePersonalData, erase_personal_data,         holds_personal_data>,
  Stay<kMerged,         Rate,              record_rating,               is_answered_duplicate>,
  Stay<kMerged,         ErasePersonalData, erase_personal_data,         holds_personal_data>,
  Stay<kReturned,       ErasePersonalData, erase_personal_data,         holds_personal_data>>;
// clang-format on

// The first row for the case's state and this command whose guard agrees acts;
// a guard that disagrees leaves its refusal, as in the machine.
template <class R>
bool try_stay(actions::Scratch& scratch, LifecycleState state, const CommandPayload& command) {
  const auto* c = std::get_if<typename R::Evt>(&command);
  if (c == nullptr || state != R::kFrom) return false;
  if constexpr (!std::is_same_v<typename R::Guard, none>) {
    if (!R::Guard::test(scratch, *c)) return false;
  }
  static const int row = row_index(R::kFrom, command_kind_of<typename R::Evt>(), R::Action::kName, std::nullopt);
  scratch.row = row;
  R::Action::run(scratch, *c);
  return true;
}
template <class... Rows>
bool answer_in_place(StayTable<Rows...>, actions::Scratch& scratch, LifecycleState state,
                     const CommandPayload& command) {
  return (try_stay<Rows>(scratch, state, command) || ...);
}

// ---- The machine -----------------------------------------------------------------
struct LifecycleDef : msmf::state_machine_def<LifecycleDef> {
  using no_exception_thrown = int;
  using no_message_queue = int;
  using initial_state = Absent;

  actions::Scratch* scratch = nullptr;

  // Refusals are built after process_event from what the guards left.
  template <class Cmd, class Fsm>
  void no_transition(const Cmd&, Fsm&, int) {}

  using Open = cmd::Open;
  using Dispatch = cmd::Dispatch;
  using Accept = cmd::Accept;
  using ReplyOnSpot = cmd::ReplyOnSpot;
  using Reply = cmd::Reply;
  using Return = cmd::Return;
  using SendBack = cmd::SendBack;
  using Escalate = cmd::Escalate;
  using Urge = cmd::Urge;
  using HandOver = cmd::HandOver;
  using Suspend = cmd::Suspend;
  using Resume = cmd::Resume;
  using RequestExtension = cmd::RequestExtension;
  using DecideExtension = cmd::DecideExtension;
  using FollowUp = cmd::FollowUp;
  using Rate = cmd::Rate;
  using Reopen = cmd::Reopen;
  using Withdraw = cmd::Withdraw;
  using Merge = cmd::Merge;
  using Close = cmd::Close;
  using AcceptTimeout = cmd::AcceptTimeout;
  using ResolveTimeout = cmd::ResolveTimeout;
  using ReplyTimeout = cmd::ReplyTimeout;
  using RatingTimeout = cmd::RatingTimeout;
  using CoHandlerReply = cmd::CoHandlerReply;

  // clang-format off
  struct transition_table : boost::mpl::vector<
    //  Start           Command            Next            Action                       Guard
    Row<Absent,         Open,              New,            open_case,                   none>,
    Row<New,            Dispatch,          DispatchedOrWaiting, dispatch_to_step,       routing_is_valid>,
    Row<Dispatched,     Accept,            Accepted,       accept_case,                 none>,
    Row<New,            ReplyOnSpot,       Replied,        record_reply,                none>,
    Row<Dispatched,     ReplyOnSpot,       Replied,        record_reply,                none>,
    Row<Accepted,       ReplyOnSpot,       Replied,        record_reply,                reply_stands>,
    Row<Accepted,       Reply,             Replied,        record_reply,                reply_stands>,
    Row<Accepted,       Reply,             DispatchedOrWaiting, route_unresolved,       unresolved_moves_on>,
    Row<New,            Return,            Returned,       return_to_owner,             answers_every_report>,
    Row<Dispatched,     Return,            New,            return_to_routing,           none>,
    Row<Accepted,       Return,            New,            return_to_routing,           none>,
    Row<Accepted,       SendBack,          DispatchedOrWaiting, send_back_to_step,      is_step_visited>,
    Row<Replied,        SendBack,          DispatchedOrWaiting, send_back_to_step,      is_step_visited>,
    Row<Dispatched,     Escalate,          DispatchedOrWaiting, escalate_to_next_step,  has_next_step>,
    Row<Accepted,       Escalate,          DispatchedOrWaiting, escalate_to_next_step,  has_next_step>,
    Row<Dispatched,     Suspend,           Suspended,      suspend_case,                none>,
    Row<Accepted,       Suspend,           Suspended,      suspend_case,                none>,
    Row<Suspended,      Resume,            Dispatched,     resume_case,                 was_dispatched>,
    Row<Suspended,      Resume,            Accepted,       resume_case,                 was_accepted>,
    Row<Replied,        FollowUp,          AwaitingRating, start_follow_up,             none>,
    Row<Replied,        Rate,              Rated,          record_rating,               keeps_rating>,
    Row<Replied,        Rate,              DispatchedOrWaiting, record_rating_and_move_on, moves_on_rating>,
    Row<AwaitingRating, Rate,              Rated,          record_rating,               keeps_rating>,
    Row<AwaitingRating, Rate,              DispatchedOrWaiting, record_rating_and_move_on, moves_on_rating>,
    Row<Rated,          Reopen,            DispatchedOrWaiting, reopen_at_current_step, can_reopen>,
    Row<Closed,         Reopen,            DispatchedOrWaiting, reopen_at_current_step, can_reopen>,
    Row<New,            Withdraw,          Withdrawn,      withdraw_case,               answers_every_report>,
    Row<Dispatched,     Withdraw,          Withdrawn,      withdraw_case,               answers_every_report>,
    Row<Accepted,       Withdraw,          Withdrawn,      withdraw_case,               answers_every_report>,
    Row<Suspended,      Withdraw,          Withdrawn,      withdraw_case,               answers_every_report>,
    Row<New,            Merge,             Merged,         merge_case,                  is_other_case>,
    Row<Dispatched,     Merge,             Merged,         merge_case,                  is_other_case>,
    Row<Replied,        Close,             Closed,         close_case,                  may_close_unrated>,
    Row<Rated,          Close,             Closed,         close_case,                  none>,
    Row<Dispatched,     AcceptTimeout,     DispatchedOrWaiting, route_or_mark_overdue,  timer_is_current>,
    Row<Accepted,       ResolveTimeout,    DispatchedOrWaiting, route_onward,           timer_is_current_and_moves_on>,
    Row<AwaitingRating, RatingTimeout,     Rated,          rate_no_answer,              timer_is_current>
  > {};
  // clang-format on
};

using LifecycleMachine = boost::msm::back::state_machine<LifecycleDef>;

// ---- Placing the machine in a stored state --------------------------------------
// MSM restores its active state through serialize(), which writes its state
// array through `archive & m_states`. This archive ignores everything else and
// writes the wanted state id there: the supported way to load a state without
// replaying transitions (and without Boost.Serialization's library).
struct StateLoader {
  int state_id;
  template <class T>
  StateLoader& operator&(T&) {
    return *this;
  }
  StateLoader& operator&(int (&active)[1]) {
    active[0] = state_id;
    return *this;
  }
};

template <class State>
constexpr int state_id() {
  return boost::msm::back::get_state_id<LifecycleMachine::stt, State>::value;
}

using AllStates = boost::mpl::vector<Absent, New, Dispatched, Accepted, Replied, AwaitingRating,
                                     Rated, Closed, Suspended, Withdrawn, Merged>;

// MSM state id of each LifecycleState, and of Absent.
struct StateIds {
  std::array<int, kLifecycleStateCount> of_state{};
  int absent = 0;
  StateIds() {
    boost::mpl::for_each<AllStates, std::add_pointer<boost::mpl::placeholders::_1>>(
        [this](auto* state) {
          using S = std::remove_pointer_t<decltype(state)>;
          if constexpr (S::kState.has_value()) {
            of_state[static_cast<int>(*S::kState)] = state_id<S>();
          } else {
            absent = state_id<S>();
          }
        });
  }
};

const StateIds& state_ids() {
  static const StateIds ids;
  return ids;
}

void place(LifecycleMachine& machine, const Situation& context) {
  const int id = context.exists ? state_ids().of_state[static_cast<int>(context.current.state)]
                                : state_ids().absent;
  StateLoader loader{id};
  machine.serialize(loader, 0);
}

// ---- Reading the table ----------------------------------------------------------
template <class T>
constexpr int command_kind_of() {
  constexpr auto index = []<std::size_t... I>(std::index_sequence<I...>) {
    int found = -1;
    ((std::is_same_v<T, std::variant_alternative_t<I, CommandPayload>> ? found = int(I) : 0), ...);
    return found;
  }(std::make_index_sequence<std::variant_size_v<CommandPayload>>{});
  static_assert(index >= 0, "every command in the table is a CommandPayload alternative");
  return index;
}

template <class G>
std::string guard_name() {
  if constexpr (std::is_same_v<G, none>) {
    return "";
  } else {
    return G::kName;
  }
}

template <class R>
TableRow row_of(std::optional<LifecycleState> from, std::optional<LifecycleState> to,
                std::optional<LifecycleState> instead = std::nullopt) {
  return TableRow{from, command_kind_of<typename R::Evt>(), to, R::Action::kName,
                  guard_name<typename R::Guard>(), instead};
}

std::vector<TableRow> read_table() {
  std::vector<TableRow> rows;
  boost::mpl::for_each<LifecycleDef::transition_table,
                       std::add_pointer<boost::mpl::placeholders::_1>>([&rows](auto* row) {
    using R = std::remove_pointer_t<decltype(row)>;
    rows.push_back(row_of<R>(R::Source::kState, R::Target::kState, instead_of<typename R::Target>()));
  });
  [&rows]<class... Rows>(StayTable<Rows...>) {
    (rows.push_back(row_of<Rows>(Rows::kFrom, std::nullopt)), ...);
  }(InPlaceTable{});
  return rows;
}

// Counts of rows taken, by index in table(); as many as there are rows.
std::vector<std::atomic<std::uint64_t>>& taken_counts() {
  static std::vector<std::atomic<std::uint64_t>> counts(table().size());
  return counts;
}

int row_index(std::optional<LifecycleState> from, int kind, std::string_view action,
              std::optional<LifecycleState> to) {
  const auto& rows = table();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    if (row.from == from && row.command_kind == kind && row.action == action && row.to == to) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

}  // namespace

const std::vector<TableRow>& table() {
  static const std::vector<TableRow> rows = read_table();
  return rows;
}

std::vector<std::uint64_t> times_taken() {
  std::vector<std::uint64_t> counts;
  for (const auto& count : taken_counts()) counts.push_back(count.load(std::memory_order_relaxed));
  return counts;
}

std::vector<LifecycleState> states_accepting(int command_kind) {
  std::vector<LifecycleState> states;
  for (int s = 0; s < kLifecycleStateCount; ++s) {
    for (const auto& row : table()) {
      if (row.command_kind == command_kind && row.from == LifecycleState(s)) {
        states.push_back(LifecycleState(s));
        break;
      }
    }
  }
  return states;
}

Result<std::vector<EventPayload>> decide(const Situation& context, const CommandPayload& command,
                                         const TableRow** taken) {
  // One machine per thread: constructing MSM's back end allocates, placing it does not.
  thread_local LifecycleMachine machine;
  actions::Scratch scratch{context, {}, std::nullopt, std::nullopt};
  bool handled = context.exists &&
                 answer_in_place(InPlaceTable{}, scratch, context.current.state, command);
  if (!handled) {
    machine.scratch = &scratch;
    place(machine, context);
    handled = std::visit([](const auto& c) { return machine.process_event(c); }, command) ==
              boost::msm::back::HANDLED_TRUE;
    machine.scratch = nullptr;
  }

  if (!handled) {
    if (scratch.refusal) return tl::unexpected(*scratch.refusal);
    return tl::unexpected(actions::no_row_refusal(context, int(command.index()),
                                                    states_accepting(int(command.index()))));
  }
  if (scratch.failure) return tl::unexpected(*scratch.failure);
  if (scratch.row >= 0) {
    taken_counts()[scratch.row].fetch_add(1, std::memory_order_relaxed);
    if (taken != nullptr) *taken = &table()[scratch.row];
  }
  return std::move(scratch.events);
}

std::optional<ev::AnswerRelayed> answer_of(const CaseState& primary) {
  const auto state = primary.state;
  const bool answered = state == LifecycleState::kReplied || state == LifecycleState::kAwaitingRating ||
                        state == LifecycleState::kRated;
  if (!answered || !primary.outcome) return std::nullopt;
  return ev::AnswerRelayed{primary.id, primary.lead_unit, primary.step_id, *primary.outcome, primary.answer};
}

Result<std::vector<EventPayload>> relay_answer(const CaseState& duplicate, ev::AnswerRelayed answer) {
  if (duplicate.state != LifecycleState::kMerged) {
    return fail(ErrorCode::kFailedPrecondition, "Expected case " + duplicate.id + ", a duplicate of " + answer.from +
                                                    ", to be merged, but it is " +
                                                    std::string(to_string(duplicate.state)));
  }
  return std::vector<EventPayload>{std::move(answer)};
}

Result<std::vector<EventPayload>> take_in_duplicate(const Situation& context, const std::string& duplicate) {
  const auto state = context.current.state;
  if (is_over(state)) {
    return fail(ErrorCode::kFailedPrecondition, "Expected to merge case " + duplicate +
                                                    " into a case still being answered, but " +
                                                    context.current.id + " is " + std::string(to_string(state)));
  }
  return std::vector<EventPayload>{ev::DuplicateMergedIn{duplicate}};
}

}  // namespace escalator::lifecycle
