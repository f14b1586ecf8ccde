// event_json.cpp: events to JSON and back.
#include "canonical_json.hpp"
#include "event_json.hpp"

#include <doctest/doctest.h>

#include <boost/pfr.hpp>
#include <chrono>
#include <cstddef>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "escalator/event.hpp"

namespace escalator {
namespace {

using namespace std::chrono_literals;

// 2025-09-30 09:00 China Standard Time.
constexpr Timestamp kT0{std::chrono::sys_days{std::chrono::September / 30 / 2025} + 1h};

ev::StepAssignment sample_step() {
  return {.step = 2,
          .step_id = "grid",
          .level = Level::kGrid,
          .lead_unit = "yangguang-1.station",
          .co_handlers = {"yangguang.office", "yangguang-garden.property"},
          .accept_by = kT0 + 24h};
}

// One of each payload type, every field different from its default, so that a
// field the reader forgot would come back changed.
std::vector<EventPayload> every_payload() {
  return {
      ev::CaseOpened{.case_id = "370811-20250930-000017",
                     .request_type = RequestType::kComplaint,
                     .channel = Channel::kWeChat,
                     .category = "物业/漏水",
                     .location = {"370811", "jiyang", "yangguang", "yangguang-1", "heping-li",
                                  "3号楼", ""},
                     .collective = true,
                     .urgent = true,
                     .reporter = {},
                     .content = {},
                     .commitments = {"c-name", "c-phone", "c-account", "c-address", "c-content"},
                     .salts = {},
                     .external_id = "GD-20250930-0017",
                     .owner = {"yangguang-garden.branch", "staff-9"},
                     .reply_by = kT0 + 21 * 24h,
                     .workflow_hash = "5d41402abc4b2a76b9719d911017c592",
                     .earlier_call = ev::EarlierCall{"370811-20250920-000003", kT0 - 10 * 24h,
                                                     "heping-li.property", "property"}},
      ev::CaseDispatched{.to = sample_step()},
      ev::CaseAccepted{.unit = "heping-li.property", .resolve_by = kT0 + 72h},
      ev::CaseReplied{.outcome = Outcome::kPartlyResolved, .answer = "已修复一半", .on_spot = true,
                      .follow_up_by = kT0 + 48h},
      ev::CaseReturned{.from_unit = "heping-li.property", .reason = "不属本辖区"},
      ev::CaseSentBack{.to = sample_step(), .reason = "未处理到位", .reply_by = kT0 + 30 * 24h},
      ev::CaseEscalated{.to = sample_step(), .reason = "accept"},
      ev::CaseUrged{.note = "请尽快", .accept_by = kT0 + 2h, .resolve_by = kT0 + 5h},
      ev::CaseHandedOver{.from = {"a.unit", "p1"}, .to = {"b.unit", "p2"}, .note = "换人"},
      ev::CaseSuspended{.reason = "等待配件"},
      ev::CaseResumed{.accept_by = kT0 + 1h, .resolve_by = kT0 + 2h, .reply_by = kT0 + 3h},
      ev::ExtensionRequested{.extra = {5, Duration::Unit::kWorkingDays}, .reason = "需要协调"},
      ev::ExtensionDecided{
          .approved = true, .note = "同意", .resolve_by = kT0 + 4h, .reply_by = kT0 + 5h},
      ev::FollowUpStarted{.rating_by = kT0 + 72h},
      ev::CaseRated{.rating = Rating::kUnsatisfied, .reason = "没修好"},
      ev::CaseReopened{.to = sample_step(), .reason = "居民不满意", .reply_by = kT0 + 30 * 24h},
      ev::CaseWithdrawn{.reason = "自行解决"},
      ev::CaseMerged{.into = "370811-20250930-000001"},
      ev::CaseClosed{.note = "办结"},
      ev::OverdueMarked{.kind = DeadlineKind::kReply, .due = kT0 + 6h},
      ev::CoHandlerReplied{.unit = "yangguang.office", .outcome = Outcome::kPartlyResolved, .answer = "社区已协调"},
      ev::WarningRaised{.kind = DeadlineKind::kResolve, .due = kT0 + 7h},
      ev::DeadlinesRecomputed{.calendar = "official 2015-2026 (2025-11-04) + import 1 (2026-01-27)",
                              .moved = {.accept_by = kT0 + 8h, .resolve_by = kT0 + 9h, .reply_by = kT0 + 10h,
                                        .rating_by = kT0 + 11h, .follow_up_by = kT0 + 12h}},
      ev::PersonalDataErased{.reason = "保存期满"},
      ev::DuplicateMergedIn{.duplicate = "370811-20250930-000002"},
      ev::ParkedForDispatcher{.reason = "location.address: matches no entry of the directory's address table"},
      ev::CaseLocated{.location = {"370811", "jiyang", "shuguang", "shuguang-2", "jingui-yuan", "jingui-yuan-7", ""},
                      .reason = "居民所报新建小区即金桂苑",
                      .directory_version = 4},
      ev::CaseDiscussed{.unit = "yangguang-garden.council", .note = "议定由维修资金列支，下周施工"},
  };
}

template <typename T>
bool every_field_set(const T& value) {
  const T blank{};
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return ((boost::pfr::get<I>(value) != boost::pfr::get<I>(blank)) && ...);
  }(std::make_index_sequence<boost::pfr::tuple_size_v<T>>{});
}

// Every field but the personal values and their salts, which no record holds
// (personal_data.hpp): those are set here so that every_field_set looks past them.
template <typename T>
bool every_recorded_field_set(T value) {
  if constexpr (std::is_same_v<T, ev::CaseOpened>) {
    value.reporter = {"n", "p", "a"};
    value.content = "c";
    value.salts = {"1", "2", "3", "4", "5"};
  }
  if constexpr (std::is_same_v<T, CaseState>) {
    value.reporter = {"n", "p", "a"};
    value.content = "c";
  }
  return every_field_set(value);
}

Event event_with(EventPayload payload) {
  return Event{.seq = 7,
               .time = kT0,
               .actor = "staff-9",
               .idempotency_key = "key-7",
               .workflow = {"property-first", 1},
               .payload = std::move(payload)};
}

Result<Event> read_text(const std::string& text) {
  return event_from_json(EventJson::parse(text));
}

TEST_CASE("EveryPayloadRoundTrips") {
  std::set<std::size_t> covered;
  for (const EventPayload& payload : every_payload()) {
    const Event event = event_with(payload);
    const std::string text = to_json(event);
    CAPTURE(text);
    covered.insert(payload.index());
    CHECK(std::visit([](const auto& p) { return every_recorded_field_set(p); }, payload));

    const Result<Event> back = read_text(text);
    REQUIRE_MESSAGE(back.has_value(), back.error().message);
    CHECK(back->seq == event.seq);
    CHECK(back->time == event.time);
    CHECK(back->actor == event.actor);
    CHECK(back->idempotency_key == event.idempotency_key);
    CHECK(back->workflow == event.workflow);
    REQUIRE(back->payload.index() == payload.index());
    CHECK(std::visit(
        [&](const auto& p) {
          return boost::pfr::eq(p, std::get<std::decay_t<decltype(p)>>(payload));
        },
        back->payload));
    CHECK(to_json(*back) == text);
  }
  CHECK(covered.size() == std::variant_size_v<EventPayload>);
}

TEST_CASE("CaseOpenedIsWrittenInTheDocumentedFormat") {
  const Event event{.seq = 1,
                    .time = kT0,
                    .actor = "hotline",
                    .idempotency_key = "GD-1",
                    .workflow = {"property-first", 1},
                    .payload = ev::CaseOpened{.case_id = "370811-20250930-000001",
                                              .request_type = RequestType::kComplaint,
                                              .channel = Channel::kHotline,
                                              .category = "物业/漏水",
                                              .location = {"370811", "jiyang", "yangguang",
                                                           "yangguang-1", "heping-li", "3号楼", "3号楼2单元501"},
                                              .reporter = {"张三", "13800000000", ""},
                                              .content = "天花板渗水",
                                              .commitments = {"c-name", "c-phone", "", "", "c-content"},
                                              .salts = {"s-name", "s-phone", "", "", "s-content"},
                                              .external_id = "GD-1",
                                              .owner = {"hotline.office", ""},
                                              .reply_by = kT0 + 24h,
                                              .workflow_hash = "9f86d081"}};
  CHECK(to_json(event) ==
        R"({"seq":1,"time":"2025-09-30T09:00:00+08:00","type":"CaseOpened","actor":"hotline",)"
        R"("key":"GD-1","workflow":{"id":"property-first","version":1},)"
        R"("data":{"case_id":"370811-20250930-000001","request_type":"complaint",)"
        R"("channel":"hotline","category":"物业/漏水",)"
        R"("location":{"district_code":"370811","street":"jiyang","community":"yangguang",)"
        R"("grid":"yangguang-1","compound":"heping-li","building":"3号楼"},)"
        R"("collective":false,"urgent":false,"personal":{"reporter_name":"c-name","reporter_phone":"c-phone",)"
        R"("reporter_account":"","address":"","content":"c-content"},)"
        R"("external_id":"GD-1","owner":{"unit":"hotline.office","person":""},)"
        R"("reply_by":"2025-10-01T09:00:00+08:00","workflow_hash":"9f86d081"}})");
  // Neither the values nor their salts reach any form of the history.
  for (const auto& text : {to_json(event), canonical_event_text(event).value(), event_body_json(event).dump()}) {
    for (const char* personal : {"张三", "13800000000", "天花板渗水", "3号楼2单元501", "s-name", "s-content"}) {
      CHECK_MESSAGE(text.find(personal) == std::string::npos, personal);
    }
  }
}

TEST_CASE("StepAssignmentIsAnObject") {
  CHECK(payload_json(ev::CaseDispatched{.to = {.step = 0,
                                               .step_id = "property",
                                               .level = Level::kCompound,
                                               .lead_unit = "heping-li.property",
                                               .co_handlers = {"heping-li.branch"},
                                               .accept_by = kT0}}) ==
        R"({"to":{"step":0,"step_id":"property","level":"compound",)"
        R"("lead_unit":"heping-li.property",)"
        R"("co_handlers":["heping-li.branch"],"accept_by":"2025-09-30T09:00:00+08:00"}})");
}

TEST_CASE("AStepNobodyHoldsIsWrittenWithWhyAndWithoutAHolderOrDeadline") {
  const ev::CaseEscalated parked{.to = {.step = 1,
                                        .step_id = "branch",
                                        .level = Level::kCompound,
                                        .directory_version = 2,
                                        .waiting_for_dispatcher = "No unit holds role 'party_branch'"},
                                 .reason = "accept_timeout"};
  CHECK(payload_json(parked) ==
        R"({"to":{"step":1,"step_id":"branch","level":"compound","lead_unit":"","co_handlers":[],)"
        R"("directory_version":2,"waiting_for_dispatcher":"No unit holds role 'party_branch'"},)"
        R"("reason":"accept_timeout"})");
  const Result<Event> back = read_text(to_json(event_with(parked)));
  REQUIRE(back.has_value());
  const auto& got = std::get<ev::CaseEscalated>(back->payload);
  CHECK(got.to == parked.to);
  CHECK_FALSE(got.to.accept_by.has_value());
}

TEST_CASE("AbsentDeadlinesAreLeftOut") {
  const ev::CaseResumed resumed{
      .accept_by = std::nullopt, .resolve_by = kT0, .reply_by = std::nullopt};
  CHECK(payload_json(resumed) == R"({"resolve_by":"2025-09-30T09:00:00+08:00"})");

  const Result<Event> back = read_text(to_json(event_with(resumed)));
  REQUIRE(back.has_value());
  const auto& got = std::get<ev::CaseResumed>(back->payload);
  CHECK_FALSE(got.accept_by.has_value());
  CHECK(got.resolve_by == kT0);
  CHECK_FALSE(got.reply_by.has_value());
}

TEST_CASE("DurationsAreWrittenInWorkflowUnits") {
  CHECK(payload_json(ev::ExtensionRequested{.extra = {5, Duration::Unit::kWorkingDays},
                                            .reason = "x"}) ==
        R"({"extra":"5 working-days","reason":"x"})");
}

TEST_CASE("ReadsEventsParsedAsPlainJson") {
  const std::string text = to_json(event_with(ev::CaseUrged{.note = "催办", .accept_by = {}, .resolve_by = {}}));
  const nlohmann::json plain = nlohmann::json::parse(text);  // keys sorted, not in written order
  const Result<Event> back = event_from_json(plain);
  REQUIRE(back.has_value());
  CHECK(to_json(*back) == text);
}

void check_data_loss(const Result<Event>& result, const std::string& message) {
  REQUIRE_FALSE(result.has_value());
  CHECK(result.error().code == ErrorCode::kDataLoss);
  CHECK(result.error().message == message);
}

TEST_CASE("ReservedTypeHasNoReader") {
  EventJson json = event_to_json(event_with(ev::CaseUrged{.note = "x", .accept_by = {}, .resolve_by = {}}));
  json["type"] = "MessageAdded";
  check_data_loss(event_from_json(json),
                  "event type 22 (MessageAdded) has no reader in this version");
}

TEST_CASE("UnknownTypeIsDataLoss") {
  EventJson json = event_to_json(event_with(ev::CaseUrged{.note = "x", .accept_by = {}, .resolve_by = {}}));
  json["type"] = "CaseTeleported";
  check_data_loss(event_from_json(json), "event type 'CaseTeleported' is unknown");
}

TEST_CASE("MissingFieldIsNamedByItsPath") {
  EventJson json = event_to_json(event_with(ev::CaseDispatched{.to = sample_step()}));
  json["data"]["to"].erase("lead_unit");
  check_data_loss(event_from_json(json), "missing field 'data.to.lead_unit'");

  json = event_to_json(event_with(ev::CaseDispatched{.to = sample_step()}));
  json.erase("seq");
  check_data_loss(event_from_json(json), "missing field 'seq'");

  json = event_to_json(event_with(ev::CaseDispatched{.to = sample_step()}));
  json.erase("data");
  check_data_loss(event_from_json(json), "missing field 'data'");
}

TEST_CASE("FieldOfTheWrongKindIsDataLoss") {
  EventJson json = event_to_json(event_with(every_payload()[0]));
  json["data"]["urgent"] = "yes";
  check_data_loss(event_from_json(json), "field 'data.urgent' should be a boolean, found string");

  json = event_to_json(event_with(ev::CaseDispatched{.to = sample_step()}));
  json["data"]["to"]["co_handlers"][1] = 3;
  check_data_loss(event_from_json(json),
                  "field 'data.to.co_handlers[1]' should be a string, found number");

  check_data_loss(event_from_json(EventJson::array()),
                  "an event should be a JSON object, found array");
}

TEST_CASE("ValueOutsideItsTypeIsDataLoss") {
  EventJson json = event_to_json(event_with(ev::CaseUrged{.note = "x", .accept_by = {}, .resolve_by = {}}));
  json["seq"] = -1;
  check_data_loss(event_from_json(json), "field 'seq' is out of range: -1");

  json = event_to_json(event_with(ev::OverdueMarked{.kind = DeadlineKind::kReply, .due = kT0}));
  json["data"]["kind"] = "lunch";
  check_data_loss(event_from_json(json),
                  "field 'data.kind': Expected a deadline kind (accept, resolve, reply, rating, follow_up), but got 'lunch'");
}

TEST_CASE("UnreadableTimeIsDataLoss") {
  EventJson json = event_to_json(event_with(ev::CaseUrged{.note = "x", .accept_by = {}, .resolve_by = {}}));
  json["time"] = "yesterday";
  const Result<Event> back = event_from_json(json);
  REQUIRE_FALSE(back.has_value());
  CHECK(back.error().code == ErrorCode::kDataLoss);
  // The rest of the message is parse_time's.
  CHECK(back.error().message.starts_with("field 'time': "));
}

}  // namespace
TEST_CASE("EveryDeadlineKindIsReadBack") {
  for (auto kind : {DeadlineKind::kAccept, DeadlineKind::kResolve, DeadlineKind::kReply,
                    DeadlineKind::kRating, DeadlineKind::kFollowUp}) {
    CAPTURE(to_string(kind));
    const auto back = read_text(to_json(event_with(ev::OverdueMarked{.kind = kind, .due = kT0})));
    REQUIRE_MESSAGE(back.has_value(), back.error().message);
    CHECK(std::get<ev::OverdueMarked>(back->payload).kind == kind);
  }
}

