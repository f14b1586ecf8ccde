#include <doctest/doctest.h>

#include <cstddef>
#include <iterator>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "escalator/model/case.hpp"
#include "escalator/stats/stats.hpp"
#include "escalator/model/command.hpp"
#include "escalator/model/event.hpp"
#include "escalator/util/result.hpp"

using namespace escalator;

TEST_CASE("EveryLifecycleStateRoundTripsThroughItsNameAndLabel") {
  std::set<std::string_view> names;
  for (int i = 0; i < kLifecycleStateCount; ++i) {
    const auto s = static_cast<LifecycleState>(i);
    names.insert(to_string(s));
    CHECK(parse_lifecycle_state(to_string(s)) == s);
    CHECK(parse_lifecycle_state(label_zh(s)) == s);
  }
  CHECK(names.size() == kLifecycleStateCount);
  CHECK(to_string(LifecycleState::kAwaitingRating) == "awaiting_rating");
  CHECK(to_string(LifecycleState::kNew) == "new");
  CHECK(to_string(LifecycleState::kMerged) == "merged");
}

TEST_CASE("RequestTypesParseFromEnglishAndChinese") {
  CHECK(parse_request_type("complaint") == RequestType::kComplaint);
  CHECK(parse_request_type("投诉") == RequestType::kComplaint);
  CHECK(parse_request_type("咨询") == RequestType::kConsultation);
  CHECK(parse_request_type("求助") == RequestType::kHelp);
  CHECK(parse_request_type("举报") == RequestType::kReport);
  CHECK(parse_request_type("建议") == RequestType::kSuggestion);
  CHECK(to_string(RequestType::kSuggestion) == "suggestion");
  CHECK(label_zh(RequestType::kComplaint) == "投诉");
}

TEST_CASE("ChannelsParseFromEnglishAndChinese") {
  const std::pair<std::string_view, Channel> cases[] = {
      {"hotline", Channel::kHotline},        {"12345热线", Channel::kHotline},
      {"wechat", Channel::kWeChat},          {"微信", Channel::kWeChat},
      {"wecom", Channel::kWeCom},            {"企业微信", Channel::kWeCom},
      {"mini_program", Channel::kMiniProgram}, {"小程序", Channel::kMiniProgram},
      {"walk_in", Channel::kWalkIn},         {"来访", Channel::kWalkIn},
      {"visit", Channel::kVisit},            {"走访", Channel::kVisit},
      {"device", Channel::kDevice},          {"设备", Channel::kDevice},
      {"open311", Channel::kOpen311},
  };
  for (const auto& [text, channel] : cases) {
    CAPTURE(text);
    CHECK(parse_channel(text) == channel);
  }
  CHECK(to_string(Channel::kMiniProgram) == "mini_program");
  CHECK(to_string(Channel::kOpen311) == "open311");
}

TEST_CASE("OpenStandardChannelHasNoEmptyChineseAlias") {
  // open311 has no Chinese label; an empty text must not match it.
  CHECK_FALSE(parse_channel("").has_value());
}

TEST_CASE("RatingsParseFromEnglishAndChinese") {
  CHECK(parse_rating("satisfied") == Rating::kSatisfied);
  CHECK(parse_rating("满意") == Rating::kSatisfied);
  CHECK(parse_rating("基本满意") == Rating::kBasicallySatisfied);
  CHECK(parse_rating("不满意") == Rating::kUnsatisfied);
  CHECK(parse_rating("未回复") == Rating::kNoAnswer);
  CHECK(parse_rating("no_answer") == Rating::kNoAnswer);
  CHECK(to_string(Rating::kBasicallySatisfied) == "basically_satisfied");
  CHECK(label_zh(Rating::kUnsatisfied) == "不满意");
}

TEST_CASE("ANoAnswerIsOneWordWhereverItIsShown") {
  CHECK(label_zh(Rating::kNoAnswer) == "未接通");
  CHECK(parse_rating("未接通") == Rating::kNoAnswer);
  CHECK(stats::label_zh(stats::Count::kRatedNoAnswer) == label_zh(Rating::kNoAnswer));
  CHECK(stats::label_zh(stats::Count::kRatedSatisfied) == label_zh(Rating::kSatisfied));
  CHECK(stats::label_zh(stats::Count::kRatedBasically) == label_zh(Rating::kBasicallySatisfied));
  CHECK(stats::label_zh(stats::Count::kRatedUnsatisfied) == label_zh(Rating::kUnsatisfied));
}

TEST_CASE("StatesHaveOneTitleForRefusalsAndDocs") {
  CHECK(title_of(LifecycleState::kAwaitingRating) == "AwaitingRating");
  CHECK(title_of(LifecycleState::kNew) == "New");
  CHECK(title_of(LifecycleState::kMerged) == "Merged");
}

