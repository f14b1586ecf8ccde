#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "escalator/org/org_directory.hpp"
#include "escalator/org/org_directory.hpp"
#include "sample_org.hpp"

using namespace escalator;
using Json = nlohmann::ordered_json;
using escalator::testing::sample_org;

namespace {

// A day the sample directory holds as it was written (no record begins or ends near it).
const Timestamp kDay = *parse_time("2026-06-01T09:00:00+08:00");

// The problems of the shipped directory after `damage`, as "pointer: reason".
std::vector<std::string> problems_after(void (*damage)(Json&)) {
  Json doc = sample_org();
  damage(doc);
  const OrgFile read = read_org_directory(doc.dump(2), "org.json");
  CHECK(read.directory == nullptr);
  std::vector<std::string> found;
  for (const auto& p : read.problems) found.push_back(p.pointer + ": " + p.reason);
  return found;
}

Location at(const char* compound) {
  Location where;
  where.district_code = "370811";
  where.compound = compound;
  return where;
}

}  // namespace

TEST_CASE("TheShippedSampleDirectoryLoadsAndIsTheOneTheEngineRunsOn") {
  const OrgFile read = read_org_directory(sample_org().dump(), "org/sample-district.json");
  for (const auto& p : read.problems) FAIL_CHECK(p.text());
  REQUIRE(read.directory != nullptr);
  REQUIRE(sample_directory() != nullptr);
  WorkflowStep branch;
  branch.level = Level::kCompound;
  branch.role = "party_branch";
  CHECK(*read.directory->holder(at("xingfu-court"), branch, kDay) == "xingfu-court.branch");
  CHECK(*sample_directory()->holder(at("heping-li"), branch, kDay) == "yangguang.party-committee");
  CHECK(read.directory->unit_level("jiyang.office", kDay) == Level::kStreet);
  CHECK(read.directory->unit_level("nobody", kDay) == std::nullopt);
}

TEST_CASE("APlaceIsRefusedWithItsPointerWhenItsIdOrParentIsWrong") {
  // What hung from the lost id is reported too.
  CHECK(problems_after([](Json& d) { d["places"][4]["id"] = "yangguang-1"; }) ==
        std::vector<std::string>{"/places/4/id: 'yangguang-1' is already the id of /places/3",
                                 "/places/7/parent: no place 'yangguang-2' in /places",
                                 "/places/8/parent: no place 'yangguang-2' in /places",
                                 "/units/10/place: no place 'yangguang-2' in /places"});
  // A building in two compounds is one id listed twice.
  const std::string added = "/places/" + std::to_string(sample_org()["places"].size());
  CHECK(problems_after([](Json& d) {
          d["places"].push_back({{"id", "heping-li-2"}, {"name", "和平里2号楼"}, {"level", "building"},
                                 {"parent", "xingfu-court"}});
        }) == std::vector<std::string>{added + "/id: 'heping-li-2' is already the id of /places/11"});
  CHECK(problems_after([](Json& d) { d["places"][2]["parent"] = "gulou"; }) ==
        std::vector<std::string>{"/places/2/parent: no place 'gulou' in /places"});
  CHECK(problems_after([](Json& d) { d["places"][5]["parent"] = "yangguang"; }) ==
        std::vector<std::string>{
            "/places/5/parent: 'yangguang' is a community, but a compound's parent must be a grid"});
  CHECK(problems_after([](Json& d) { d["places"][1].erase("parent"); }) ==
        std::vector<std::string>{"/places/1: a street needs a parent (a district)"});
  CHECK(problems_after([](Json& d) { d["places"][0]["parent"] = "jiyang"; }) ==
        std::vector<std::string>{"/places/0/parent: a district has no parent in the directory",
                                 "/places/1/parent: the parents go round: jiyang → 370811 → jiyang"});
}

TEST_CASE("ACycleOfParentsIsRefusedAsACycle") {
  const auto found = problems_after([](Json& d) {
    d["places"][3]["parent"] = "yangguang-2";
    d["places"][4]["parent"] = "yangguang-1";
  });
  CHECK(found == std::vector<std::string>{
                     "/places/3/parent: the parents go round: yangguang-1 → yangguang-2 → yangguang-1",
                     "/places/4/parent: the parents go round: yangguang-2 → yangguang-1 → yangguang-2"});
}

