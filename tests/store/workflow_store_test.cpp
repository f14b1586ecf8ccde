// Workflows changed while cases run (docs/workflows.md, "Versions"): each
// change kept in the store in order, every version a case names readable
// after a restart, uploads checked as `escalator validate` checks a file,
// retirement taking no new cases, and a release's own workflows taken in
// without undoing an administrator's upload.
#include <doctest/doctest.h>

#include <map>
#include <mutex>

#include "escalator/org/org_directory.hpp"
#include "escalator/store/store.hpp"
#include "escalator/store/workflows_in_force.hpp"
#include "store_layout.hpp"
#include "store_support.hpp"

using namespace escalator;
using namespace escalator::testing;

namespace {

const std::string kLeaks = leaks_workflow();

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

// kLeaks accepting within a working day instead of two hours.
const std::string kSlower = replaced(kLeaks, "\"2h\"", "\"1 working-day\"");

std::shared_ptr<WorkflowRegistry> given(const std::string& text) {
  auto registry = std::make_shared<WorkflowRegistry>();
  auto read = read_workflow(text, "workflows/leaks.json", *sample_directory());
  REQUIRE(read.problems.empty());
  REQUIRE(registry->publish(std::move(*read.workflow)).has_value());
  return registry;
}

struct Lines final : Logger {
  std::vector<std::string> seen;
  std::mutex mutex;
  void log(const LogRecord& record) override {
    std::lock_guard lock(mutex);
    if (record.level < LogLevel::kWarn) return;
    std::string line(record.message);
    for (const auto& [key, value] : record.fields) line += " " + std::string(key) + "=" + std::string(value);
    seen.push_back(line);
  }
};

std::unique_ptr<Engine> engine_with(std::shared_ptr<CaseStore> store, const std::string& workflow_text,
                                    std::shared_ptr<Logger> logger = nullptr) {
  EngineOptions options;
  options.config.limits.worker_threads = 0;
  options.clock = std::make_shared<ManualClock>(*parse_time("2025-11-11T09:00:00+08:00"));
  options.store = std::move(store);
  options.workflows = given(workflow_text);
  options.logger = std::move(logger);
  auto engine = Engine::open(std::move(options));
  REQUIRE(engine.has_value());
  return std::move(*engine);
}

std::string open_case(Engine& engine, const std::string& key) {
  auto opened = engine.submit(command("", key, leak_report())).get();
  REQUIRE(opened.has_value());
  REQUIRE(engine.submit(command(opened->case_id, key + "-d", cmd::Dispatch{})).get().has_value());
  return opened->case_id;
}

}  // namespace

TEST_CASE("AnUploadedVersionOutlivesTheServiceAndOpenCasesKeepTheirs") {
  TempDir dir;
  std::string before, after;
  {
    auto engine = engine_with(open_durable_at(dir.path()), kLeaks);
    before = open_case(*engine, "GD-1");
    const auto upload = engine->publish_workflow(kSlower, "POST /v1/workflows");
    REQUIRE(upload.has_value());
    CHECK(upload->problems.empty());
    CHECK(upload->changed);
    CHECK(upload->workflow->version == 2);
    after = open_case(*engine, "GD-2");
  }
  // Restarted with the release's workflows, which still hold version 1's content.
  auto engine = engine_with(open_durable_at(dir.path()), kLeaks);
  CHECK(engine->get(before)->workflow == WorkflowRef{"leaks", 1});
  CHECK(engine->get(before)->accept_by == *parse_time("2025-11-11T11:00:00+08:00"));  // 2h
  CHECK(engine->get(after)->workflow == WorkflowRef{"leaks", 2});
  CHECK(engine->get(after)->accept_by == *parse_time("2025-11-13T00:00:00+08:00"));  // a working day
  // Cases opened now are opened on the upload, the latest version.
  CHECK(engine->get(open_case(*engine, "GD-3"))->workflow == WorkflowRef{"leaks", 2});
  REQUIRE(engine->submit(command(before, "a", cmd::Accept{})).get().has_value());

  const auto changes = engine->workflow_changes();
  REQUIRE(changes.has_value());
  REQUIRE(changes->size() == 2);
  CHECK((*changes)[0].origin == "shipped");
  CHECK((*changes)[0].source == "workflows/leaks.json");
  CHECK((*changes)[1].origin == "uploaded");
  CHECK((*changes)[1].workflow_version == 2);
  CHECK((*changes)[1].number == 2);
}

