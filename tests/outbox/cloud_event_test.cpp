// Stored events as CloudEvents 1.0 (docs/webhooks.md): the envelope, its
// stable id, and the CloudEvents SDK as an oracle over a case's history.
#include <doctest/doctest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "escalator/engine/engine.hpp"
#include "escalator/outbox/cloud_event.hpp"
#include "node_oracle.hpp"
#include "store_support.hpp"

namespace escalator {
namespace {

// A case opened, dispatched, accepted and replied to on the engine's own
// workflows, and its history.
std::vector<Event> a_history(std::string& case_id) {
  auto engine = testing::engine_on(memory_store());
  auto opened = engine->submit(testing::command("", "GD-1", testing::leak_report())).get();
  REQUIRE(opened);
  case_id = opened->case_id;
  for (CommandPayload step : std::vector<CommandPayload>{cmd::Dispatch{}, cmd::Accept{},
                                                          cmd::Reply{Outcome::kResolved, "已修复"}}) {
    REQUIRE(engine->submit(testing::command(case_id, "k" + std::to_string(step.index()), step)).get());
  }
  auto events = engine->history(case_id);
  REQUIRE(events);
  return *events;
}

TEST_CASE("an event's CloudEvent names its case, its type and the same id on every delivery") {
  std::string case_id;
  const auto events = a_history(case_id);
  REQUIRE(events.size() >= 4);
  const auto body = nlohmann::json::parse(outbox::cloud_event_json(case_id, events[1], "urn:escalator:370811"));
  CHECK(body["specversion"] == "1.0");
  CHECK(body["id"] == case_id + "/2");
  CHECK(body["source"] == "urn:escalator:370811");
  CHECK(body["type"] == "org.escalator.case.dispatched");
  CHECK(body["subject"] == case_id);
  CHECK(body["datacontenttype"] == "application/json");
  CHECK(body["data"] == nlohmann::json::parse(to_json(events[1])));
  CHECK(outbox::cloud_event_json(case_id, events[1], "urn:escalator:370811") ==
        outbox::cloud_event_json(case_id, events[1], "urn:escalator:370811"));
  CHECK(outbox::cloud_event_type(events[0]) == "org.escalator.case.opened");
}

TEST_CASE("the CloudEvents SDK reads every event of a history as the envelope says") {
  std::string case_id;
  const auto events = a_history(case_id);
  nlohmann::json deliveries = nlohmann::json::array();
  for (const auto& event : events) {
    deliveries.push_back({{"body", outbox::cloud_event_json(case_id, event, "urn:escalator:370811")},
                          {"expected",
                           {{"id", outbox::delivery_id(case_id, event.seq)},
                            {"source", "urn:escalator:370811"},
                            {"type", outbox::cloud_event_type(event)},
                            {"subject", case_id},
                            {"specversion", "1.0"},
                            {"datacontenttype", "application/json"},
                            {"time", format_time(event.time)},
                            {"seq", event.seq},
                            {"event_type", std::string(event_type_name(event_type(event.payload)))}}}});
  }
  testing::TempDir dir;
  const auto file = dir.path() / "events.json";
  std::ofstream(file) << deliveries.dump();
  const auto said = testing::run_node_oracle("cloudevents_oracle.cjs", file);
  CHECK_MESSAGE(said.status == 0, said.text);
  CHECK(said.text.find(std::to_string(events.size()) + " events read, 0 failures") != std::string::npos);
}

}  // namespace
}  // namespace escalator
