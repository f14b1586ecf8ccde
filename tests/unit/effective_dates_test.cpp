// Effective-dated directory records (docs/directory.md, "Effective dates"):
// routing answers as the directory is at the moment asked about, and a file
// whose dates cannot all hold at once is refused with every problem located.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "escalator/org/org_directory.hpp"
#include "escalator/org/routing.hpp"
#include "escalator/org/org_directory.hpp"
#include "escalator/workflow/workflow_registry.hpp"
#include "sample_org.hpp"

namespace escalator {
namespace {

using Json = nlohmann::ordered_json;
using testing::sample_org;
using testing::index_of;

Timestamp at(const char* text) { return *parse_time(text); }

std::vector<std::string> problems_of(const Json& doc) {
  const OrgFile read = read_org_directory(doc.dump(2), "org.json");
  CHECK(read.directory == nullptr);
  std::vector<std::string> found;
  for (const auto& p : read.problems) found.push_back(p.pointer + ": " + p.reason);
  return found;
}

Location in_compound(const std::string& compound) {
  Location where;
  where.district_code = "370811";
  where.compound = compound;
  return where;
}

WorkflowStep step(Level level, const std::string& role) {
  WorkflowStep s;
  s.level = level;
  s.role = role;
  return s;
}

std::string holder(const OrgDirectory& directory, const std::string& compound, const WorkflowStep& s, Timestamp when) {
  const Result<std::string> unit = directory.holder(in_compound(compound), s, when);
  return unit ? *unit : "(" + unit.error().message + ")";
}

// A compound the sample does not have, built in 2027.
const Json kNewCompound = {{"id", "xinjian-yuan"}, {"name", "新建苑"}, {"level", "compound"},
                           {"parent", "yangguang-1"}, {"valid_from", "2027-03-01"}};

}  // namespace

TEST_CASE("TheSampleChangesPropertyCompaniesAtTheStartOf2027") {
  const auto directory = sample_directory();
  const WorkflowStep property = step(Level::kCompound, "property_company");
  const Timestamp last_moment = at("2026-12-31T23:59:59+08:00");
  const Timestamp new_year = at("2027-01-01T00:00:00+08:00");
  // 和平里 changes company; the day is China's, not UTC's.
  CHECK(holder(*directory, "heping-li", property, last_moment) == "heping-li.property");
  CHECK(holder(*directory, "heping-li", property, new_year) == "heping-li.property-2027");
  CHECK(holder(*directory, "heping-li", property, at("2026-12-31T16:00:00Z")) == "heping-li.property-2027");
  // 老城大院 had none, so the workflow's fallback took the case; from 2027 it has one.
  const auto catalog = builtin_workflows();
  const auto workflow = catalog->find({"property-first", 1});
  REQUIRE(workflow.has_value());
  const WorkflowStep& first = (*workflow)->steps.front();
  CHECK(*lead_unit_for(*directory, in_compound("laocheng-yard"), first, last_moment) == "yangguang.office");
  CHECK(*lead_unit_for(*directory, in_compound("laocheng-yard"), first, new_year) == "laocheng-yard.property");
  // A unit that has ended is no longer one a dispatcher may name.
  CHECK(directory->unit_level("heping-li.property", last_moment) == Level::kCompound);
  CHECK_FALSE(directory->unit_level("heping-li.property", new_year).has_value());
  CHECK_FALSE(directory->unit_level("laocheng-yard.property", last_moment).has_value());
}

TEST_CASE("ACompoundMovedToAnotherGridIsRoutedByTheGridOfTheDay") {
  // 网格调整: from 2027 和平里 belongs to the second grid. Its buildings, undated,
  // hang from whichever record of it is in force.
  Json doc = sample_org();
  const std::size_t heping = index_of(doc["places"], "heping-li");
  doc["places"][heping]["valid_to"] = "2026-12-31";
  Json moved = doc["places"][heping];
  moved.erase("valid_to");
  moved["valid_from"] = "2027-01-01";
  moved["parent"] = "yangguang-2";
  doc["places"].push_back(moved);
  const OrgFile read = read_org_directory(doc.dump(), "org.json");
  for (const auto& p : read.problems) FAIL_CHECK(p.text());
  REQUIRE(read.directory != nullptr);
  const OrgChart& chart = *read.directory;
  const WorkflowStep grid = step(Level::kGrid, "grid_worker");
  CHECK(holder(chart, "heping-li", grid, at("2026-12-31T18:00:00+08:00")) == "yangguang-1.station");
  CHECK(holder(chart, "heping-li", grid, at("2027-01-02T09:00:00+08:00")) == "yangguang-2.station");
  Location building;
  building.district_code = "370811";
  building.building = "heping-li-2";
  CHECK(chart.complete(building, at("2026-06-01T09:00:00+08:00"))->grid == "yangguang-1");
  CHECK(chart.complete(building, at("2027-06-01T09:00:00+08:00"))->grid == "yangguang-2");
  CHECK(chart.place("heping-li", at("2027-06-01T09:00:00+08:00"))->parent == "yangguang-2");
}

TEST_CASE("APlaceIsNotThereBeforeItBeginsNorAfterItEnds") {
  Json doc = sample_org();
  doc["places"].push_back(kNewCompound);
  doc["addresses"].push_back({{"address", "新建苑"}, {"place", "xinjian-yuan"}, {"valid_from", "2027-03-01"}});
  const OrgFile read = read_org_directory(doc.dump(), "org.json");
  for (const auto& p : read.problems) FAIL_CHECK(p.text());
  REQUIRE(read.directory != nullptr);
  const Result<Location> early = read.directory->complete(in_compound("xinjian-yuan"), at("2027-02-28T12:00"));
  REQUIRE_FALSE(early.has_value());
  CHECK(early.error().code == ErrorCode::kNotFound);
  CHECK(early.error().message == "compound 'xinjian-yuan' is not in the directory on 2027-02-28: it is there from "
                                 "2027-03-01");
  CHECK(read.directory->complete(in_compound("xinjian-yuan"), at("2027-03-01T08:00"))->grid == "yangguang-1");
  // Its address matches only from the day it holds.
  CHECK(read.directory->place_of_address("新建苑3号楼", at("2027-02-28T12:00")) == nullptr);
  CHECK(read.directory->place_of_address("新建苑3号楼", at("2027-03-01T12:00"))->id == "xinjian-yuan");
}

TEST_CASE("DatesThatCannotAllHoldAreRefusedWithTheirPointers") {
  const Json sample = sample_org();
  const std::size_t units = sample["units"].size();
  const std::size_t places = sample["places"].size();
  const std::size_t addresses = sample["addresses"].size();
  const std::size_t old_company = index_of(sample["units"], "heping-li.property");
  const std::size_t new_company = index_of(sample["units"], "heping-li.property-2027");
  {
    // The schema speaks first: a day not written YYYY-MM-DD.
    Json doc = sample;
    doc["units"][2]["valid_to"] = "2027-1-1";
    CHECK(problems_of(doc) == std::vector<std::string>{
                                  "/units/2/valid_to: must be a day, YYYY-MM-DD (China Standard Time), but is "
                                  "\"2027-1-1\""});
  }
  {
    Json doc = sample;
    doc["units"][6]["valid_from"] = "2026-02-30";
    doc["units"][7]["valid_from"] = "2027-01-01";
    doc["units"][7]["valid_to"] = "2026-12-31";
    CHECK(problems_of(doc) == std::vector<std::string>{
                                  "/units/6/valid_from: there is no day 2026-02-30",
                                  "/units/7/valid_to: 2026-12-31 is before valid_from 2027-01-01"});
  }
  {
    // Two companies at 和平里 in December 2026.
    Json doc = sample;
    doc["units"][new_company]["valid_from"] = "2026-12-01";
    CHECK(problems_of(doc) == std::vector<std::string>{
                                  "/units/" + std::to_string(new_company) + "/role: /units/" +
                                  std::to_string(old_company) +
                                  " already plays 'property_company' at 'heping-li', in force to 2026-12-31: one "
                                  "unit plays a role at a place at a time"});
  }
  {
    // A unit, a building and an address before their compound is built.
    Json doc = sample;
    doc["places"].push_back(kNewCompound);
    doc["places"].push_back({{"id", "xinjian-yuan-1"}, {"name", "新建苑1号楼"}, {"level", "building"},
                             {"parent", "xinjian-yuan"}});
    doc["units"].push_back({{"id", "xinjian-yuan.property"}, {"name", "新建苑物业"}, {"role", "property_company"},
                            {"place", "xinjian-yuan"}, {"valid_from", "2027-02-01"}});
    doc["addresses"].push_back({{"address", "新建苑"}, {"place", "xinjian-yuan"}});
    CHECK(problems_of(doc) ==
          std::vector<std::string>{
              "/places/" + std::to_string(places + 1) +
                  "/parent: 'xinjian-yuan-1' is in force always, but 'xinjian-yuan' is there only from 2027-03-01",
              "/units/" + std::to_string(units) +
                  "/place: 'xinjian-yuan.property' is in force from 2027-02-01, but 'xinjian-yuan' is there only "
                  "from 2027-03-01",
              "/addresses/" + std::to_string(addresses) +
                  "/place: the entry is in force always, but 'xinjian-yuan' is there only from 2027-03-01"});
  }
  {
    // A post outlasting its unit; a place listed twice for the same time.
    Json doc = sample;
    const std::size_t wang = index_of(doc["people"], "p-wang-fang");
    doc["people"][wang]["posts"][1].erase("valid_to");
    Json again = doc["places"][index_of(doc["places"], "heping-li")];
    again["valid_from"] = "2027-01-01";
    doc["places"].push_back(again);
    CHECK(problems_of(doc) ==
          std::vector<std::string>{
              "/places/" + std::to_string(places) + "/id: 'heping-li' is already the id of /places/" +
                  std::to_string(index_of(sample["places"], "heping-li")) +
                  ", in force always: a place's records must follow one another in time",
              "/people/" + std::to_string(wang) +
                  "/posts/1/unit: the post is in force always, but 'heping-li.property' is there only to "
                  "2026-12-31"});
  }
}

}  // namespace escalator