TEST_CASE("TheSameContentAgainIsNoNewVersion") {
  auto store = memory_store();
  auto engine = engine_with(store, kLeaks);
  // Reflowed: the same workflow whatever its spacing and key order.
  const auto upload = engine->publish_workflow(replaced(kLeaks, "\"priority\": 5,", "\"priority\":   5 ,"), "upload");
  REQUIRE(upload.has_value());
  CHECK_FALSE(upload->changed);
  CHECK(upload->workflow->version == 1);
  CHECK(store->workflow_changes()->size() == 1);
}

TEST_CASE("ARefusedUploadNamesEveryProblemWithItsPointerAndLineAndChangesNothing") {
  auto store = memory_store();
  auto engine = engine_with(store, kLeaks);
  const std::string bad =
      replaced(replaced(kLeaks, "\"community_office\"", "\"caretaker\""), "\"property_company\"", "\"roofer\"");
  const auto upload = engine->publish_workflow(bad, "upload");
  REQUIRE(upload.has_value());
  REQUIRE(upload->problems.size() == 2);
  std::map<std::string, int> lines;
  for (const auto& p : upload->problems) lines[p.pointer] = p.line;
  CHECK(lines == std::map<std::string, int>{{"/steps/0/role", 7}, {"/steps/0/fallback_roles/0", 7}});
  CHECK(upload->workflow == nullptr);
  CHECK(store->workflow_changes()->size() == 1);
  CHECK(engine->get(open_case(*engine, "GD-1"))->workflow == WorkflowRef{"leaks", 1});
}

TEST_CASE("AnUploadThatWouldTakeAnotherWorkflowsCasesIsRefusedAtItsTakes") {
  auto store = memory_store();
  auto engine = engine_with(store, kLeaks);
  const auto upload = engine->publish_workflow(replaced(kLeaks, "\"leaks\"", "\"twin\""), "upload");
  REQUIRE(upload.has_value());
  REQUIRE(upload->problems.size() == 1);
  CHECK(upload->problems[0].pointer == "/takes");
  CHECK(upload->problems[0].line == 4);
  CHECK(upload->problems[0].reason ==
        "takes cases that workflow leaks (version 1) takes too, at the same priority 5: give one of them a higher "
        "priority, or retire leaks");
  CHECK(store->workflow_changes()->size() == 1);
}

TEST_CASE("ARetiredWorkflowTakesNoNewCasesItsCasesGoOnAndItStaysRetiredAfterARestart") {
  TempDir dir;
  std::string running;
  {
    auto engine = engine_with(open_durable_at(dir.path()), kLeaks);
    running = open_case(*engine, "GD-1");
    REQUIRE(*engine->set_workflow_retired("leaks", true));
    CHECK_FALSE(*engine->set_workflow_retired("leaks", true));  // already retired: nothing stored
    CHECK(engine->workflow_retired("leaks"));
    const auto refused = engine->submit(command("", "GD-2", leak_report())).get();
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == ErrorCode::kNotFound);
  }
  auto engine = engine_with(open_durable_at(dir.path()), kLeaks);
  CHECK(engine->workflow_retired("leaks"));
  CHECK_FALSE(engine->submit(command("", "GD-3", leak_report())).get().has_value());
  REQUIRE(engine->submit(command(running, "a", cmd::Accept{})).get().has_value());

  // Another workflow takes its cases now, so it cannot come back beside it.
  const auto twin = engine->publish_workflow(replaced(kLeaks, "\"leaks\"", "\"twin\""), "upload");
  REQUIRE(twin.has_value());
  REQUIRE(twin->problems.empty());
  CHECK(engine->get(open_case(*engine, "GD-4"))->workflow == WorkflowRef{"twin", 1});
  const auto clash = engine->set_workflow_retired("leaks", false);
  REQUIRE_FALSE(clash.has_value());
  CHECK(clash.error().code == ErrorCode::kFailedPrecondition);
  CHECK(clash.error().message.starts_with("Workflow leaks cannot be reinstated: it takes cases that workflow twin"));
  REQUIRE(*engine->set_workflow_retired("twin", true));
  REQUIRE(*engine->set_workflow_retired("leaks", false));
  CHECK(engine->get(open_case(*engine, "GD-5"))->workflow == WorkflowRef{"leaks", 1});

  const auto unknown = engine->set_workflow_retired("nothing", true);
  REQUIRE_FALSE(unknown.has_value());
  CHECK(unknown.error().code == ErrorCode::kNotFound);
}

