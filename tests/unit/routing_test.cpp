// routing.hpp over the shipped sample directory and the shipped workflows:
// who each step of each workflow goes to, at every compound of the sample.
#include "escalator/org/routing.hpp"

#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "escalator/org/org_directory.hpp"
#include "escalator/workflow/workflow_registry.hpp"

namespace escalator {
namespace {

// A day the sample directory holds as it was written (no record begins or ends near it).
const Timestamp kDay = *parse_time("2026-06-01T09:00:00+08:00");

Location in_compound(const std::string& compound) {
  Location where;
  where.district_code = "370811";
  where.compound = compound;
  return where;
}

const WorkflowRegistry& shipped_workflows() {
  static const auto registry = [] {
    auto loaded = std::make_unique<WorkflowRegistry>();
    const auto problems =
        loaded->load_directory(std::string(ESCALATOR_SOURCE_DIR) + "/workflows", *sample_directory());
    for (const auto& p : problems) FAIL(p.text());
    return loaded;
  }();
  return *registry;
}

// Who each step id of the shipped workflows goes to, by compound, worked out
// by hand from org/sample-district.json and docs/directory.md. A shipped
// workflow with a step id this table lacks fails the test below.
struct Expected {
  std::map<std::string, std::string> lead;  // step id -> unit
  std::vector<std::string> council_co_handlers;
};

Expected ladder(std::string grid, std::string community, std::string street) {
  Expected e;
  e.lead = {{"grid", grid + ".station"},
            {"community", community + ".office"},
            {"street", street + ".office"},
            {"district", "370811.office"}};
  return e;
}

Expected row(std::string property, std::string branch, std::string council, std::vector<std::string> co,
             const std::string& grid, const std::string& community, const std::string& street,
             std::string alarm = {}) {
  Expected e = ladder(grid, community, street);
  e.lead["property"] = std::move(property);
  e.lead["branch"] = std::move(branch);
  e.lead["council"] = std::move(council);
  // device-alarm's property step falls to the grid worker, property-first's to the community.
  e.lead["alarm-property"] = alarm.empty() ? e.lead["property"] : std::move(alarm);
  e.council_co_handlers = std::move(co);
  return e;
}

const std::map<std::string, Expected>& by_compound() {
  static const std::map<std::string, Expected> table = {
      // Everything: property company, party branch, four-party council.
      {"yangguang-garden",
       row("yangguang-garden.property", "yangguang-garden.branch", "yangguang-garden.council",
           {"yangguang-garden.property", "yangguang.office"}, "yangguang-1", "yangguang", "jiyang")},
      // No branch, no council: the community's party committee and 环物委 act.
      {"heping-li", row("heping-li.property", "yangguang.party-committee", "yangguang.huanwuwei",
                        {"heping-li.property", "yangguang.office"}, "yangguang-1", "yangguang", "jiyang")},
      {"xingfu-court", row("xingfu-court.property", "xingfu-court.branch", "xingfu-court.council",
                           {"xingfu-court.property", "yangguang.office"}, "yangguang-2", "yangguang", "jiyang")},
      // No property company either: the workflow's own fallbacks.
      {"laocheng-yard", row("yangguang.office", "yangguang.party-committee", "yangguang.huanwuwei",
                            {"yangguang.office"}, "yangguang-2", "yangguang", "jiyang", "yangguang-2.station")},
      {"shuguang-xincun",
       row("shuguang-xincun.property", "shuguang-xincun.branch", "shuguang-xincun.council",
           {"shuguang-xincun.property", "shuguang.office"}, "shuguang-1", "shuguang", "jiyang")},
      // A factory dormitory with a branch and nothing else.
      {"dianjichang-dorm", row("shuguang.office", "dianjichang-dorm.branch", "shuguang.huanwuwei",
                               {"shuguang.office"}, "shuguang-1", "shuguang", "jiyang", "shuguang-1.station")},
      {"jingui-yuan", row("jingui-yuan.property", "shuguang.party-committee", "shuguang.huanwuwei",
                          {"jingui-yuan.property", "shuguang.office"}, "shuguang-2", "shuguang", "jiyang")},
      // The other street.
      {"yunhe-renjia", row("yunhe-renjia.property", "yunhe-renjia.branch", "yunhe-renjia.council",
                           {"yunhe-renjia.property", "yunhe.office"}, "yunhe-1", "yunhe", "guhuai")},
      {"liangshiju-dorm", row("yunhe.office", "yunhe.party-committee", "yunhe.huanwuwei", {"yunhe.office"},
                              "yunhe-1", "yunhe", "guhuai", "yunhe-1.station")},
      {"cuiliu-yuan", row("cuiliu-yuan.property", "cuiliu-yuan.branch", "yunhe.huanwuwei",
                          {"cuiliu-yuan.property", "yunhe.office"}, "yunhe-2", "yunhe", "guhuai")},
      {"wenchang-garden", row("wenchang-garden.property", "wenchang.party-committee", "wenchang-garden.council",
                              {"wenchang-garden.property", "wenchang.office"}, "wenchang-1", "wenchang", "guhuai")},
      {"gongxiaoshe-yard", row("wenchang.office", "gongxiaoshe-yard.branch", "wenchang.huanwuwei",
                               {"wenchang.office"}, "wenchang-1", "wenchang", "guhuai", "wenchang-1.station")},
  };
  return table;
}

std::string column(const Workflow& workflow, const WorkflowStep& step) {
  return workflow.id == "device-alarm" && step.id == "property" ? "alarm-property" : step.id;
}

}  // namespace

TEST_CASE("EveryStepOfEveryShippedWorkflowGoesToTheUnitTheSampleDirectoryNames") {
  const auto directory = sample_directory();
  std::set<std::string> compounds;
  for (const OrgPlace* p : directory->places_at(Level::kCompound)) compounds.insert(p->id);
  std::set<std::string> tabled;
  for (const auto& [compound, expected] : by_compound()) tabled.insert(compound);
  CHECK(compounds == tabled);  // every compound of the sample, and only those

  const auto workflows = shipped_workflows().latest();
  REQUIRE(workflows.size() == 4);
  int checked = 0;
  for (const Workflow* workflow : workflows) {
    for (const WorkflowStep& step : workflow->steps) {
      for (const auto& [compound, expected] : by_compound()) {
        CAPTURE(workflow->id);
        CAPTURE(step.id);
        CAPTURE(compound);
        const auto want = expected.lead.find(column(*workflow, step));
        REQUIRE_MESSAGE(want != expected.lead.end(), "no expectation for this step");
        const Result<std::string> lead = lead_unit_for(*directory, in_compound(compound), step, kDay);
        REQUIRE_MESSAGE(lead.has_value(), lead.error().message);
        CHECK(*lead == want->second);
        if (!step.co_handler_roles.empty()) {
          CHECK(co_handling_units_for(*directory, in_compound(compound), step, *lead, kDay) ==
                expected.council_co_handlers);
        }
        ++checked;
      }
    }
  }
  CHECK(checked == 16 * 12);
}

TEST_CASE("ACaseAtABuildingGoesWhereItsCompoundGoes") {
  const auto directory = sample_directory();
  for (const OrgPlace* building : directory->places_at(Level::kBuilding)) {
    Location at_building;
    at_building.district_code = "370811";
    at_building.building = building->id;
    const Expected& expected = by_compound().at(building->parent);
    const auto property_first = shipped_workflows().find({"property-first", 1});
    REQUIRE(property_first.has_value());
    for (const WorkflowStep& step : (*property_first)->steps) {
      CAPTURE(building->id);
      CAPTURE(step.id);
      const Result<std::string> lead = lead_unit_for(*directory, at_building, step, kDay);
      REQUIRE_MESSAGE(lead.has_value(), lead.error().message);
      CHECK(*lead == expected.lead.at(step.id));
    }
    const Result<Location> full = directory->complete(at_building, kDay);
    REQUIRE(full.has_value());
    CHECK(full->compound == building->parent);
    CHECK(full->building == building->id);
  }
}

TEST_CASE("ABuildingOutsideTheNamedCompoundOrUnknownIsRefused") {
  const auto directory = sample_directory();
  Location mixed = in_compound("heping-li");
  mixed.building = "jingui-yuan-7";
  const Result<Location> refused = directory->complete(mixed, kDay);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == ErrorCode::kInvalidArgument);
  CHECK(refused.error().message == "location.building: 'jingui-yuan-7' is in compound 'jingui-yuan', not in 'heping-li'");

