// Every kind of mistake an administrator can make in a workflow file has a file
// under tests/workflows/bad/ and, beside it, the exact problems it must give.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "validate.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path kSource = ESCALATOR_SOURCE_DIR;

std::string read(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The problems as `escalator validate` prints them, paths relative to the source tree.
std::string problems_of(const fs::path& relative) {
  const auto problems = escalator::tools::validate_workflows({kSource / relative});
  std::string text;
  const std::string prefix = kSource.string() + "/";
  for (const auto& p : problems) {
    std::string line = p.text();
    for (std::size_t at; (at = line.find(prefix)) != std::string::npos;) line.erase(at, prefix.size());
    text += line + "\n";
  }
  return text;
}

}  // namespace

TEST_CASE("EveryBadWorkflowGivesExactlyItsExpectedProblems") {
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(kSource / "tests/workflows/bad")) {
    if (entry.path().extension() != ".expected") continue;
    fs::path subject = entry.path();
    subject.replace_extension(fs::is_directory(fs::path(subject).replace_extension()) ? "" : ".json");
    const fs::path relative = fs::relative(subject, kSource);
    CAPTURE(relative.string());
    const std::string expected = read(entry.path());
    CHECK_FALSE(expected.empty());
    CHECK(problems_of(relative) == expected);
    ++cases;
  }
  CHECK(cases >= 11);
}

TEST_CASE("ShippedWorkflowsHaveNoProblems") {
  CHECK(problems_of("workflows") == "");
}

TEST_CASE("WorkflowsAreCheckedAgainstTheDirectoryTheyWillRouteBy") {
  // A district whose compounds have no party branch and whose community has no party committee.
  const auto read = escalator::read_org_directory(R"({
    "name": "无党支部的目录",
    "roles": {
      "property_company": {"name": "物业公司", "level": "compound"},
      "party_branch": {"name": "小区党支部", "level": "compound"},
      "grid_worker": {"name": "网格员", "level": "grid"},
      "community_office": {"name": "社区居委会", "level": "community"},
      "street_office": {"name": "街道办事处", "level": "street"},
      "district_office": {"name": "区政府", "level": "district"}
    },
    "places": [
      {"id": "370811", "name": "任城区", "level": "district"},
      {"id": "jiyang", "name": "济阳街道", "level": "street", "parent": "370811"},
      {"id": "yangguang", "name": "阳光社区", "level": "community", "parent": "jiyang"},
      {"id": "yangguang-1", "name": "阳光社区第一网格", "level": "grid", "parent": "yangguang"},
      {"id": "yangguang-garden", "name": "阳光花园", "level": "compound", "parent": "yangguang-1"}
    ],
    "units": [
      {"id": "yangguang-garden.property", "name": "阳光花园物业", "role": "property_company", "place": "yangguang-garden"},
      {"id": "yangguang-1.station", "name": "第一网格工作站", "role": "grid_worker", "place": "yangguang-1"},
      {"id": "yangguang.office", "name": "阳光社区居委会", "role": "community_office", "place": "yangguang"},
      {"id": "jiyang.office", "name": "济阳街道办事处", "role": "street_office", "place": "jiyang"},
      {"id": "370811.office", "name": "任城区人民政府", "role": "district_office", "place": "370811"}
    ]
  })", "no-branch.json");
  REQUIRE_MESSAGE(read.directory, (read.problems.empty() ? "" : read.problems.front().text()));
  const auto problems =
      escalator::tools::validate_workflows({kSource / "workflows/property-first.json"}, *read.directory);
  REQUIRE(problems.size() == 1);
  CHECK(problems.front().pointer == "/steps/1/role");
  CHECK(problems.front().reason ==
        "no unit at level compound holds role 'party_branch' in the org directory, nor a fallback for it");
  // The sample directory holds every role the shipped workflows name.
  CHECK(escalator::tools::validate_workflows({kSource / "workflows"}).empty());
}