TEST_CASE("AReleaseThatChangesItsWorkflowAddsTheNextVersionUnlessAnAdministratorUploadedOne") {
  auto store = memory_store();
  std::string first;
  {
    auto engine = engine_with(store, kLeaks);
    first = open_case(*engine, "GD-1");
  }
  {
    // The next release ships a changed file: version 2, and version 1's cases keep version 1.
    auto engine = engine_with(store, kSlower);
    CHECK(engine->get(first)->workflow == WorkflowRef{"leaks", 1});
    CHECK(engine->get(open_case(*engine, "GD-2"))->workflow == WorkflowRef{"leaks", 2});
    REQUIRE(engine->publish_workflow(replaced(kLeaks, "\"2h\"", "\"4h\""), "upload")->changed);  // version 3
  }
  // A release with yet other content leaves the administrator's version 3 in force, and says so.
  auto lines = std::make_shared<Lines>();
  auto engine = engine_with(store, replaced(kLeaks, "\"2h\"", "\"8h\""), lines);
  CHECK(engine->get(open_case(*engine, "GD-3"))->workflow == WorkflowRef{"leaks", 3});
  CHECK(store->workflow_changes()->size() == 3);
  REQUIRE(lines->seen.size() == 1);
  CHECK(lines->seen[0] ==
        "given workflow not taken why=workflow leaks: workflows/leaks.json differs from version 3, which an "
        "administrator uploaded; version 3 stays in force");
}

TEST_CASE("WorkflowChangesOutliveTheStoreInOrderAndADamagedOneIsDataLossNamingIt") {
  TempDir dir;
  WorkflowChange retired;
  retired.number = 2;
  retired.kind = WorkflowChange::Kind::kRetired;
  retired.at = *parse_time("2025-11-12T10:00:00+08:00");
  retired.workflow_id = "leaks";
  retired.workflow_version = 1;
  {
    auto engine = engine_with(open_durable_at(dir.path()), kLeaks);
  }
  {
    auto store = open_durable_at(dir.path());
    auto gap = retired;
    gap.number = 3;
    const auto refused = store->add_workflow_change(gap);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().message == "workflow change 3: the next number is 2");
    REQUIRE(store->add_workflow_change(retired));
  }
  {
    auto store = open_durable_at(dir.path());
    const auto changes = store->workflow_changes();
    REQUIRE(changes->size() == 2);
    CHECK((*changes)[1] == retired);
    CHECK((*changes)[0].document == given(kLeaks)->latest_of("leaks")->document);
  }
  {
    RawStore raw(dir.path());
    std::string key = "change/";
    store_layout::put_big_endian(key, 1);
    REQUIRE(raw.db().Put(rocksdb::WriteOptions(), raw.family("workflows"), key, R"({"number":1})").ok());
  }
  auto store = open_durable_at(dir.path());
  const auto read = store->workflow_changes();
  REQUIRE_FALSE(read.has_value());
  CHECK(read.error().code == ErrorCode::kDataLoss);
  CHECK(read.error().message.starts_with("workflows/change/1: "));
}

// A store that keeps no workflow changes (an embedder's own) numbers the
// given workflows as given, and a case whose version now holds other content
// is refused rather than decided on rules it was not opened on.
TEST_CASE("AStoreKeepingNoWorkflowChangesRefusesACaseWhoseVersionHoldsOtherContent") {
  auto store = std::make_shared<ForwardingStore>();
  const auto id = open_case(*engine_with(store, kLeaks), "GD-1");
  auto engine = engine_with(store, kSlower);
  const auto refused = engine->submit(command(id, "a", cmd::Accept{})).get();
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == ErrorCode::kFailedPrecondition);
  CHECK(refused.error().message.find("Expected workflow leaks version 1 with content") == 0);
  const auto upload = engine->publish_workflow(kLeaks, "upload");
  REQUIRE_FALSE(upload.has_value());
  CHECK(upload.error().message == "this store cannot keep workflow changes");
}