  // Beside a compound, a building the directory does not know is the
  // resident's own label and stays as written.
  Location labelled = in_compound("heping-li");
  labelled.building = "2号楼3单元";
  const Result<Location> kept = directory->complete(labelled, kDay);
  REQUIRE(kept.has_value());
  CHECK(kept->building == "2号楼3单元");
  CHECK(kept->grid == "yangguang-1");

  // Alone, it places nothing.
  Location alone;
  alone.district_code = "370811";
  alone.building = "2号楼3单元";
  const Result<Location> unknown = directory->complete(alone, kDay);
  REQUIRE_FALSE(unknown.has_value());
  CHECK(unknown.error().code == ErrorCode::kNotFound);
  CHECK(unknown.error().message == "No building '2号楼3单元' in district 370811 of the directory");
}

TEST_CASE("EveryFallbackOfTheSampleIsTakenWhereItsRoleIsMissing") {
  const auto directory = sample_directory();
  const auto holder = [&](const std::string& compound, const std::string& role) {
    WorkflowStep step;
    step.level = Level::kCompound;
    step.role = role;
    const Result<std::string> unit = directory->holder(in_compound(compound), step, kDay);
    return unit ? *unit : "(" + unit.error().message + ")";
  };
  // No owners' committee: the community's 环物委 acts in its place (rule 7).
  CHECK(holder("jingui-yuan", "owners_committee") == "jingui-yuan.owners");
  CHECK(holder("heping-li", "owners_committee") == "yangguang.huanwuwei");
  CHECK(holder("cuiliu-yuan", "owners_committee") == "yunhe.huanwuwei");
  // No party branch: the community's party committee.
  CHECK(holder("gongxiaoshe-yard", "party_branch") == "gongxiaoshe-yard.branch");
  CHECK(holder("wenchang-garden", "party_branch") == "wenchang.party-committee");
  // No four-party council: the 环物委.
  CHECK(holder("jingui-yuan", "four_party_council") == "shuguang.huanwuwei");
  // No property company and no directory fallback for it: nobody, which the
  // workflow's own fallback_roles then answer (the table above).
  CHECK(holder("liangshiju-dorm", "property_company") ==
        "(No unit holds role 'property_company' for compound 'liangshiju-dorm' on 2026-06-01, nor any fallback)");
}