// Every field different from its default, so a field the reader forgot
// would come back changed.
CaseState every_field_case() {
  CaseState k;
  k.id = "370811-20250930-000017";
  k.state = LifecycleState::kSuspended;
  k.version = 12;
  k.request_type = RequestType::kComplaint;
  k.channel = Channel::kWeChat;
  k.category = "物业/漏水";
  k.location = {"370811", "jiyang", "yangguang", "yangguang-1", "heping-li", "3号楼", ""};
  k.collective = true;
  k.urgent = true;
  k.personal = {"c-name", "c-phone", "c-account", "c-address", "c-content"};
  k.external_id = "GD-20250930-0017";
  k.workflow = {"property-first", 3};
  k.workflow_hash = "5d41402abc4b2a76b9719d911017c592";
  k.opened_at = kT0;
  k.owner = {"hotline.12345", "operator-07"};
  k.step = 2;
  k.step_id = "grid";
  k.level = Level::kGrid;
  k.lead_unit = "yangguang-1.station";
  k.co_handlers = {"yangguang.office"};
  k.co_replied = {"yangguang.office"};
  k.steps_visited = {0, 1, 2};
  k.returned_by = "heping-li.property";
  k.waiting_for_dispatcher = "No unit holds role 'property_company' for compound 'heping-li' on 2027-01-01, nor any fallback";
  k.accept_by = kT0 + 1h;
  k.resolve_by = kT0 + 2h;
  k.reply_by = kT0 + 3h;
  k.rating_by = kT0 + 4h;
  k.follow_up_by = kT0 + 5h;
  k.overdue = {DeadlineKind::kAccept, DeadlineKind::kFollowUp};
  k.warned = {{DeadlineKind::kResolve, kT0 + 2h}};
  k.warnings = 2;
  k.suspended_from = LifecycleState::kAccepted;
  k.suspended_at = kT0 + 6h;
  k.extension_requested = Duration{3, Duration::Unit::kWorkingDays};
  k.outcome = Outcome::kPartlyResolved;
  k.answer = "已修复一半";
  k.answered_on_spot = true;
  k.rating = Rating::kBasicallySatisfied;
  k.merged_into = "370811-20250930-000001";
  k.duplicates = {"370811-20250930-000002"};
  k.urges = 1;
  k.escalations = 2;
  k.returns = 3;
  k.send_backs = 4;
  k.extensions_granted = 5;
  k.reopens = 6;
  k.updated_at = kT0 + 7h;
  k.closed_at = kT0 + 8h;
  k.personal_data_erased_at = kT0 + 9h;
  return k;
}