TEST_CASE("TheReasonsTheEngineWritesAreItsOwnAndNeverChange") {
  CHECK(engine_reason(EngineReason::kAcceptTimeout) == "accept_timeout");
  CHECK(engine_reason(EngineReason::kResolveTimeout) == "resolve_timeout");
  CHECK(engine_reason(EngineReason::kUnresolved, "缺配件") == "unresolved: 缺配件");
  CHECK(engine_reason(EngineReason::kUnsatisfied, "仍漏水") == "不满意：仍漏水");
  CHECK(engine_reason(EngineReason::kReopensExhausted, "仍漏水", "街道") == "重启次数已满，转街道：仍漏水");
  CHECK(engine_reason(EngineReason::kNoAnswer) == "回访超时未评价");
}

TEST_CASE("OutcomesLevelsAndDeadlineKindsHaveStableNames") {
  CHECK(parse_outcome("partly_resolved") == Outcome::kPartlyResolved);
  CHECK(parse_outcome("未解决") == Outcome::kUnresolved);
  CHECK(label_zh(Outcome::kResolved) == "已解决");
  CHECK(to_string(Level::kBuilding) == "building");
  CHECK(to_string(Level::kDistrict) == "district");
  CHECK(label_zh(Level::kStreet) == "街道");
  CHECK(to_string(DeadlineKind::kAccept) == "accept");
  CHECK(to_string(DeadlineKind::kRating) == "rating");
}

TEST_CASE("UnknownRatingIsRefusedListingTheExpectedNames") {
  const auto r = parse_rating("great");
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error() ==
        Error{ErrorCode::kInvalidArgument,
              "Expected a rating (satisfied, basically_satisfied, unsatisfied, no_answer), but got "
              "'great'"});
}

TEST_CASE("UnknownNamesOfEveryKindAreRefusedAsInvalidArguments") {
  CHECK(parse_request_type("praise").error().message ==
        "Expected a request type (consultation, help, complaint, report, suggestion), but got "
        "'praise'");
  CHECK(parse_channel("fax").error().message ==
        "Expected a channel (hotline, wechat, wecom, mini_program, walk_in, visit, device, "
        "open311), but got 'fax'");
  CHECK(parse_outcome("done").error().message ==
        "Expected an outcome (resolved, partly_resolved, unresolved), but got 'done'");
  CHECK(parse_lifecycle_state("open").error().code == ErrorCode::kInvalidArgument);
  // Names are exact: no case folding, no trimming.
  CHECK_FALSE(parse_rating("Satisfied").has_value());
  CHECK_FALSE(parse_rating(" satisfied").has_value());
}

TEST_CASE("ErrorCodesHaveSnakeCaseNames") {
  CHECK(to_string(ErrorCode::kInvalidArgument) == "invalid_argument");
  CHECK(to_string(ErrorCode::kNotFound) == "not_found");
  CHECK(to_string(ErrorCode::kAlreadyExists) == "already_exists");
  CHECK(to_string(ErrorCode::kFailedPrecondition) == "failed_precondition");
  CHECK(to_string(ErrorCode::kAborted) == "aborted");
  CHECK(to_string(ErrorCode::kUnavailable) == "unavailable");
  CHECK(to_string(ErrorCode::kDataLoss) == "data_loss");
  CHECK(to_string(ErrorCode::kInternal) == "internal");
}

TEST_CASE("CommandNamesFollowTheVariantOrder") {
  const std::string_view expected[] = {
      "open",         "dispatch",          "accept",           "reply_on_spot", "reply",
      "return",       "send_back",         "escalate",         "urge",          "hand_over",
      "suspend",      "resume",            "request_extension", "decide_extension", "follow_up",
      "rate",         "reopen",            "withdraw",         "merge",         "close",
      "accept_timeout", "resolve_timeout", "reply_timeout",    "rating_timeout", "co_handler_reply",
      "raise_warning",  "follow_up_timeout", "recompute_deadlines", "erase_personal_data",
      "locate", "discuss", "add_co_handlers"};
  REQUIRE(std::size(expected) == static_cast<std::size_t>(kCommandKindCount));
  for (int i = 0; i < kCommandKindCount; ++i) {
    CHECK(command_name(i) == expected[i]);
  }
  CHECK(command_name(-1) == "unknown");
  CHECK(command_name(kCommandKindCount) == "unknown");
}

