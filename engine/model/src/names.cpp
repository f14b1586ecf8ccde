// Stable names of the engine's vocabulary. The English names are written into
// events, scenarios, configuration and APIs, so they are permanent like event
// type ids: add names, never rename one.
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "escalator/model/case.hpp"
#include "escalator/model/command.hpp"
#include "escalator/model/event.hpp"
#include "escalator/util/result.hpp"

namespace escalator {
namespace {

// One row per enumerator, in enumerator order, so that a value indexes its row.
// An empty label means the value has no Chinese label (open311 is a standard's name).
struct Name {
  std::string_view en;
  std::string_view zh;
};

constexpr std::array<Name, kLifecycleStateCount> kLifecycleStates{{
    {"new", "待派单"},
    {"dispatched", "待签收"},
    {"accepted", "办理中"},
    {"replied", "已回复"},
    {"awaiting_rating", "待评价"},
    {"rated", "已评价"},
    {"closed", "已办结"},
    {"suspended", "已挂起"},
    {"withdrawn", "已撤单"},
    {"merged", "已合并"},
    {"returned", "已退回"},
}};
// How refusals and docs/lifecycle.md name each state, in the same order.
constexpr std::array<std::string_view, kLifecycleStateCount> kLifecycleStateTitles{
    "New", "Dispatched", "Accepted", "Replied", "AwaitingRating", "Rated", "Closed", "Suspended", "Withdrawn", "Merged", "Returned"};
constexpr std::array<Name, 5> kRequestTypes{{
    {"consultation", "咨询"},
    {"help", "求助"},
    {"complaint", "投诉"},
    {"report", "举报"},
    {"suggestion", "建议"},
}};
constexpr std::array<Name, 8> kChannels{{
    {"hotline", "12345热线"},
    {"wechat", "微信"},
    {"wecom", "企业微信"},
    {"mini_program", "小程序"},
    {"walk_in", "来访"},
    {"visit", "走访"},
    {"device", "设备"},
    {"open311", ""},
}};
constexpr std::array<Name, 3> kOutcomes{{
    {"resolved", "已解决"},
    {"partly_resolved", "部分解决"},
    {"unresolved", "未解决"},
}};
constexpr std::array<Name, 4> kRatings{{
    {"satisfied", "满意"},
    {"basically_satisfied", "基本满意"},
    {"unsatisfied", "不满意"},
    {"no_answer", "未接通"},  // a follow-up nobody answered (回访未接通)
}};
constexpr std::array<Name, 6> kLevels{{
    {"building", "楼栋"},
    {"compound", "小区"},
    {"grid", "网格"},
    {"community", "社区"},
    {"street", "街道"},
    {"district", "区县"},
}};
constexpr std::array<Name, 5> kDeadlineKinds{{
    {"accept", "签收时限"},
    {"resolve", "办理时限"},
    {"reply", "答复时限"},
    {"rating", "评价时限"},
    {"follow_up", "回访时限"},
}};
constexpr std::array<Name, 3> kWarningColours{{
    {"green", "绿"},
    {"yellow", "黄"},
    {"red", "红"},
}};

// A value outside the enumeration can only come from a cast of corrupt data;
// naming it "unknown" keeps logs and error messages readable.
template <typename Enum, std::size_t N>
constexpr Name row(const std::array<Name, N>& table, Enum value) {
  const auto i = static_cast<std::size_t>(value);
  return i < N ? table[i] : Name{"unknown", "未知"};
}

template <typename Enum, std::size_t N>
Result<Enum> parse(const std::array<Name, N>& table, std::string_view what,
                   std::string_view text) {
  for (std::size_t i = 0; i < N; ++i) {
    if (text == table[i].en || (!table[i].zh.empty() && text == table[i].zh)) {
      return static_cast<Enum>(i);
    }
  }
  std::string expected;
  for (const Name& name : table) {
    if (!expected.empty()) expected += ", ";
    expected += name.en;
  }
  return fail(ErrorCode::kInvalidArgument, "Expected " + std::string(what) + " (" + expected +
                                               "), but got '" + std::string(text) + "'");
}

// Command names are tied to the command types, not to positions, so reordering
// the variant cannot silently rename a command.
constexpr std::string_view name_of(std::type_identity<cmd::Open>) { return "open"; }
constexpr std::string_view name_of(std::type_identity<cmd::Dispatch>) { return "dispatch"; }
constexpr std::string_view name_of(std::type_identity<cmd::Accept>) { return "accept"; }
constexpr std::string_view name_of(std::type_identity<cmd::ReplyOnSpot>) { return "reply_on_spot"; }
constexpr std::string_view name_of(std::type_identity<cmd::Reply>) { return "reply"; }
constexpr std::string_view name_of(std::type_identity<cmd::Return>) { return "return"; }
constexpr std::string_view name_of(std::type_identity<cmd::SendBack>) { return "send_back"; }
constexpr std::string_view name_of(std::type_identity<cmd::Escalate>) { return "escalate"; }
constexpr std::string_view name_of(std::type_identity<cmd::Urge>) { return "urge"; }
constexpr std::string_view name_of(std::type_identity<cmd::HandOver>) { return "hand_over"; }
constexpr std::string_view name_of(std::type_identity<cmd::Suspend>) { return "suspend"; }
constexpr std::string_view name_of(std::type_identity<cmd::Resume>) { return "resume"; }
constexpr std::string_view name_of(std::type_identity<cmd::RequestExtension>) {
  return "request_extension";
}
constexpr std::string_view name_of(std::type_identity<cmd::DecideExtension>) {
  return "decide_extension";
}
constexpr std::string_view name_of(std::type_identity<cmd::FollowUp>) { return "follow_up"; }
constexpr std::string_view name_of(std::type_identity<cmd::Rate>) { return "rate"; }
constexpr std::string_view name_of(std::type_identity<cmd::Reopen>) { return "reopen"; }
constexpr std::string_view name_of(std::type_identity<cmd::Withdraw>) { return "withdraw"; }
constexpr std::string_view name_of(std::type_identity<cmd::Merge>) { return "merge"; }
constexpr std::string_view name_of(std::type_identity<cmd::Close>) { return "close"; }
constexpr std::string_view name_of(std::type_identity<cmd::AcceptTimeout>) {
  return "accept_timeout";
}
constexpr std::string_view name_of(std::type_identity<cmd::ResolveTimeout>) {
  return "resolve_timeout";
}
constexpr std::string_view name_of(std::type_identity<cmd::ReplyTimeout>) {
  return "reply_timeout";
}
constexpr std::string_view name_of(std::type_identity<cmd::RatingTimeout>) {
  return "rating_timeout";
}
constexpr std::string_view name_of(std::type_identity<cmd::CoHandlerReply>) { return "co_handler_reply"; }
constexpr std::string_view name_of(std::type_identity<cmd::RaiseWarning>) { return "raise_warning"; }
constexpr std::string_view name_of(std::type_identity<cmd::FollowUpTimeout>) { return "follow_up_timeout"; }
constexpr std::string_view name_of(std::type_identity<cmd::RecomputeDeadlines>) { return "recompute_deadlines"; }
constexpr std::string_view name_of(std::type_identity<cmd::ErasePersonalData>) { return "erase_personal_data"; }
constexpr std::string_view name_of(std::type_identity<cmd::Locate>) { return "locate"; }
constexpr std::string_view name_of(std::type_identity<cmd::Discuss>) { return "discuss"; }
constexpr std::string_view name_of(std::type_identity<cmd::AddCoHandlers>) { return "add_co_handlers"; }

template <std::size_t... I>
constexpr std::array<std::string_view, sizeof...(I)> command_names(std::index_sequence<I...>) {
  return {name_of(std::type_identity<std::variant_alternative_t<I, CommandPayload>>{})...};
}
constexpr auto kCommandNames = command_names(std::make_index_sequence<kCommandKindCount>{});

}  // namespace

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kAlreadyExists: return "already_exists";
    case ErrorCode::kFailedPrecondition: return "failed_precondition";
    case ErrorCode::kAborted: return "aborted";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kDataLoss: return "data_loss";
    case ErrorCode::kInternal: return "internal";
  }
  return "unknown";
}