TEST_CASE("ACaseSnapshotRoundTripsFieldForField") {
  const CaseState k = every_field_case();
  CHECK(every_recorded_field_set(k));
  const std::string text = case_to_json(k).dump();
  CAPTURE(text);
  const auto back = case_from_json(EventJson::parse(text));
  REQUIRE_MESSAGE(back.has_value(), back.error().message);
  CHECK(*back == k);
  CHECK(case_to_json(*back).dump() == text);
}

TEST_CASE("ADamagedSnapshotIsDataLossNamingTheField") {
  auto json = case_to_json(every_field_case());
  json.erase("level");
  auto back = case_from_json(json);
  REQUIRE_FALSE(back.has_value());
  CHECK(back.error().code == ErrorCode::kDataLoss);
  CHECK(back.error().message == "missing field 'level'");

  json = case_to_json(every_field_case());
  json["overdue"][1] = "late";
  back = case_from_json(json);
  REQUIRE_FALSE(back.has_value());
  CHECK(back.error().message.find("field 'overdue[1]'") != std::string::npos);
}

TEST_CASE("TheFastSnapshotReaderReadsWhatTheReaderReadsAndRefusesWhatItRefuses") {
  CaseState escaped = every_field_case();
  escaped.category = std::string("\0\"\\\t", 4) + "漏水🚰";
  escaped.personal.reporter_name = "\t张\x7f三\b";
  for (const CaseState& k : {every_field_case(), CaseState{}, escaped}) {
    const std::string text = case_json_text(k);
    CAPTURE(text);
    CaseState fresh;
    REQUIRE(case_from_text(text, fresh));
    CHECK(fresh == k);
    // Read over a snapshot with every field set, and over a blank one.
    CaseState over = every_field_case();
    REQUIRE(case_from_text(text, over));
    CHECK(over == k);
    over = CaseState{};
    REQUIRE(case_from_text(text, over));
    CHECK(over == k);
    CHECK(read_case_text(text).value() == k);
  }

  // Each damage the Reader refuses, the fast reader refuses too, and
  // read_case_text names it as the Reader does.
  std::vector<EventJson> damaged;
  damaged.push_back(case_to_json(every_field_case()));
  damaged.back().erase("level");
  damaged.push_back(case_to_json(every_field_case()));
  damaged.back()["overdue"][1] = "late";
  damaged.push_back(case_to_json(every_field_case()));
  damaged.back()["urges"] = 1.5;
  damaged.push_back(case_to_json(every_field_case()));
  damaged.back()["opened_at"] = "yesterday";
  damaged.push_back(case_to_json(every_field_case()));
  damaged.back()["location"].erase("grid");
  for (const auto& json : damaged) {
    const std::string text = json.dump();
    CAPTURE(text);
    const auto slow = case_from_json(json);
    REQUIRE_FALSE(slow.has_value());
    CaseState state;
    CHECK_FALSE(case_from_text(text, state));
    const auto read = read_case_text(text);
    REQUIRE_FALSE(read.has_value());
    CHECK(read.error().code == ErrorCode::kDataLoss);
    CHECK(read.error().message == slow.error().message);
  }
  const std::string whole = case_json_text(every_field_case());
  CaseState state;
  CHECK_FALSE(case_from_text(whole + "x", state));
  CHECK_FALSE(case_from_text(whole.substr(0, whole.size() - 1), state));
  CHECK(read_case_text(whole.substr(0, whole.size() - 1)).error().message == "not JSON");

  // A key no snapshot has is left to the Reader, which reads the case.
  EventJson stranger = case_to_json(every_field_case());
  stranger["colour"] = "blue";
  CHECK_FALSE(case_from_text(stranger.dump(), state));
  CHECK(read_case_text(stranger.dump()).value() == every_field_case());
}

