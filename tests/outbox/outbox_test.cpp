// The outbox as a deliverer reads it (docs/webhooks.md): one record per
// acknowledged command, in commit order, naming exactly the events stored,
// in memory and on disk alike, and the deliveries made of each.
#include <doctest/doctest.h>

#include <map>

#include <nlohmann/json.hpp>

#include "escalator/engine/engine.hpp"
#include "escalator/outbox/delivery.hpp"
#include "store_support.hpp"

namespace escalator {
namespace {

void drive(Engine& engine, std::vector<std::string>& ids) {
  for (const char* external : {"GD-1", "GD-2"}) {
    auto opened = engine.submit(testing::command("", external, testing::leak_report())).get();
    REQUIRE(opened);
    ids.push_back(opened->case_id);
  }
  REQUIRE(engine.submit(testing::command(ids[0], "d", cmd::Dispatch{})).get());
  // Refused: nothing stored, so nothing to tell.
  REQUIRE(!engine.submit(testing::command(ids[1], "a", cmd::Accept{})).get());
  REQUIRE(engine.submit(testing::command(ids[0], "a", cmd::Accept{})).get());
}

void check_outbox(const Engine& engine, const std::vector<std::string>& ids) {
  const auto records = engine.outbox_records(0, 100);
  REQUIRE(records);
  REQUIRE(records->size() == 4);  // two opens, a dispatch, an accept
  for (std::size_t i = 0; i < records->size(); ++i) CHECK((*records)[i].position == i);
  CHECK((*records)[0].case_id == ids[0]);
  CHECK((*records)[0].types == std::vector<std::string>{"CaseOpened"});
  CHECK((*records)[1].case_id == ids[1]);
  CHECK((*records)[2].case_id == ids[0]);
  CHECK((*records)[2].first_seq == 2);
  CHECK((*records)[2].types.front() == "CaseDispatched");
  CHECK((*records)[3].types.front() == "CaseAccepted");
  // Every event of every case is told once, by the record of the command that stored it.
  std::map<std::string, std::uint64_t> told;
  for (const auto& record : *records) {
    CHECK(record.first_seq == told[record.case_id] + 1);
    told[record.case_id] = record.last_seq;
  }
  for (const auto& id : ids) CHECK(told[id] == engine.history(id)->size());
  const auto page = engine.outbox_records(2, 1);
  REQUIRE(page);
  REQUIRE(page->size() == 1);
  CHECK((*page)[0] == (*records)[2]);
}

TEST_CASE("the outbox holds one record per acknowledged command, in commit order, in memory and on disk") {
  {
    auto engine = testing::engine_on(memory_store());
    std::vector<std::string> ids;
    drive(*engine, ids);
    check_outbox(*engine, ids);
  }
  testing::TempDir dir;
  std::vector<std::string> ids;
  {
    auto engine = testing::engine_on(testing::open_durable_at(dir.path()));
    drive(*engine, ids);
    check_outbox(*engine, ids);
  }
  auto reopened = testing::engine_on(testing::open_durable_at(dir.path()));
  check_outbox(*reopened, ids);
}

TEST_CASE("a record becomes one delivery per event, and a record the history does not back is refused") {
  auto engine = testing::engine_on(memory_store());
  std::vector<std::string> ids;
  drive(*engine, ids);
  const auto records = *engine->outbox_records(0, 100);
  const auto history = *engine->history(ids[0]);
  const auto deliveries = outbox::deliveries_of(records[2], history, "urn:escalator:370811");
  REQUIRE(deliveries);
  REQUIRE(deliveries->size() == records[2].types.size());
  CHECK((*deliveries)[0].id == ids[0] + "/2");
  CHECK((*deliveries)[0].type == "org.escalator.case.dispatched");
  CHECK(nlohmann::json::parse((*deliveries)[0].body)["data"]["seq"] == 2);
  auto wrong = records[2];
  wrong.types.front() = "CaseClosed";
  const auto refused = outbox::deliveries_of(wrong, history, "urn:escalator:370811");
  REQUIRE(!refused);
  CHECK(refused.error().message.find("is a CaseDispatched, and the record says CaseClosed") != std::string::npos);
  auto beyond = records[2];
  beyond.first_seq = beyond.last_seq = 99;
  CHECK(!outbox::deliveries_of(beyond, history, "urn:escalator:370811"));
}

}  // namespace
}  // namespace escalator
