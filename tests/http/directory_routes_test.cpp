// GET and POST /v1/directory/versions: the org directory imported while the
// service runs, in force from the next command, with nothing lost meanwhile.
#include <doctest/doctest.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include "http_support.hpp"
#include "store_support.hpp"

using namespace escalator;
using namespace escalator::testing;
using nlohmann::json;

namespace {

json sample_directory_file() {
  std::ifstream in(ESCALATOR_SOURCE_DIR "/org/sample-district.json");
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

// The sample directory with 阳光花园's property company replaced by another
// company: what a district imports when a compound changes its 物业.
std::string with_new_property_company() {
  auto directory = sample_directory_file();
  directory["name"] = "任城区组织目录（阳光花园更换物业）";
  for (auto& unit : directory["units"]) {
    if (unit["id"] == "yangguang-garden.property") {
      unit["id"] = "yangguang-garden.new-property";
      unit["name"] = "阳光花园新物业服务中心";
    }
  }
  for (auto& person : directory["people"]) {
    for (auto& post : person["posts"]) {
      if (post["unit"] == "yangguang-garden.property") post["unit"] = "yangguang-garden.new-property";
    }
  }
  return directory.dump(2);
}

std::string lead_of(RoutesHarness& h, const std::string& id) {
  return json_of(h.call("GET", "/v1/cases/" + id))["lead_unit"].get<std::string>();
}

}  // namespace

TEST_CASE("AnImportedDirectoryRoutesTheNextDispatchAndKeepsEarlierOnes") {
  RoutesHarness h;
  const auto before = h.open();
  REQUIRE(h.call("POST", "/v1/cases/" + before + "/dispatch", "{}").status == 200);
  CHECK(lead_of(h, before) == "yangguang-garden.property");
  const auto waiting = h.open();  // opened before the import, dispatched after it

  const auto imported = h.call("POST", "/v1/directory/versions", with_new_property_company());
  REQUIRE(imported.status == 201);
  const auto body = json_of(imported);
  CHECK(body["version"] == 2);
  CHECK(body["stored"] == true);
  CHECK(body["changed"] == 2);  // the directory's name, and the person whose post moved
  CHECK(body["added"] == 1);
  CHECK(body["removed"] == 1);
  CHECK(body["source"] == "POST /v1/directory/versions");

  REQUIRE(h.call("POST", "/v1/cases/" + waiting + "/dispatch", "{}").status == 200);
  CHECK(lead_of(h, waiting) == "yangguang-garden.new-property");
  CHECK(lead_of(h, before) == "yangguang-garden.property");
  // The dispatch names the version it was routed by.
  const auto history = json_of(h.call("GET", "/v1/cases/" + waiting + "/history"));
  CHECK(history["events"].back()["data"]["to"]["directory_version"] == 2);

  const auto listed = json_of(h.call("GET", "/v1/directory/versions"));
  CHECK(listed["in_force"] == 2);
  REQUIRE(listed["versions"].size() == 2);
  CHECK(listed["versions"][0]["source"] == "sample");

  // The same file again stores nothing.
  const auto again = h.call("POST", "/v1/directory/versions", with_new_property_company());
  CHECK(again.status == 200);
  CHECK(json_of(again)["stored"] == false);
  CHECK(json_of(again)["version"] == 2);
}

TEST_CASE("ARefusedDirectoryAnswersEveryProblemAndTheVersionInForceStays") {
  RoutesHarness h;
  auto directory = sample_directory_file();
  directory["units"][0]["place"] = "nowhere";
  directory["units"][1]["role"] = "roofer";
  const auto refused = h.call("POST", "/v1/directory/versions", directory.dump(2));
  const auto seen = problem_of(refused);
  CHECK(seen.status == 422);
  CHECK(seen.slug == "invalid-directory");
  const auto errors = json_of(refused)["errors"];
  REQUIRE(errors.size() >= 2);
  for (const auto& e : errors) CHECK(e["line"].get<int>() > 1);
  CHECK(json_of(h.call("GET", "/v1/directory/versions"))["in_force"] == 1);

  // A CSV with problems names its columns.
  const auto csv = h.call("POST", "/v1/directory/versions", "kind,id\nunit,x\n", {{"content-type", "text/csv"}});
  CHECK(problem_of(csv).slug == "invalid-directory");
  CHECK(!json_of(csv)["errors"].empty());

  CHECK(problem_of(h.call("POST", "/v1/directory/versions", "x", {{"content-type", "text/plain"}})).slug ==
        "unsupported-media-type");
  CHECK(problem_of(h.call("POST", "/v1/directory/versions", "{\"name\": ")).slug == "malformed-json");
  CHECK(h.call("DELETE", "/v1/directory/versions").status == 405);
}

TEST_CASE("ADirectoryImportedWhile32ClientsSendCommandsLosesNothing") {
  RoutesHarness h;
  constexpr int kClients = 32;
  constexpr int kCasesEach = 6;
  std::atomic<bool> imported{false};
  std::atomic<int> failures{0};
  std::vector<std::vector<std::pair<std::string, bool>>> opened(kClients);  // id, dispatched after the import
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      for (int i = 0; i < kCasesEach; ++i) {
        auto body = leak_body();
        body["external_id"] = "GD-" + std::to_string(c) + "-" + std::to_string(i);
        const auto answer = h.call("POST", "/v1/cases", body.dump());
        if (answer.status != 201) {
          ++failures;
          continue;
        }
        const auto id = json_of(answer)["case_id"].get<std::string>();
        const bool after = imported.load();
        if (h.call("POST", "/v1/cases/" + id + "/dispatch", "{}").status != 200) ++failures;
        opened[c].emplace_back(id, after);
      }
    });
  }
  const auto answer = h.call("POST", "/v1/directory/versions", with_new_property_company());
  imported = true;
  for (auto& client : clients) client.join();
  REQUIRE(answer.status == 201);
  CHECK(failures == 0);
  int cases = 0;
  for (const auto& mine : opened) {
    for (const auto& [id, after] : mine) {
      ++cases;
      const auto lead = lead_of(h, id);
      // Every dispatch routed by one version whole: the old company or the new.
      CHECK((lead == "yangguang-garden.property" || lead == "yangguang-garden.new-property"));
      if (after) CHECK(lead == "yangguang-garden.new-property");
    }
  }
  CHECK(cases == kClients * kCasesEach);
  CHECK(json_of(h.call("GET", "/v1/cases?limit=500"))["cases"].size() == static_cast<std::size_t>(cases));
  // And a case dispatched now goes to the new company.
  const auto now = h.open();
  REQUIRE(h.call("POST", "/v1/cases/" + now + "/dispatch", "{}").status == 200);
  CHECK(lead_of(h, now) == "yangguang-garden.new-property");
}