// The store writes events and snapshots with the text writer (json_text.hpp);
// what it writes must be byte for byte what the nlohmann objects dump to, so that
// records written before and after read alike.
namespace {
std::string nlohmann_text(const EventJson& json) {
  return json.dump(-1, ' ', false, EventJson::error_handler_t::replace);
}
}  // namespace

TEST_CASE("EventsAndSnapshotsAreWrittenAsNlohmannWouldDumpThem") {
  for (const EventPayload& payload : every_payload()) {
    const Event event = event_with(payload);
    CHECK(to_json(event) == nlohmann_text(event_to_json(event)));
    CHECK(payload_json(payload) == nlohmann_text(payload_to_json(payload)));
  }
  CHECK(case_json_text(every_field_case()) == nlohmann_text(case_to_json(every_field_case())));
  CHECK(case_json_text(CaseState{}) == nlohmann_text(case_to_json(CaseState{})));
}

TEST_CASE("EveryCharacterIsEscapedAsNlohmannEscapesIt") {
  std::string all;
  for (int c = 1; c < 0x80; ++c) all.push_back(static_cast<char>(c));
  all += std::string("\0\"\\", 4) + "漏水🚰";
  all.push_back('\0');
  CaseState k = every_field_case();
  k.category = all;
  k.personal.reporter_name = "\t张\x7f三\b";
  CHECK(case_json_text(k) == nlohmann_text(case_to_json(k)));
  const Event event = event_with(ev::CaseClosed{.note = all});
  CHECK(to_json(event) == nlohmann_text(event_to_json(event)));
}

