// event_json.cpp: events to JSON and back.
#include "canonical_json.hpp"
#include "event_json.hpp"

#include <doctest/doctest.h>

#include <cstddef>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "escalator/model/event.hpp"
#include "event_samples.hpp"

namespace escalator {
using namespace testing;
namespace {

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

}  // namespace escalator
