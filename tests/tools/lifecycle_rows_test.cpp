// Every row of the lifecycle table is taken by some scenario, and wherever a
// row is taken the engine checks that the row's events, applied, leave the
// case where the row says (case_write.cpp refuses the command otherwise). So
// running every scenario applies each row's events and compares them with
// the row's target, or its other target where the table names two.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "escalator/model/command.hpp"
#include "lifecycle.hpp"
#include "scenario.hpp"

using namespace escalator;

namespace {

std::vector<std::filesystem::path> every_scenario() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(std::string(ESCALATOR_SOURCE_DIR) + "/tests/scenarios")) {
    if (entry.path().extension() == ".scn") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string row_name(const lifecycle::TableRow& row) {
  return std::string(row.from ? to_string(*row.from) : "(no case)") + " + " +
         std::string(command_name(row.command_kind)) + " -> " + row.action;
}

}  // namespace

TEST_CASE("EveryRowOfTheTableIsTakenAndLeavesTheCaseWhereTheRowSays") {
  const auto before = lifecycle::times_taken();
  const auto files = every_scenario();
  REQUIRE(files.size() > 50);
  for (const auto& file : files) {
    auto scenario = scenario::load(file);
    REQUIRE_MESSAGE(scenario.has_value(), file.string());
    const auto verdict = scenario::run(*scenario);
    CHECK_MESSAGE(verdict.passed, file.string() << ": "
                                                << (verdict.failures.empty() ? "" : verdict.failures.front()));
  }
  const auto after = lifecycle::times_taken();
  const auto& rows = lifecycle::table();
  REQUIRE(after.size() == rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    CHECK_MESSAGE(after[i] > before[i], "no scenario takes the row " << row_name(rows[i]));
  }
}

TEST_CASE("ARowThatMovesACaseToAStepSaysItMayLeaveItWaitingForADispatcher") {
  for (const auto& row : lifecycle::table()) {
    if (!row.or_to) continue;
    CHECK(row.to == LifecycleState::kDispatched);
    CHECK(row.or_to == LifecycleState::kNew);
  }
  const auto escalate = std::find_if(lifecycle::table().begin(), lifecycle::table().end(), [](const auto& row) {
    return row.action == "escalate_to_next_step";
  });
  REQUIRE(escalate != lifecycle::table().end());
  CHECK(escalate->or_to == LifecycleState::kNew);
  CHECK(escalate->reaches(LifecycleState::kNew));
  CHECK_FALSE(escalate->reaches(LifecycleState::kAccepted));
}