TEST_CASE("InvalidUtf8IsReplacedAsNlohmannReplacesIt") {
  for (const std::string bad : {"\xff", "ab\xc3", "\xe6\xbc", "\xed\xa0\x80", "\xc0\xaf", "x\xf4\x90\x80\x80y"}) {
    const Event event = event_with(ev::CaseClosed{.note = "办结" + bad});
    const std::string text = to_json(event);
    CHECK(text == nlohmann_text(event_to_json(event)));
    CHECK(text.find("\xef\xbf\xbd") != std::string::npos);  // U+FFFD
  }
}

TEST_CASE("AProvisionalEventSaysSoBeforeItsDataAndReadsBack") {
  Event event{.seq = 2, .time = kT0, .actor = "dispatcher", .idempotency_key = "d",
              .workflow = {"property-first", 1}, .payload = ev::CaseAccepted{"u", kT0 + 24h}};
  CHECK(to_json(event).find("provisional") == std::string::npos);
  event.provisional = true;
  const std::string text = to_json(event);
  CHECK(text.find(R"("workflow":{"id":"property-first","version":1},"provisional":true,"data":)") !=
        std::string::npos);
  CHECK(text == nlohmann_text(event_to_json(event)));
  const Result<Event> back = read_text(text);
  REQUIRE(back.has_value());
  CHECK(back->provisional);
  CHECK_FALSE(read_text(to_json(event_with(ev::CaseAccepted{"u", kT0})))->provisional);
}