TEST_CASE("CommandNameOfAPayloadNamesItsType") {
  CHECK(command_name(CommandPayload{cmd::Open{}}) == "open");
  CHECK(command_name(CommandPayload{cmd::ReplyOnSpot{}}) == "reply_on_spot");
  CHECK(command_name(CommandPayload{cmd::SendBack{}}) == "send_back");
  CHECK(command_name(CommandPayload{cmd::RatingTimeout{}}) == "rating_timeout");
}

TEST_CASE("EventTypeNamesCoverAssignedAndReservedIds") {
  CHECK(event_type_name(EventType::kCaseOpened) == "CaseOpened");
  CHECK(event_type_name(EventType::kExtensionRequested) == "ExtensionRequested");
  CHECK(event_type_name(EventType::kOverdueMarked) == "OverdueMarked");
  CHECK(event_type_name(EventType::kWarningRaised) == "WarningRaised");
  CHECK(event_type_name(EventType::kMessageAdded) == "MessageAdded");
  CHECK(event_type_name(EventType::kParkedForDispatcher) == "ParkedForDispatcher");
  CHECK(event_type_name(EventType::kCoHandlerReplied) == "CoHandlerReplied");
  CHECK(event_type_name(EventType::kPersonalDataErased) == "PersonalDataErased");
  CHECK(event_type_name(EventType::kDuplicateMergedIn) == "DuplicateMergedIn");
  CHECK(event_type_name(static_cast<EventType>(0)) == "Unknown");
  CHECK(event_type_name(EventType::kDeadlinesRecomputed) == "DeadlinesRecomputed");
  CHECK(event_type_name(EventType::kCaseLocated) == "CaseLocated");
  CHECK(event_type_name(EventType::kCaseDiscussed) == "CaseDiscussed");
  CHECK(event_type_name(EventType::kCaseReturnedToOwner) == "CaseReturnedToOwner");
  CHECK(event_type_name(EventType::kCoHandlersAdded) == "CoHandlersAdded");
  CHECK(event_type_name(EventType::kAnswerRelayed) == "AnswerRelayed");
  CHECK(event_type_name(static_cast<EventType>(33)) == "Unknown");
}

TEST_CASE("EveryAssignedEventIdHasADistinctName") {
  std::set<std::string_view> names;
  for (int id = 1; id <= 29; ++id) {
    const std::string_view name = event_type_name(static_cast<EventType>(id));
    CHECK(name != "Unknown");
    names.insert(name);
  }
  CHECK(names.size() == 29);
}

namespace {

// Builds payload alternative I and checks event_type reports that type's id.
template <std::size_t... I>
void check_every_payload(std::index_sequence<I...>) {
  const auto check = [](auto index) {
    constexpr std::size_t i = decltype(index)::value;
    const EventPayload payload{std::in_place_index<i>};
    CAPTURE(i);
    CHECK(event_type(payload) == std::variant_alternative_t<i, EventPayload>::kType);
  };
  (check(std::integral_constant<std::size_t, I>{}), ...);
}

}  // namespace

TEST_CASE("EventTypeOfAPayloadIsItsDeclaredType") {
  CHECK(event_type(EventPayload{ev::CaseOpened{}}) == EventType::kCaseOpened);
  CHECK(event_type(EventPayload{ev::CaseRated{}}) == EventType::kCaseRated);
  CHECK(event_type(EventPayload{ev::OverdueMarked{}}) == EventType::kOverdueMarked);
  check_every_payload(std::make_index_sequence<std::variant_size_v<EventPayload>>{});
}

TEST_CASE("DeadlineKindsParseFromEnglishAndChinese") {
  for (const auto kind : {DeadlineKind::kAccept, DeadlineKind::kResolve, DeadlineKind::kReply, DeadlineKind::kRating,
                          DeadlineKind::kFollowUp}) {
    CHECK(parse_deadline_kind(to_string(kind)) == kind);
    CHECK(parse_deadline_kind(label_zh(kind)) == kind);
  }
  CHECK(label_zh(DeadlineKind::kAccept) == "签收时限");
  const auto wrong = parse_deadline_kind("");
  REQUIRE_FALSE(wrong.has_value());
  CHECK(wrong.error().message.find("a deadline kind") != std::string::npos);
}

TEST_CASE("LevelsParseFromEnglishAndChinese") {
  for (const auto level : {Level::kBuilding, Level::kCompound, Level::kGrid, Level::kCommunity, Level::kStreet,
                           Level::kDistrict}) {
    CHECK(parse_level(to_string(level)) == level);
    CHECK(parse_level(label_zh(level)) == level);
  }
  const auto wrong = parse_level("province");
  REQUIRE_FALSE(wrong.has_value());
  CHECK(wrong.error().message.find("a level") != std::string::npos);
}