std::string_view to_string(LifecycleState s) { return row(kLifecycleStates, s).en; }
std::string_view to_string(RequestType t) { return row(kRequestTypes, t).en; }
std::string_view to_string(Channel c) { return row(kChannels, c).en; }
std::string_view to_string(Outcome o) { return row(kOutcomes, o).en; }
std::string_view to_string(Rating r) { return row(kRatings, r).en; }
std::string_view to_string(Level l) { return row(kLevels, l).en; }
std::string_view to_string(DeadlineKind k) { return row(kDeadlineKinds, k).en; }
std::string_view to_string(WarningColour c) { return row(kWarningColours, c).en; }

std::string_view label_zh(LifecycleState s) { return row(kLifecycleStates, s).zh; }
std::string_view label_zh(RequestType t) { return row(kRequestTypes, t).zh; }
std::string_view label_zh(Outcome o) { return row(kOutcomes, o).zh; }
std::string_view label_zh(Rating r) { return row(kRatings, r).zh; }
std::string engine_reason(EngineReason reason, std::string_view detail, std::string_view step) {
  switch (reason) {
    case EngineReason::kAcceptTimeout: return "accept_timeout";
    case EngineReason::kResolveTimeout: return "resolve_timeout";
    case EngineReason::kUnresolved: return "unresolved: " + std::string(detail);
    case EngineReason::kUnsatisfied: return "不满意：" + std::string(detail);
    case EngineReason::kReopensExhausted: return "重启次数已满，转" + std::string(step) + "：" + std::string(detail);
    case EngineReason::kNoAnswer: return "回访超时未评价";
  }
  return "unknown";
}