TEST_CASE("AnEventsCanonicalBytesWrittenDirectlyAreThoseOfItsJsonCanonicalised") {
  for (const EventPayload& payload : every_payload()) {
    for (const bool provisional : {false, true}) {
      Event event = event_with(payload);
      event.provisional = provisional;
      event.actor = "工作人员\t\"9\"\x01";  // escapes and multi-byte text too
      const auto slow = canonical_json(event_body_json(event));
      REQUIRE(slow.has_value());
      CHECK(canonical_event_text(event) == *slow);
    }
  }
  Event broken = event_with(every_payload()[0]);
  broken.actor = "\xc3\x28";
  CHECK(canonical_event_text(broken).error().code == ErrorCode::kInvalidArgument);
}

TEST_CASE("AnEventReadOverAnotherKeepsNothingOfIt") {
  // Replay and audit read each event into the storage of the one before.
  std::vector<std::string> texts;
  for (const EventPayload& payload : every_payload()) {
    Event full = event_with(payload);
    full.provisional = true;
    texts.push_back(canonical_event_text(full).value());
    // The same type with every field blank: optional members absent, lists empty.
    std::visit(
        [&](const auto& p) {
          texts.push_back(canonical_event_text(event_with(std::decay_t<decltype(p)>{})).value());
        },
        payload);
  }
  Event reused;
  for (const auto& before : texts) {
    for (const auto& text : texts) {
      REQUIRE(event_from_text(before, reused));
      REQUIRE(event_from_text(text, reused));
      const auto fresh = event_from_text(text);
      REQUIRE(fresh.has_value());
      CHECK(to_json(reused) == to_json(*fresh));
    }
  }
}