TEST_CASE("APersonHoldsPostsInSeveralUnits") {
  const auto directory = sample_directory();
  // 双向进入、交叉任职: a property manager who sits on the community committee.
  const std::vector<OrgPost> posts = directory->posts_of("p-zhao-min");
  REQUIRE(posts.size() == 3);
  CHECK(posts[0].unit == "shuguang-xincun.property");
  CHECK(posts[0].title == "项目经理");
  CHECK(posts[1].unit == "shuguang.office");
  CHECK(posts[2].unit == "shuguang-xincun.council");
  CHECK(posts[0].person_name == "赵敏");
  // And the committee lists her among its people.
  const std::vector<OrgPost> office = directory->posts_in("shuguang.office");
  REQUIRE(office.size() == 1);
  CHECK(office[0].person == "p-zhao-min");
  CHECK(office[0].title == "兼职委员");
  CHECK(directory->posts_of("p-nobody").empty());
}

}  // namespace escalator

namespace escalator {

TEST_CASE("AnAddressIsPlacedByTheLongestEntryOfTheAddressTableItBeginsWith") {
  const auto directory = sample_directory();
  const auto placed = [&](const std::string& address) {
    const OrgPlace* place = directory->place_of_address(address, kDay);
    return place == nullptr ? std::string("(none)") : place->id;
  };
  CHECK(placed("金桂苑7号楼") == "jingui-yuan-7");
  // Written differently, the same building.
  CHECK(placed("金桂苑 七号楼") == "jingui-yuan-7");
  CHECK(placed("金桂苑7幢") == "jingui-yuan-7");
  CHECK(placed("金桂路１８号7栋") == "jingui-yuan-7");
  // Below the building: the resident's door, which the table does not hold.
  CHECK(placed("金桂苑7号楼2单元501室") == "jingui-yuan-7");
  // A building the table does not list: its compound.
  CHECK(placed("金桂苑9号楼3单元") == "jingui-yuan");
  CHECK(placed("金桂路18号") == "jingui-yuan");
  // Never a near match: another number, a typo, a prefix the table lacks.
  CHECK(placed("金桂路19号") == "(none)");
  CHECK(placed("金贵苑7号楼") == "(none)");
  CHECK(placed("济宁市任城区金桂苑7号楼") == "(none)");
  CHECK(placed("") == "(none)");
}

TEST_CASE("ACaseAtAnAddressIsPlacedAndRoutedAndAnUnknownAddressIsNotRepeated") {
  const auto directory = sample_directory();
  Location by_address;
  by_address.district_code = "370811";
  by_address.address = "粮食局街7号1号楼2单元302";
  const Result<Location> full = directory->complete(by_address, kDay);
  REQUIRE_MESSAGE(full.has_value(), full.error().message);
  CHECK(full->building == "liangshiju-dorm-1");
  CHECK(full->compound == "liangshiju-dorm");
  CHECK(full->grid == "yunhe-1");
  CHECK(full->street == "guhuai");
  CHECK(full->address == by_address.address);  // kept, as personal data, for the resident's door

  Location unknown = by_address;
  unknown.address = "光明路99号3单元";
  const Result<Location> refused = directory->complete(unknown, kDay);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == ErrorCode::kNotFound);
  CHECK(refused.error().message == "location.address: matches no entry of the directory's address table");

  // A compound or building given wins over the address.
  Location both = by_address;
  both.compound = "heping-li";
  CHECK(directory->complete(both, kDay)->compound == "heping-li");
}

}  // namespace escalator
