// The fast readers of event_text.cpp against the Reader of event_json.cpp:
// the same event or case from the same text, and the same refusals.
#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "canonical_json.hpp"
#include "event_json.hpp"
#include "event_samples.hpp"

namespace escalator {
namespace {

using namespace testing;

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
  auto dispatched = [] {
    return event_to_json(event_with(ev::CaseDispatched{.to = sample_step()}));
  };
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
  damaged.push_back(
      event_to_json(event_with(ev::OverdueMarked{.kind = DeadlineKind::kReply, .due = kT0})));
  damaged.back()["data"]["kind"] = "lunch";
  damaged.push_back(EventJson::array());
  for (const auto& json : damaged) {
    const std::string text = json.dump();
    CAPTURE(text);
    CHECK_FALSE(event_from_json(json).has_value());
    CHECK_FALSE(event_from_text(text).has_value());
  }
  const std::string whole = to_json(event_with(every_payload()[0]));
  CHECK_FALSE(event_from_text(whole + "x").has_value());  // not one JSON value
  CHECK_FALSE(event_from_text(whole.substr(0, whole.size() - 1)).has_value());  // cut short
  // Read in place, a NUL byte would end it.
  CHECK_FALSE(event_from_text(whole + std::string(1, '\0') + "x").has_value());
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

}  // namespace
}  // namespace escalator
