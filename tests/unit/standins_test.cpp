// The stand-ins an embedder or a test may use: the built-in workflow (builtin_workflows.cpp), the
// weekday calendar (weekday_calendar.cpp), the sample directory (sample_directory.cpp).
#include "escalator/calendar/calendar.hpp"
#include "escalator/org/org_directory.hpp"
#include "escalator/workflow/workflow_registry.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

namespace escalator {
namespace {

// A day the sample directory holds as it was written (no record begins or ends near it).
const Timestamp kDay = *parse_time("2026-06-01T09:00:00+08:00");

using std::chrono::sys_days;

Duration working_days(std::int64_t n) { return {n, Duration::Unit::kWorkingDays}; }

const Workflow& property_first() {
  static const auto catalog = builtin_workflows();
  static const Workflow* workflow = *catalog->find({"property-first", 1});
  return *workflow;
}

WorkflowStep step(const std::string& id) {
  const Workflow& w = property_first();
  return w.steps.at(static_cast<std::size_t>(w.step_index(id)));
}

Location at(const std::string& compound) {
  Location where;
  where.district_code = "370811";
  where.compound = compound;
  return where;
}

// ---- workflow ---------------------------------------------------------------

TEST_CASE("PropertyFirstClimbsFromPropertyCompanyToDistrict") {
  const Workflow& w = property_first();
  CHECK(w.id == "property-first");
  CHECK(w.version == 1);
  CHECK(w.name == "物业先办，逐级上报");

  struct Expected {
    const char* id;
    const char* name;
    Level level;
    const char* role;
    std::int64_t resolve_days;
  };
  const std::vector<Expected> expected = {
      {"property", "物业公司", Level::kCompound, "property_company", 3},
      {"branch", "小区党支部", Level::kCompound, "party_branch", 3},
      {"grid", "网格", Level::kGrid, "grid_worker", 3},
      {"community", "社区", Level::kCommunity, "community_office", 5},
      {"street", "街道", Level::kStreet, "street_office", 5},
      {"district", "区", Level::kDistrict, "district_office", 10},
  };
  REQUIRE(w.steps.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CAPTURE(i);
    CHECK(w.steps[i].id == expected[i].id);
    CHECK(w.steps[i].name == expected[i].name);
    CHECK(w.steps[i].level == expected[i].level);
    CHECK(w.steps[i].role == expected[i].role);
    CHECK(w.steps[i].accept_within == working_days(1));
    CHECK(w.steps[i].resolve_within == working_days(expected[i].resolve_days));
  }
  CHECK(w.reply_within == working_days(15));
  CHECK(w.rating_within == Duration{3, Duration::Unit::kDays});
  CHECK(w.max_reopens == 2);
  CHECK(w.follow_up_required);
}

TEST_CASE("EveryCaseSelectsPropertyFirst") {
  const auto catalog = builtin_workflows();
  CaseState opened;
  opened.request_type = RequestType::kSuggestion;
  opened.collective = true;
  const Result<const Workflow*> selected = catalog->select(opened);
  REQUIRE(selected.has_value());
  CHECK((*selected)->id == "property-first");
  CHECK(*selected == *catalog->find({"property-first", 1}));
}

TEST_CASE("FindRefusesUnpublishedVersions") {
  const auto catalog = builtin_workflows();
  const Result<const Workflow*> found = catalog->find({"property-first", 7});
  REQUIRE_FALSE(found.has_value());
  CHECK(found.error().code == ErrorCode::kNotFound);
  CHECK(found.error().message == "No workflow property-first version 7");
  CHECK_FALSE(catalog->find({"other", 1}).has_value());
}

TEST_CASE("StepIndexFindsStepsById") {
  const Workflow& w = property_first();
  CHECK(w.step_index("property") == 0);
  CHECK(w.step_index("branch") == 1);
  CHECK(w.step_index("district") == 5);
  CHECK(w.step_index("council") == -1);
  CHECK(w.step_index("") == -1);
}

// ---- calendar ---------------------------------------------------------------

TEST_CASE("MondayToFridayAreWorkingDays") {
  const auto calendar = weekday_calendar();
  const sys_days monday = std::chrono::September / 29 / 2025;
  const std::vector<bool> expected = {true, true, true, true, true, false, false};
  for (int i = 0; i < 7; ++i) {
    CAPTURE(i);
    CHECK(calendar->is_working_day(monday + std::chrono::days{i}) == expected[i]);
  }
  CHECK(calendar->version() == "weekdays");
}

TEST_CASE("WeekdayCalendarKnowsNoHolidays") {
  // 2025-10-01 is National Day; the stand-in counts it anyway (weekday_calendar()).
  CHECK(weekday_calendar()->is_working_day(std::chrono::October / 1 / 2025));
}

// ---- directory --------------------------------------------------------------

TEST_CASE("CompleteFillsTheUnitsAboveTheCompound") {
  Location partial = at("xingfu-court");
  partial.building = "5号楼";
  partial.address = "5号楼1单元302";
  const Result<Location> full = sample_directory()->complete(partial, kDay);
  REQUIRE(full.has_value());
  CHECK(*full == Location{"370811", "jiyang", "yangguang", "yangguang-2", "xingfu-court", "5号楼",
                          "5号楼1单元302"});
}

TEST_CASE("CompleteReplacesUnitsTheDirectoryDisagreesWith") {
  Location partial = at("heping-li");
  partial.street = "济阳街道";
  partial.grid = "yangguang-2";
  const Result<Location> full = sample_directory()->complete(partial, kDay);
  REQUIRE(full.has_value());
  CHECK(full->street == "jiyang");
  CHECK(full->grid == "yangguang-1");
}

TEST_CASE("CompleteNeedsDistrictAndCompound") {
  const auto directory = sample_directory();
  const Result<Location> no_compound = directory->complete(at(""), kDay);
  REQUIRE_FALSE(no_compound.has_value());
  CHECK(no_compound.error().code == ErrorCode::kInvalidArgument);
  CHECK(no_compound.error().message ==
        "location.compound: required, unless location.building or location.address places the case");

  Location no_district = at("heping-li");
  no_district.district_code = "";
  const Result<Location> result = directory->complete(no_district, kDay);
  REQUIRE_FALSE(result.has_value());
  CHECK(result.error().code == ErrorCode::kInvalidArgument);
  CHECK(result.error().message == "location.district_code: required");
}

TEST_CASE("UnknownPlacesAreNotFound") {
  const auto directory = sample_directory();
  const Result<Location> compound = directory->complete(at("nowhere"), kDay);
  REQUIRE_FALSE(compound.has_value());
  CHECK(compound.error().code == ErrorCode::kNotFound);
  CHECK(compound.error().message == "No compound 'nowhere' in district 370811 of the directory");

  // A place that exists but is not a compound is not one.
  CHECK_FALSE(directory->complete(at("yangguang-1"), kDay).has_value());

  Location elsewhere = at("heping-li");
  elsewhere.district_code = "370802";
  const Result<Location> district = directory->complete(elsewhere, kDay);
  REQUIRE_FALSE(district.has_value());
  CHECK(district.error().code == ErrorCode::kNotFound);
  CHECK(district.error().message == "No district 370802 in the directory");
}

TEST_CASE("EveryStepHasAHolderAtEveryCompound") {
  const auto directory = sample_directory();
  struct Row {
    const char* compound;
    std::vector<std::string> holders;  // one per step of property-first, in order
  };
  const std::vector<Row> rows = {
      {"yangguang-garden",
       {"yangguang-garden.property", "yangguang-garden.branch", "yangguang-1.station",
        "yangguang.office", "jiyang.office", "370811.office"}},
      {"heping-li",
       {"heping-li.property", "yangguang.party-committee", "yangguang-1.station",
        "yangguang.office", "jiyang.office", "370811.office"}},
      {"xingfu-court",
       {"xingfu-court.property", "xingfu-court.branch", "yangguang-2.station", "yangguang.office",
        "jiyang.office", "370811.office"}},
  };
  for (const Row& row : rows) {
    const std::vector<WorkflowStep>& steps = property_first().steps;
    REQUIRE(steps.size() == row.holders.size());
    for (std::size_t i = 0; i < steps.size(); ++i) {
      CAPTURE(row.compound);
      CAPTURE(steps[i].id);
      const Result<std::string> holder = directory->holder(at(row.compound), steps[i], kDay);
      REQUIRE_MESSAGE(holder.has_value(), holder.error().message);
      CHECK(*holder == row.holders[i]);
      CHECK(directory->unit_level(*holder, kDay).has_value());
    }
  }
}

TEST_CASE("BranchFallsBackToCommunityPartyCommittee") {
  // 和平里 has no party branch (domain rule 7).
  const Result<std::string> holder = sample_directory()->holder(at("heping-li"), step("branch"), kDay);
  REQUIRE(holder.has_value());
  CHECK(*holder == "yangguang.party-committee");
}

TEST_CASE("RoleWithoutHolderOrFallbackIsNotFound") {
  WorkflowStep council = step("property");
  council.role = "lift_maintenance";
  const Result<std::string> holder = sample_directory()->holder(at("heping-li"), council, kDay);
  REQUIRE_FALSE(holder.has_value());
  CHECK(holder.error().code == ErrorCode::kNotFound);
  CHECK(holder.error().message ==
        "No unit holds role 'lift_maintenance' for compound 'heping-li' on 2026-06-01, nor any fallback");

  // A role is looked for at its step's level only: the grid worker is not a
  // compound role.
  WorkflowStep misplaced = step("grid");
  misplaced.level = Level::kCompound;
  CHECK_FALSE(sample_directory()->holder(at("heping-li"), misplaced, kDay).has_value());
}

TEST_CASE("HolderOfUnknownCompoundIsNotFound") {
  const Result<std::string> holder = sample_directory()->holder(at("nowhere"), step("grid"), kDay);
  REQUIRE_FALSE(holder.has_value());
  CHECK(holder.error().code == ErrorCode::kNotFound);
  CHECK(holder.error().message == "No compound 'nowhere' in district 370811 of the directory");
}

TEST_CASE("HasUnitKnowsOnlyUnits") {
  const auto directory = sample_directory();
  CHECK(directory->unit_level("yangguang.party-committee", kDay) == Level::kCommunity);
  CHECK(directory->unit_level("370811.office", kDay) == Level::kDistrict);
  CHECK(directory->unit_level("yangguang-garden.property", kDay) == Level::kCompound);
  CHECK_FALSE(directory->unit_level("heping-li.branch", kDay).has_value());
  CHECK_FALSE(directory->unit_level("yangguang", kDay).has_value());  // a place, not a unit
  CHECK_FALSE(directory->unit_level("", kDay).has_value());
}

}  // namespace
}  // namespace escalator