TEST_CASE("AUnitIsRefusedWhenItsRoleOrPlaceIsWrongOrTaken") {
  CHECK(problems_after([](Json& d) { d["units"][0]["role"] = "property"; }) ==
        std::vector<std::string>{"/units/0/role: no role 'property' in /roles"});
  CHECK(problems_after([](Json& d) { d["units"][0]["place"] = "nowhere"; }) ==
        std::vector<std::string>{"/units/0/place: no place 'nowhere' in /places"});
  CHECK(problems_after([](Json& d) { d["units"][0]["place"] = "yangguang-1"; }) ==
        std::vector<std::string>{
            "/units/0/place: 'yangguang-1' is a grid, but role 'property_company' sits at a compound"});
  CHECK(problems_after([](Json& d) { d["units"][6]["place"] = "yangguang-garden"; }) ==
        std::vector<std::string>{"/units/6/role: /units/0 already plays 'property_company' at 'yangguang-garden'"});
  CHECK(problems_after([](Json& d) { d["units"][1]["id"] = "yangguang-garden.property"; }) ==
        std::vector<std::string>{"/units/1/id: 'yangguang-garden.property' is already the id of /units/0",
                                 "/people/1/posts/0/unit: no unit 'yangguang-garden.branch' in /units"});
}

TEST_CASE("AFallbackMustNameADeclaredRoleAtTheSameLevelOrAboveAndEnd") {
  CHECK(problems_after([](Json& d) { d["roles"]["party_branch"]["fallback"] = "party_office"; }) ==
        std::vector<std::string>{"/roles/party_branch/fallback: no role 'party_office' in /roles"});
  CHECK(problems_after([](Json& d) { d["roles"]["street_office"]["fallback"] = "community_office"; }) ==
        std::vector<std::string>{"/roles/street_office/fallback: 'community_office' sits at community, below "
                                 "street: a fallback is looked for at the role's level and above"});
  const auto found = problems_after([](Json& d) {
    d["roles"]["party_committee"]["fallback"] = "environment_property_committee";
    d["roles"]["environment_property_committee"]["fallback"] = "party_committee";
  });
  CHECK(found.size() == 2);  // each role on the circle says so
  CHECK(found[0] == "/roles/environment_property_committee/fallback: the fallbacks go round: "
                    "environment_property_committee → party_committee → environment_property_committee");
}

TEST_CASE("APostInAUnitThatDoesNotExistOrATwiceUsedPersonIdIsRefused") {
  CHECK(problems_after([](Json& d) { d["people"][0]["posts"][1]["unit"] = "yangguang.committee"; }) ==
        std::vector<std::string>{"/people/0/posts/1/unit: no unit 'yangguang.committee' in /units"});
  CHECK(problems_after([](Json& d) { d["people"][1]["id"] = "p-zhang-wei"; }) ==
        std::vector<std::string>{"/people/1/id: 'p-zhang-wei' is already the id of /people/0"});
}

TEST_CASE("AProblemNamesTheFileAndLineAndTheSchemaSpeaksFirst") {
  Json doc = sample_org();
  doc["places"][2].erase("level");
  const OrgFile read = read_org_directory(doc.dump(2), "streets/jiyang.json");
  REQUIRE(read.problems.size() == 1);
  CHECK(read.problems[0].text() == "streets/jiyang.json:" + std::to_string(read.problems[0].line) +
                                       ": /places/2/level: required, but missing");
  CHECK(read.problems[0].line > 20);  // the line of the place, not of the file

  const OrgFile broken = read_org_directory("{\"name\": \"x\",\n  \"roles\": {,}}", "x.json");
  REQUIRE(broken.problems.size() == 1);
  CHECK(broken.problems[0].line == 2);
  CHECK(broken.directory == nullptr);
  CHECK(load_org_directory_file("/nonexistent/org.json").problems[0].text() ==
        "/nonexistent/org.json:1: cannot be read");
}

TEST_CASE("AnAddressEntryIsRefusedWhenItsPlaceIsWrongOrItReadsAsAnother") {
  CHECK(problems_after([](Json& d) { d["addresses"][0]["place"] = "nowhere"; }) ==
        std::vector<std::string>{"/addresses/0/place: no place 'nowhere' in /places"});
  CHECK(problems_after([](Json& d) { d["addresses"][0]["place"] = "yangguang-1"; }) ==
        std::vector<std::string>{
            "/addresses/0/place: 'yangguang-1' is a grid, but an address names a compound or a building"});
  // Written differently, the same address: one address names one place.
  CHECK(problems_after([](Json& d) {
          d["addresses"].push_back({{"address", "阳光花园 三号楼"}, {"place", "yangguang-garden-4"}});
        }) == std::vector<std::string>{"/addresses/" + std::to_string(sample_org()["addresses"].size()) +
                                       "/address: reads as '阳光花园3栋', as /addresses/2 does: one address "
                                       "names one place"});
}