std::string_view title_of(LifecycleState s) {
  const auto i = static_cast<std::size_t>(s);
  return i < kLifecycleStateTitles.size() ? kLifecycleStateTitles[i] : "Unknown";
}
std::string_view label_zh(Level l) { return row(kLevels, l).zh; }
std::string_view label_zh(DeadlineKind k) { return row(kDeadlineKinds, k).zh; }
std::string_view label_zh(WarningColour c) { return row(kWarningColours, c).zh; }

Result<LifecycleState> parse_lifecycle_state(std::string_view text) {
  return parse<LifecycleState>(kLifecycleStates, "a lifecycle state", text);
}
Result<RequestType> parse_request_type(std::string_view text) {
  return parse<RequestType>(kRequestTypes, "a request type", text);
}
Result<Channel> parse_channel(std::string_view text) {
  return parse<Channel>(kChannels, "a channel", text);
}
Result<Outcome> parse_outcome(std::string_view text) {
  return parse<Outcome>(kOutcomes, "an outcome", text);
}
Result<Rating> parse_rating(std::string_view text) {
  // The label no_answer had before it was 未接通 everywhere, still read.
  if (text == "未回复") return Rating::kNoAnswer;
  return parse<Rating>(kRatings, "a rating", text);
}
Result<WarningColour> parse_warning_colour(std::string_view text) {
  return parse<WarningColour>(kWarningColours, "a warning colour", text);
}
Result<DeadlineKind> parse_deadline_kind(std::string_view text) {
  return parse<DeadlineKind>(kDeadlineKinds, "a deadline kind", text);
}
Result<Level> parse_level(std::string_view text) { return parse<Level>(kLevels, "a level", text); }

std::string_view command_name(const CommandPayload& payload) {
  return command_name(static_cast<int>(payload.index()));
}

std::string_view command_name(int kind_index) {
  if (kind_index < 0 || kind_index >= kCommandKindCount) return "unknown";
  return kCommandNames[static_cast<std::size_t>(kind_index)];
}

EventType event_type(const EventPayload& payload) {
  return std::visit([](const auto& p) { return std::decay_t<decltype(p)>::kType; }, payload);
}

std::string_view event_type_name(EventType type) {
  switch (type) {
    case EventType::kCaseOpened: return "CaseOpened";
    case EventType::kCaseDispatched: return "CaseDispatched";
    case EventType::kCaseAccepted: return "CaseAccepted";
    case EventType::kCaseReplied: return "CaseReplied";
    case EventType::kCaseReturned: return "CaseReturned";
    case EventType::kCaseSentBack: return "CaseSentBack";
    case EventType::kCaseEscalated: return "CaseEscalated";
    case EventType::kCaseUrged: return "CaseUrged";
    case EventType::kCaseHandedOver: return "CaseHandedOver";
    case EventType::kCaseSuspended: return "CaseSuspended";
    case EventType::kCaseResumed: return "CaseResumed";
    case EventType::kExtensionRequested: return "ExtensionRequested";
    case EventType::kExtensionDecided: return "ExtensionDecided";
    case EventType::kFollowUpStarted: return "FollowUpStarted";
    case EventType::kCaseRated: return "CaseRated";
    case EventType::kCaseReopened: return "CaseReopened";
    case EventType::kCaseWithdrawn: return "CaseWithdrawn";
    case EventType::kCaseMerged: return "CaseMerged";
    case EventType::kCaseClosed: return "CaseClosed";
    case EventType::kOverdueMarked: return "OverdueMarked";
    case EventType::kWarningRaised: return "WarningRaised";
    case EventType::kMessageAdded: return "MessageAdded";
    case EventType::kParkedForDispatcher: return "ParkedForDispatcher";
    case EventType::kCoHandlerReplied: return "CoHandlerReplied";
    case EventType::kPersonalDataErased: return "PersonalDataErased";
    case EventType::kDeadlinesRecomputed: return "DeadlinesRecomputed";
    case EventType::kDuplicateMergedIn: return "DuplicateMergedIn";
    case EventType::kCaseLocated: return "CaseLocated";
    case EventType::kCaseDiscussed: return "CaseDiscussed";
    case EventType::kCaseReturnedToOwner: return "CaseReturnedToOwner";
    case EventType::kCoHandlersAdded: return "CoHandlersAdded";
    case EventType::kAnswerRelayed: return "AnswerRelayed";
  }
  return "Unknown";
}

}  // namespace escalator