TEST_CASE("ACalendarNoticeIsImportedThroughTheServiceAndListed") {
  RoutesHarness h;
  const auto id = h.open();
  REQUIRE(h.call("POST", "/v1/cases/" + id + "/dispatch", "{}").status == 200);
  const auto imported = h.call("POST", "/v1/calendar/imports", extended_spring_festival_notice());
  REQUIRE(imported.status == 201);
  const auto body = json_of(imported);
  CHECK(body["stored"] == true);
  CHECK(body["version"] == 1);
  CHECK(body["year"] == 2026);
  CHECK(body["cases_checked"] == 1);
  CHECK(body["cases_moved"] == 0);  // its deadlines, in November 2025, are before the change
  CHECK(body["not_recomputed"].empty());
  CHECK(body["calendar"].get<std::string>().ends_with("+ import 1"));

  const auto listed = json_of(h.call("GET", "/v1/calendar/imports"));
  CHECK(listed["calendar"] == body["calendar"]);
  REQUIRE(listed["imports"].size() == 1);
  CHECK(listed["imports"][0]["year"] == 2026);
  CHECK(listed["imports"][0]["source"] == "POST /v1/calendar/imports");

  const auto again = h.call("POST", "/v1/calendar/imports", extended_spring_festival_notice());
  CHECK(again.status == 200);
  CHECK(json_of(again)["stored"] == false);
  CHECK(json_of(again)["version"] == 1);

  auto clash = json::parse(extended_spring_festival_notice());
  clash["holidays"][0]["to"] = "2025-12-30";  // before it starts
  const auto refused = h.call("POST", "/v1/calendar/imports", clash.dump());
  CHECK(problem_of(refused).slug == "invalid-calendar");
  CHECK(json_of(h.call("GET", "/v1/calendar/imports"))["imports"].size() == 1);
  CHECK(problem_of(h.call("POST", "/v1/calendar/imports", "{}", {{"content-type", "text/csv"}})).slug ==
        "unsupported-media-type");
  CHECK(problem_of(h.call("POST", "/v1/calendar/imports", "")).slug == "missing-field");
}
