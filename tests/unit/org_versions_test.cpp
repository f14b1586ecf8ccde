// The org directory kept in a store, versioned (docs/directory.md,
// "Versions"): imports store what changed, every version rebuilds as it was
// imported, and each dispatch names the version that routed it, so that
// routing again by that version at that moment gives the holder recorded.
#include "escalator/lifecycle/history.hpp"
#include "escalator/store/org_versions.hpp"

#include <doctest/doctest.h>


#include <nlohmann/json.hpp>

#include "escalator/engine/engine.hpp"
#include "escalator/org/routing.hpp"
#include "escalator/workflow/workflow_registry.hpp"
#include "sample_org.hpp"
#include "store_support.hpp"

namespace escalator {
namespace {

using Json = nlohmann::ordered_json;
using testing::sample_org;
using testing::index_of;

Timestamp at(const char* text) { return *parse_time(text); }

// The sample with one unit renamed, one removed and a party branch founded at 和平里.
Json changed_sample() {
  Json doc = sample_org();
  doc["units"][index_of(doc["units"], "xingfu-court.property")]["name"] = "幸福苑物业服务处";
  doc["units"].erase(index_of(doc["units"], "xingfu-court.council"));
  doc["units"].push_back({{"id", "heping-li.branch"}, {"name", "和平里党支部"}, {"role", "party_branch"},
                          {"place", "heping-li"}});
  return doc;
}

std::size_t records_held_at(const std::vector<StoredOrgRecord>& records, std::uint64_t version) {
  std::size_t n = 0;
  for (const auto& r : records) n += r.since <= version && (r.until == 0 || r.until > version) ? 1 : 0;
  return n;
}

// A store whose records read back with one of them altered.
struct TamperedStore final : testing::ForwardingStore {
  Result<std::vector<StoredOrgRecord>> org_records() const override {
    auto records = real->org_records();
    for (auto& r : *records) {
      if (r.key == "unit/heping-li.property") r.json.replace(r.json.find("和平里"), 9, "太平里");
    }
    return records;
  }
};

}  // namespace

TEST_CASE("AnImportStoresWhatChangedAndEveryVersionRebuildsAsImported") {
  auto store = memory_store();
  const auto first = import_org_directory(*store, sample_org().dump(), "sample-district.json", at("2026-11-01T10:00"));
  REQUIRE(first.has_value());
  REQUIRE(first->stored.has_value());
  CHECK(first->stored->version == 1);
  CHECK(first->stored->name == "任城区样例组织目录");
  const std::uint64_t held = first->stored->added;
  CHECK(held == 1 + 12 + 48 + 53 + 12 + 68);  // name, roles, places, units, people, addresses

  // The same file again is no new version.
  const auto again = import_org_directory(*store, sample_org().dump(2), "again.json", at("2026-11-02T10:00"));
  CHECK_FALSE(again->stored.has_value());
  CHECK(again->in_force == 1);

  const auto second = import_org_directory(*store, changed_sample().dump(), "changed.json", at("2026-11-03T10:00"));
  REQUIRE(second->stored.has_value());
  CHECK(second->stored->version == 2);
  CHECK(second->stored->added == 1);
  CHECK(second->stored->changed == 1);
  CHECK(second->stored->removed == 1);
  // Each record once, plus the two the second version wrote: nothing copied whole.
  const auto records = *store->org_records();
  CHECK(records.size() == held + 2);
  CHECK(records_held_at(records, 1) == held);
  CHECK(records_held_at(records, 2) == held);

  const auto v1 = stored_org_directory(*store, 1);
  const auto v2 = stored_org_directory(*store);
  REQUIRE(v1.has_value());
  REQUIRE(v2.has_value());
  CHECK((*v1)->version() == 1);
  CHECK((*v2)->version() == 2);
  CHECK((*v1)->unit("xingfu-court.council") != nullptr);
  CHECK((*v2)->unit("xingfu-court.council") == nullptr);
  CHECK((*v1)->unit("xingfu-court.property")->name == "幸福苑物业服务中心");
  CHECK((*v2)->unit("xingfu-court.property")->name == "幸福苑物业服务处");
  WorkflowStep branch;
  branch.level = Level::kCompound;
  branch.role = "party_branch";
  Location heping;
  heping.district_code = "370811";
  heping.compound = "heping-li";
  CHECK(*(*v1)->holder(heping, branch, at("2026-11-05T09:00")) == "yangguang.party-committee");
  CHECK(*(*v2)->holder(heping, branch, at("2026-11-05T09:00")) == "heping-li.branch");

  const auto missing = stored_org_directory(*store, 3);
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == ErrorCode::kNotFound);
  CHECK(missing.error().message == "the store holds org directory versions 1 to 2, not 3");
}

