#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "escalator/engine/engine.hpp"
#include "escalator/org/org_directory.hpp"
#include "escalator/workflow/workflow_registry.hpp"
#include "json_lines.hpp"
#include "store_support.hpp"

using namespace escalator;

namespace {

const std::string kLeak = escalator::testing::leaks_workflow();

Workflow read(const std::string& text) {
  auto file = read_workflow(text, "leaks.json", *sample_directory());
  REQUIRE(file.problems.empty());
  return *file.workflow;
}

}  // namespace

TEST_CASE("PointersFindTheLinesTheyAreWrittenOn") {
  const auto lines = json_pointer_lines(kLeak);
  CHECK(lines.at("/id") == 2);
  CHECK(lines.at("/takes/categories") == 4);
  CHECK(lines.at("/takes/categories/0") == 4);
  CHECK(lines.at("/steps/0") == 7);
  CHECK(lines.at("/steps/0/accept_within") == 8);
  CHECK(lines.at("/reply_within") == 10);
  CHECK(line_of(lines, "/steps/0/missing") == 7);
}

TEST_CASE("AFileIsReadIntoTheWorkflowItSays") {
  const Workflow w = read(kLeak);
  CHECK(w.id == "leaks");
  CHECK(w.priority == 5);
  REQUIRE(w.steps.size() == 1);
  CHECK(w.steps[0].accept_within == Duration{2, Duration::Unit::kHours});
  CHECK(w.reply_within == Duration{3, Duration::Unit::kWorkingDays});
  CHECK(w.rating_within == Duration{3, Duration::Unit::kDays});  // the default
  CHECK(w.follow_up_required);
  CHECK(w.max_reopens == 2);
  CHECK(w.content_hash.size() == 64);
  // Layout does not make a new version; content does.
  std::string reflowed = kLeak;
  reflowed.erase(std::remove(reflowed.begin(), reflowed.end(), '\n'), reflowed.end());
  CHECK(read(reflowed).content_hash == w.content_hash);
}

TEST_CASE("AStepsOwnWarningsReplaceTheWorkflowsForItsDeadlinesOnly") {
  const Workflow w = read(R"({
    "id": "warned", "name": "预警",
    "steps": [
      {"id": "property", "name": "物业公司", "level": "compound", "role": "property_company", "fallback_roles": ["community_office"],
       "accept_within": "1 working-day", "resolve_within": "3 working-days", "warn_before": {"resolve": "2h"}},
      {"id": "grid", "name": "网格", "level": "grid", "role": "grid_worker",
       "accept_within": "1 working-day", "resolve_within": "3 working-days"}
    ],
    "reply_within": "15 working-days",
    "warn_before": {"accept": "4 working-hours", "resolve": "1 working-day", "reply": "2 working-days"}
  })");
  using U = Duration::Unit;
  CHECK(w.warning_before(0, DeadlineKind::kResolve) == Duration{2, U::kHours});
  CHECK(w.warning_before(0, DeadlineKind::kAccept) == Duration{4, U::kWorkingHours});
  CHECK(w.warning_before(1, DeadlineKind::kResolve) == Duration{1, U::kWorkingDays});
  CHECK(w.warning_before(1, DeadlineKind::kReply) == Duration{2, U::kWorkingDays});
  CHECK(w.warning_before(-1, DeadlineKind::kReply) == Duration{2, U::kWorkingDays});
  CHECK_FALSE(w.warning_before(0, DeadlineKind::kRating).has_value());
  CHECK_FALSE(read(kLeak).warning_before(0, DeadlineKind::kAccept).has_value());
}

TEST_CASE("CategoriesMatchByPrefixAtSlashes") {
  WorkflowTakes takes;
  takes.categories = {"物业"};
  CaseState k;
  k.category = "物业/漏水";
  CHECK(takes.takes(k));
  k.category = "物业费";
  CHECK_FALSE(takes.takes(k));
  WorkflowTakes other;
  other.categories = {"物业/漏水"};
  CHECK(takes.overlaps(other));
  other.collective = true;
  takes.collective = false;
  CHECK_FALSE(takes.overlaps(other));
}