TEST_CASE("TheFastReaderReadsWhatTheReaderReadsAndRefusesWhatItRefuses") {
  for (const EventPayload& payload : every_payload()) {
    Event event = event_with(payload);
    event.provisional = true;
    const std::string text = to_json(event);
    CAPTURE(text);
    const auto fast = event_from_text(text);
    const auto slow = read_text(text);
    REQUIRE(fast.has_value());
    REQUIRE(slow.has_value());
    CHECK(to_json(*fast) == to_json(*slow));
    CHECK(fast->provisional);
    // Canonical text, as the store keeps it, has its keys sorted: the order
    // the fast reader places members in at the first try.
    const auto canonical = canonical_event_text(event);
    REQUIRE(canonical.has_value());
    const auto from_canonical = event_from_text(*canonical);
    REQUIRE(from_canonical.has_value());
    CHECK(to_json(*from_canonical) == to_json(event));  // unsealed, so both are the body alone
  }

  // A key no event has, or one given twice, is left to the Reader, which reads
  // the event (ignoring the stranger, taking one of the twins).
  EventJson stranger = event_to_json(event_with(every_payload()[0]));
  stranger["data"]["colour"] = "blue";
  CHECK_FALSE(event_from_text(stranger.dump()).has_value());
  CHECK(event_from_json(stranger).has_value());
  std::string twice = to_json(event_with(every_payload()[0]));
  twice.insert(1, R"("actor":"someone else",)");
  CHECK_FALSE(event_from_text(twice).has_value());

  // Each damage the Reader refuses (tests above), the fast reader refuses too.
  std::vector<EventJson> damaged;
  auto dispatched = [] { return event_to_json(event_with(ev::CaseDispatched{.to = sample_step()})); };
  damaged.push_back(dispatched());
  damaged.back()["data"]["to"].erase("lead_unit");
  damaged.push_back(dispatched());
  damaged.back().erase("seq");
  damaged.push_back(dispatched());
  damaged.back().erase("data");
  damaged.push_back(dispatched());
  damaged.back()["data"]["to"]["co_handlers"][1] = 3;
  damaged.push_back(dispatched());
  damaged.back()["seq"] = -1;
  damaged.push_back(dispatched());
  damaged.back()["seq"] = 1.5;
  damaged.push_back(dispatched());
  damaged.back()["time"] = "yesterday";
  damaged.push_back(dispatched());
  damaged.back()["type"] = "MessageAdded";
  damaged.push_back(dispatched());
  damaged.back()["provisional"] = nullptr;
  damaged.push_back(event_to_json(event_with(ev::OverdueMarked{.kind = DeadlineKind::kReply, .due = kT0})));
  damaged.back()["data"]["kind"] = "lunch";
  damaged.push_back(EventJson::array());
  for (const auto& json : damaged) {
    const std::string text = json.dump();
    CAPTURE(text);
    CHECK_FALSE(event_from_json(json).has_value());
    CHECK_FALSE(event_from_text(text).has_value());
  }
  const std::string whole = to_json(event_with(every_payload()[0]));
  CHECK_FALSE(event_from_text(whole + "x").has_value());                   // not one JSON value
  CHECK_FALSE(event_from_text(whole.substr(0, whole.size() - 1)).has_value());  // cut short
  CHECK_FALSE(event_from_text(whole + std::string(1, '\0') + "x").has_value());  // read in place, NUL would end it
  std::string bad_utf8 = whole;
  bad_utf8.replace(bad_utf8.find("staff-9"), 7, "staff-\xff");
  CHECK_FALSE(event_from_text(bad_utf8).has_value());

  // Text that is not JSON, anywhere in it, in the envelope or deep in "data",
  // is refused: no reader may take a damaged record for an event.
  const auto with = [&whole](std::string_view from, std::string_view to) {
    std::string text = whole;
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
  };
  for (const std::string& text :
       {whole + "}", whole + "{}", with(R"(,"time")", R"("time")"),
        with(R"(,"building")", R"(,,"building")"), with(R"("3号楼"})", R"("3号楼",})"),
        with(R"("c-name")", R"("c-\qname")"), with(R"("collective":true)", R"("collective":tru)"),
        with(R"("version":1)", R"("version":1x)"), with(R"("data":{)", R"("data":{{)")}) {
    CAPTURE(text);
    CHECK_FALSE(EventJson::accept(text));
    CHECK_FALSE(event_from_text(text).has_value());
  }
  // A key spelled with an escape is JSON, though no stored record spells one
  // so: whatever the fast reader makes of it is what the Reader makes of it.
  const std::string escaped_key = with(R"("seq")", R"("s\u0065q")");
  const auto slow = read_text(escaped_key);
  REQUIRE(slow.has_value());
  if (const auto fast = event_from_text(escaped_key)) CHECK(to_json(*fast) == to_json(*slow));
}

}  // namespace escalator