TEST_CASE("ARefusedImportLeavesTheDirectoryInForceUnchanged") {
  auto store = memory_store();
  REQUIRE(import_org_directory(*store, sample_org().dump(), "sample.json", at("2026-11-01T10:00")).has_value());
  Json bad = sample_org();
  bad["units"][0]["place"] = "nowhere";
  const auto refused = import_org_directory(*store, bad.dump(2), "bad.json", at("2026-11-02T10:00"));
  REQUIRE(refused.has_value());
  REQUIRE(refused->problems.size() == 1);
  CHECK(refused->problems[0].text().starts_with("bad.json:"));
  CHECK(refused->problems[0].pointer == "/units/0/place");
  CHECK_FALSE(refused->stored.has_value());
  CHECK(store->org_imports()->size() == 1);
  CHECK(refused->in_force == 1);
  CHECK((*stored_org_directory(*store))->unit("yangguang-garden.property")->place == "yangguang-garden");
}

TEST_CASE("RecordsThatNoLongerRebuildTheImportAreReportedAsDataLoss") {
  auto tampered = std::make_shared<TamperedStore>();
  tampered->real = memory_store();
  REQUIRE(import_org_directory(*tampered, sample_org().dump(), "sample.json", at("2026-11-01T10:00")).has_value());
  const auto read = stored_org_directory(*tampered);
  REQUIRE_FALSE(read.has_value());
  CHECK(read.error().code == ErrorCode::kDataLoss);
  CHECK(read.error().message.starts_with("org directory version 1: its records do not rebuild what was imported"));
}

TEST_CASE("EachDispatchNamesTheDirectoryVersionAndThatVersionRoutesItAgainAlike") {
  auto store = memory_store();
  auto clock = std::make_shared<ManualClock>(at("2026-12-30T09:00:00+08:00"));
  const auto open_engine = [&] {
    EngineOptions options;
    options.clock = clock;
    options.store = store;
    options.config.limits.worker_threads = 0;
    auto engine = Engine::open(std::move(options));
    REQUIRE_MESSAGE(engine.has_value(), engine.error().message);
    return std::move(*engine);
  };
  const auto send = [](Engine& engine, const std::string& id, const std::string& key, CommandPayload p) {
    return engine.submit(Command{id, key, std::nullopt, "test", std::move(p)}).get();
  };
  cmd::Open at_heping = testing::leak_report();
  at_heping.location.compound = "heping-li";
  at_heping.location.building = "";

  // An engine on a store that holds no directory imports the sample as version 1.
  std::string first_case;
  {
    auto engine = open_engine();
    CHECK(engine->directory()->version() == 1);
    CHECK(store->org_imports()->front().source == "sample");
    const auto opened = send(*engine, "", "V-1", at_heping);
    REQUIRE_MESSAGE(opened.has_value(), opened.error().message);
    first_case = opened->case_id;
    REQUIRE(send(*engine, first_case, "V-1/d", cmd::Dispatch{}).has_value());
  }
  // 和平里 founds a party branch; the next engine routes by version 2.
  REQUIRE(import_org_directory(*store, changed_sample().dump(), "changed.json", clock->now())->stored.has_value());
  clock->set(at("2027-01-04T09:00:00+08:00"));
  auto engine = open_engine();
  CHECK(engine->directory()->version() == 2);
  const std::string second_case = send(*engine, "", "V-2", at_heping)->case_id;
  REQUIRE(send(*engine, second_case, "V-2/d", cmd::Dispatch{}).has_value());
  REQUIRE(send(*engine, first_case, "V-1/e", cmd::Escalate{"物业未签收"}).has_value());

  const auto catalog = builtin_workflows();
  const auto workflow = *catalog->find({"property-first", 1});
  std::vector<std::pair<std::string, std::uint64_t>> routed;  // lead, version
  for (const std::string& id : {first_case, second_case}) {
    const auto history = *engine->history(id);
    for (const Event& event : history) {
      const ev::StepAssignment* to = nullptr;
      if (const auto* d = std::get_if<ev::CaseDispatched>(&event.payload)) to = &d->to;
      if (const auto* e = std::get_if<ev::CaseEscalated>(&event.payload)) to = &e->to;
      if (to == nullptr) continue;
      REQUIRE(to->directory_version.has_value());
      routed.emplace_back(to->lead_unit, *to->directory_version);
      // The version the event names, asked at the event's moment, routes it alike.
      const auto then = *stored_org_directory(*store, *to->directory_version);
      const Location where = engine->get(id)->location;
      CHECK(*lead_unit_for(*then, where, workflow->steps.at(static_cast<std::size_t>(to->step)), event.time) ==
            to->lead_unit);
    }
    // Replay gives the live state without asking the directory again.
    CHECK(*replay(history) == *engine->get(id));
  }
  // The first case keeps the company it was dispatched to in 2026; its
  // escalation goes to the branch version 2 knows. The second, dispatched in
  // 2027, goes to the new company (an effective date, not a new version).
  CHECK(routed == std::vector<std::pair<std::string, std::uint64_t>>{
                      {"heping-li.property", 1}, {"heping-li.branch", 2}, {"heping-li.property-2027", 2}});
}

}  // namespace escalator