TEST_CASE("ACaseKeepsItsWorkflowVersionWhenANewOneIsPublished") {
  auto registry = std::make_shared<WorkflowRegistry>();
  REQUIRE(registry->publish(read(kLeak)) == WorkflowRef{"leaks", 1});
  // The same content again is not a new version.
  REQUIRE(registry->publish(read(kLeak)) == WorkflowRef{"leaks", 1});

  auto clock = std::make_shared<ManualClock>(*parse_time("2025-11-11T09:00:00+08:00"));
  EngineOptions options;
  options.config.limits.worker_threads = 0;
  options.clock = clock;
  options.workflows = registry;
  auto engine = std::move(*Engine::open(std::move(options)));
  cmd::Open open;
  open.category = "物业/漏水";
  open.location = Location{"370811", "", "", "", "yangguang-garden", "", ""};
  open.content = "漏水";
  open.first_contact = Party{"hotline.12345", ""};
  const auto first = engine->submit(Command{"", "GD-1", std::nullopt, "t", open}).get();
  REQUIRE(first.has_value());
  REQUIRE(engine->submit(Command{first->case_id, "d", std::nullopt, "t", cmd::Dispatch{}}).get().has_value());
  CHECK(engine->get(first->case_id)->accept_by == *parse_time("2025-11-11T11:00:00+08:00"));  // 2h

  std::string slower = kLeak;
  slower.replace(slower.find("\"2h\""), 4, "\"1 working-day\"");
  const auto upload = engine->publish_workflow(slower, "leaks.json");
  REQUIRE(upload.has_value());
  REQUIRE(upload->workflow->version == 2);

  // The old case runs on version 1 to its end; a new case gets version 2.
  REQUIRE(engine->submit(Command{first->case_id, "e", std::nullopt, "t", cmd::Accept{}}).get().has_value());
  CHECK(engine->get(first->case_id)->workflow == WorkflowRef{"leaks", 1});
  const auto history = engine->history(first->case_id);
  for (const auto& e : *history) CHECK(e.workflow == WorkflowRef{"leaks", 1});
  const auto second = engine->submit(Command{"", "GD-2", std::nullopt, "t", open}).get();
  REQUIRE(second.has_value());
  REQUIRE(engine->submit(Command{second->case_id, "d", std::nullopt, "t", cmd::Dispatch{}}).get().has_value());
  CHECK(engine->get(second->case_id)->workflow == WorkflowRef{"leaks", 2});
  CHECK(engine->get(second->case_id)->accept_by == *parse_time("2025-11-13T00:00:00+08:00"));
  // The opening event names the content too, not only the catalog's number for it.
  const auto* opened = std::get_if<ev::CaseOpened>(&history->front().payload);
  REQUIRE(opened != nullptr);
  CHECK(opened->workflow_hash == read(kLeak).content_hash);
  CHECK(engine->get(second->case_id)->workflow_hash == read(slower).content_hash);
}

TEST_CASE("ACaseKeepsTheContentItOpenedOnWhenTheGivenWorkflowChangesUnderTheSameNumber") {
  auto store = memory_store();
  auto clock = std::make_shared<ManualClock>(*parse_time("2025-11-11T09:00:00+08:00"));
  auto engine_on = [&](const std::string& workflow_text) {
    auto registry = std::make_shared<WorkflowRegistry>();
    REQUIRE(registry->publish(read(workflow_text)) == WorkflowRef{"leaks", 1});
    EngineOptions options;
    options.config.limits.worker_threads = 0;
    options.clock = clock;
    options.workflows = registry;
    options.store = store;
    return std::move(*Engine::open(std::move(options)));
  };
  cmd::Open open;
  open.category = "物业/漏水";
  open.location = Location{"370811", "", "", "", "yangguang-garden", "", ""};
  open.content = "漏水";
  open.first_contact = Party{"hotline.12345", ""};
  std::string id;
  {
    auto engine = engine_on(kLeak);
    id = engine->submit(Command{"", "GD-1", std::nullopt, "t", open}).get()->case_id;
  }
  // Restarted on a catalog whose version 1 of "leaks" is other content: the
  // store kept the first, so the case goes on by it, and the new content is
  // version 2 (a store that keeps no workflow changes refuses the case
  // instead: workflow_store_test.cpp).
  std::string other = kLeak;
  other.replace(other.find("\"2h\""), 4, "\"4h\"");
  auto engine = engine_on(other);
  REQUIRE(engine->submit(Command{id, "d", std::nullopt, "t", cmd::Dispatch{}}).get().has_value());
  CHECK(engine->get(id)->workflow == WorkflowRef{"leaks", 1});
  CHECK(engine->get(id)->accept_by == *parse_time("2025-11-11T11:00:00+08:00"));
  const auto second = engine->submit(Command{"", "GD-2", std::nullopt, "t", open}).get();
  REQUIRE(second.has_value());
  CHECK(engine->get(second->case_id)->workflow == WorkflowRef{"leaks", 2});
  CHECK(engine->get(second->case_id)->workflow_hash == read(other).content_hash);
}

TEST_CASE("PublishingRefusesAWorkflowThatWouldTakeAnothersCases") {
  WorkflowRegistry registry;
  REQUIRE(registry.publish(read(kLeak)).has_value());
  std::string twin = kLeak;
  twin.replace(twin.find("\"leaks\""), 7, "\"twin\"");
  auto refused = registry.publish(read(twin));
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().message ==
        "Expected workflow twin to take cases no other workflow takes at priority 5, but leaks (leaks.json) "
        "takes some of the same");
  CHECK_FALSE(registry.find(WorkflowRef{"twin", 1}).has_value());
}

TEST_CASE("NoWorkflowForACaseIsNotFound") {
  WorkflowRegistry registry;
  REQUIRE(registry.publish(read(kLeak)).has_value());
  CaseState k;
  k.category = "环境/噪音";
  auto none = registry.select(k);
  REQUIRE_FALSE(none.has_value());
  CHECK(none.error().message == "No workflow takes cases of category '环境/噪音', type consultation, channel hotline");
}

TEST_CASE("ADirectoryReloadMaySwapPrioritiesAllAtOnce") {
  const auto dir = std::filesystem::temp_directory_path() / "escalator-reload-test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto write = [&](const char* name, const char* id, int priority) {
    std::string text = kLeak;
    text.replace(text.find("\"leaks\""), 7, std::string("\"") + id + "\"");
    text.replace(text.find("\"priority\": 5"), 13, "\"priority\": " + std::to_string(priority));
    std::ofstream(dir / name) << text;
  };
  write("a.json", "a", 10);
  write("b.json", "b", 20);
  WorkflowRegistry registry;
  REQUIRE(registry.load_directory(dir, *sample_directory()).empty());
  CaseState leak;
  leak.category = "物业/漏水";
  CHECK((*registry.select(leak))->id == "b");
  write("a.json", "a", 20);
  write("b.json", "b", 10);
  const auto problems = registry.load_directory(dir, *sample_directory());
  CHECK(problems.empty());
  CHECK((*registry.select(leak))->id == "a");
  CHECK(registry.find(WorkflowRef{"a", 2}).has_value());
  CHECK(registry.find(WorkflowRef{"b", 1}).has_value());  // the old versions stay for their cases
  std::filesystem::remove_all(dir);
}

TEST_CASE("AWorkflowWithANumberBeyondADoubleOrAKeyGivenTwiceIsAProblemNotAnAbort") {
  const auto big = read_workflow(R"({"id": "x", "priority": 1e999})", "big.json", *sample_directory());
  REQUIRE(big.problems.size() == 1);
  CHECK(big.problems[0].text() ==
        "big.json:1: invalid JSON at byte 24: line 1, column 25: the number 1e999 is beyond the range of a double");
  CHECK_FALSE(big.workflow.has_value());

  const auto twice = read_workflow("{\n  \"id\": \"leaks\",\n  \"steps\": [{\"id\": \"a\"}, {\"id\": \"b\",\n   \"id\": \"c\"}]\n}",
                                   "twice.json", *sample_directory());
  REQUIRE(twice.problems.size() == 1);
  CHECK(twice.problems[0].text() ==
        "twice.json:3: invalid JSON: line 3: /steps/1/id: the key is given twice in one object (first on this line); "
        "give it once");
}
