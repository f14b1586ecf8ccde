// What every subcommand's parser keeps (docs/cli.md): both spellings of an
// option's value, a clear refusal of a repeated or conflicting option, one
// default store, help that names what an option accepts; and what a new user
// found wrong, kept fixed.
#include <doctest/doctest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "commands.hpp"
#include "demo.hpp"
#include "org_commands.hpp"
#include "stats_command.hpp"
#include "store_commands.hpp"
#include "validate.hpp"
#include "audit_commands.hpp"
#include "calendar_commands.hpp"
#include "lifecycle_doc.hpp"
#include "queue_command.hpp"
#include "escalator/store/store.hpp"

namespace fs = std::filesystem;
using namespace escalator;

using testing::Ran;
using testing::ScratchDir;

namespace {

const fs::path kSource = ESCALATOR_SOURCE_DIR;

// A store with nothing in it yet, made as an engine's first open makes it.
fs::path new_store_in(const ScratchDir& dir) {
  const fs::path data = dir.path / "store";
  DurableStoreOptions where;
  where.path = data;
  REQUIRE(open_durable_store(where).has_value());
  return data;
}

// Runs from another working directory, then comes back.
struct InDirectory {
  fs::path was = fs::current_path();
  explicit InDirectory(const fs::path& there) { fs::current_path(there); }
  ~InDirectory() { fs::current_path(was); }
};

}  // namespace

TEST_CASE("AnOptionsValueMayFollowAnEqualsSignOrASpace") {
  const Ran spaced = testing::run(tools::org_command, {"show", "heping-li", "--at", "2026-06-01T09:00"});
  const Ran joined = testing::run(tools::org_command, {"show", "heping-li", "--at=2026-06-01T09:00"});
  CHECK(spaced.code == 0);
  CHECK(joined.code == 0);
  CHECK(joined.out == spaced.out);
}

TEST_CASE("ARepeatedOrConflictingOptionIsAUsageError") {
  CHECK(testing::run(tools::org_command, {"show", "heping-li", "--at", "2026-06-01T09:00", "--at", "2026-07-01T09:00"})
            .code == 2);
  CHECK(testing::run(tools::org_command, {"show", "heping-li", "--org", "a.json", "--data", "d"}).code == 2);
  CHECK(testing::run(tools::stats_command, {"--from", "2025-11-01", "--to", "2025-11-30", "--json", "--csv"}).code ==
        2);
  CHECK(testing::run(tools::org_command, {"show", "heping-li", "--bogus"}).code == 2);
  // --version N reads a store's version, so it needs the store.
  CHECK(testing::run(tools::org_command, {"show", "heping-li", "--version", "2"}).code == 2);
  // A flag given twice, as an option given twice.
  CHECK(testing::run(tools::check_command, {"--json", "--json"}).code == 2);
  CHECK(testing::run(tools::demo, {"--quiet", "--quiet"}).code == 2);
  // A subcommand that does not exist, a number that is not a whole one or is out of range.
  CHECK(testing::run(tools::org_command, {"nosuchsub"}).code == 2);
  CHECK(testing::run(tools::calendar_command, {"add", "2026-02-13T16:00", "--hours", "1.5"}).code == 2);
  CHECK(testing::run(tools::org_command, {"show", "heping-li", "--data", "d", "--version", "0"}).code == 2);
  CHECK(testing::run(tools::demo, {"--cases", "abc"}).code == 2);
}

TEST_CASE("AFailureIsSaidOnStandardErrorNotInTheOutputAScriptReads") {
  ScratchDir dir;
  const Ran missing = testing::run(tools::calendar_command, {"imports", "--data", (dir.path / "none").string(), "--json"});
  CHECK(missing.code == 1);
  CHECK(missing.out.empty());
}

TEST_CASE("AFieldWithNoValueIsNullInJson") {
  const Ran days = testing::run(tools::calendar_command, {"days", "--from", "2026-02-16", "--to", "2026-02-17", "--json"});
  REQUIRE(days.code == 0);
  const auto listed = nlohmann::json::parse(days.out);
  CHECK(listed[0]["name"] == "春节");
  CHECK(listed[0]["workday"] == false);
  const Ran ordinary = testing::run(tools::calendar_command, {"days", "--from", "2026-03-03", "--to", "2026-03-03", "--json"});
  CHECK(nlohmann::json::parse(ordinary.out)[0]["name"].is_null());
}

TEST_CASE("HelpListsEveryOptionAndTheNamesAFlagAccepts") {
  const Ran help = testing::run(tools::stats_command, {"--help"});
  CHECK(help.code == 0);
  CHECK(help.out.starts_with("Usage: escalator stats [OPTIONS]\n"));
  for (const char* shown : {"--data DIR", "--from DAY", "--to DAY", "--by DIMENSION", "--figures", "--list COUNT",
                            "--group NAME", "--json", "--csv", "--recompute", "--config FILE",
                            // names the flags take
                            "satisfaction_rate", "on_time_close_rate", "request-type", "street"}) {
    CHECK_MESSAGE(help.out.find(shown) != std::string::npos, shown);
  }
  const Ran sub = testing::run(tools::org_command, {"route", "--help"});
  CHECK(sub.code == 0);
  CHECK(sub.out.starts_with("Usage: escalator org route [OPTIONS]\n"));
}

TEST_CASE("EveryCommandThatOpensAStoreDefaultsToTheConfigurationsDataDir") {
  ScratchDir dir;
  Config config;
  config.data_dir = new_store_in(dir);
  std::ostringstream out;
  CHECK(tools::check_command({}, config, out) == 0);
  CHECK(out.str().starts_with("0 cases, 0 events checked; 0 problems"));
  config.data_dir = dir.path / "none";
  std::ostringstream missing;
  CHECK(tools::check_command({}, config, missing) == 1);
}

TEST_CASE("ADayThatIsNotInTheCalendarIsSaidToBeSo") {
  const Ran ran = testing::run(tools::stats_command, {"--from", "2025-11-01", "--to", "2025-11-31"});
  CHECK(ran.code == 2);
  // The message is on stderr; the parse is what the store's reader says.
  CHECK(ran.out.empty());
}

TEST_CASE("ListingACountByGroupNeedsTheGroup") {
  ScratchDir dir;
  Config config;
  config.data_dir = new_store_in(dir);
  std::ostringstream out;
  CHECK(tools::stats_command({"--from", "2025-11-01", "--to", "2025-11-30", "--list", "overdue", "--by", "unit"},
                             config, out) == 2);
  CHECK(out.str().empty());
  std::ostringstream whole;
  CHECK(tools::stats_command({"--from", "2025-11-01", "--to", "2025-11-30", "--list", "overdue"}, config, whole) == 0);
  CHECK(whole.str() == "overdue = 0 from 0 cases\n");
}

TEST_CASE("OrgRouteFindsTheShippedWorkflowsOutsideTheRepository") {
  ScratchDir dir;
  InDirectory elsewhere(dir.path);
  const Ran routed = testing::run(tools::org_command, {"route", "--location", "heping-li", "--workflow",
                                                       "hotline-12345", "--at", "2026-06-01T09:00"});
  CHECK_MESSAGE(routed.code == 0, routed.out);
  CHECK(routed.out.find("workflow hotline-12345 v1") != std::string::npos);
  const Ran unknown =
      testing::run(tools::org_command, {"route", "--location", "heping-li", "--workflow", "no-such-workflow"});
  CHECK(unknown.code == 2);
}

TEST_CASE("TheDemoSaysItCountsOnTheOfficialCalendar") {
  const Ran help = testing::run(tools::demo, {"--help"});
  CHECK(help.code == 0);
  CHECK(help.out.find("official working-day calendar") != std::string::npos);
  CHECK(help.out.find("Monday") == std::string::npos);
}

TEST_CASE("ValidateTakesTheDirectoryItChecksRolesAgainst") {
  const Ran ran = testing::run(tools::validate_command, {(kSource / "workflows").string()});
  CHECK_MESSAGE(ran.code == 0, ran.out);
  CHECK(ran.out == "0 problems\n");
  CHECK(testing::run(tools::validate_command, {}).code == 2);
}

TEST_CASE("DocsCliHoldsEveryCommandsHelpAsTheProgramPrintsIt") {
  std::ifstream in(kSource / "docs/cli.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  const auto begin = doc.find(tools::kHelpBeginMarker);
  const auto end = doc.find(tools::kHelpEndMarker);
  REQUIRE(begin != std::string::npos);
  REQUIRE(end != std::string::npos);
  const std::string documented =
      doc.substr(begin + std::strlen(tools::kHelpBeginMarker), end - begin - std::strlen(tools::kHelpBeginMarker));
  const std::string generated = tools::help_reference_markdown();
  if (documented != generated) {
    std::istringstream g(generated), d(documented);
    std::string gl, dl;
    int line = 1;
    while (std::getline(g, gl) && std::getline(d, dl) && gl == dl) ++line;
    FAIL_CHECK("docs/cli.md differs from the program's help at reference line "
               << line << "\n  documented: " << dl << "\n  program:    " << gl
               << "\nRegenerate with: build/tools/escalator help --update docs/cli.md");
  }
  // Every command the program lists has its section.
  for (const auto& command : tools::subcommands()) {
    if (std::string_view(command.name) == "help") continue;
    CHECK_MESSAGE(documented.find("\n### escalator " + std::string(command.name) + "\n") != std::string::npos,
                  command.name);
  }
}

namespace {

// A store of a few demo cases, made once for the tests that read one.
fs::path demo_store(const ScratchDir& dir) {
  const fs::path data = dir.path / "demo";
  std::ostringstream out;
  REQUIRE(tools::demo({"--quiet", "--cases", "6", "--seed", "3", "--data", data.string()}, Config{}, out) == 0);
  return data;
}

nlohmann::json json_of(testing::Subcommand command, std::vector<std::string> args, int code = 0) {
  args.emplace_back("--json");
  const Ran ran = testing::run(command, args);
  CHECK_MESSAGE(ran.code == code, ran.out);
  auto parsed = nlohmann::json::parse(ran.out, nullptr, false);
  REQUIRE_MESSAGE(!parsed.is_discarded(), ran.out);
  return parsed;
}

}  // namespace

TEST_CASE("EveryReadCommandAnswersInJsonForAnAuditorsScripts") {
  ScratchDir dir;
  const fs::path data = demo_store(dir);
  const std::string store = data.string();

  const auto checked = json_of(tools::check_command, {"--data", store});
  CHECK(checked["whole"] == true);
  CHECK(checked["cases"] == 6);
  CHECK(checked["problems"].empty());

  const auto audited = json_of(tools::audit_command, {"verify", "--data", store});
  CHECK(audited["whole"] == true);
  CHECK(audited["checked"]["cases"] == 6);
  CHECK(audited["checked"]["events"] == checked["events"]);
  CHECK(audited["log"]["position"] == checked["events"]);
  CHECK(audited["log"]["log_hash"].get<std::string>().size() == 64);

  const std::string case_id = "370811-20251103-000001";
  const auto replayed = json_of(tools::replay_command, {"--data", store, case_id});
  CHECK(replayed["case_id"] == case_id);
  CHECK(replayed["events"][0]["type"] == "CaseOpened");
  CHECK(replayed["events"][0]["seq"] == 1);
  CHECK(replayed["events"][1]["prev_hash"] == replayed["events"][0]["hash"]);
  CHECK(replayed["case"]["id"] == case_id);
  CHECK(replayed["hash_chain"]["whole"] == true);
  // Before its first event the case did not exist: said, and exit 1 as the text's.
  const auto before =
      json_of(tools::replay_command, {"--data", store, case_id, "--at", "2025-11-03T00:00:00+08:00"}, 1);
  CHECK(before["events"].empty());
  CHECK(before["case"].is_null());
  CHECK_FALSE(before["error"].is_null());

  CHECK(json_of(tools::queue_command, {"--data", store}).is_array());
  const auto versions = json_of(tools::org_command, {"versions", "--data", store});
  REQUIRE(versions.size() == 1);
  CHECK(versions[0]["version"] == 1);
  CHECK(versions[0]["digest"].get<std::string>().size() == 64);
  CHECK(json_of(tools::calendar_command, {"imports", "--data", store}) == nlohmann::json::array());

  const fs::path backups = dir.path / "backups";
  REQUIRE(testing::run(tools::backup_command, {"--data", store, "--to", backups.string()}).code == 0);
  const auto listed = json_of(tools::backup_command, {"--list", backups.string()});
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["id"] == 1);
  CHECK(listed[0]["files"].get<int>() > 0);
}

TEST_CASE("TheDirectoryAndTheWorkflowsAnswerInJsonToo") {
  const auto place = json_of(tools::org_command, {"show", "heping-li", "--at", "2026-06-01T09:00"});
  CHECK(place["kind"] == "place");
  CHECK(place["name"] == "和平里");
  CHECK(place["above"][0]["id"] == "yangguang-1");
  const auto unit = json_of(tools::org_command, {"show", "shuguang.office", "--at", "2026-06-01T09:00"});
  CHECK(unit["kind"] == "unit");
  CHECK(unit["people"][0]["other_posts"].size() == 2);

  const auto routed = json_of(tools::org_command, {"route", "--location", "heping-li", "--workflow", "property-first",
                                                   "--at", "2026-06-01T09:00"});
  CHECK(routed["workflow"]["id"] == "property-first");
  CHECK(routed["steps"][0]["lead"]["id"] == "heping-li.property");
  CHECK(routed["steps"][0]["lead"]["how"] == "plays property_company at 和平里");

  const auto valid = json_of(tools::validate_command, {(kSource / "workflows").string()});
  CHECK(valid["problems"].empty());
  ScratchDir dir;
  const fs::path bad = dir.path / "bad.json";
  std::ofstream(bad) << R"({"id": "x"})";
  const auto problems = json_of(tools::validate_command, {bad.string()}, 1);
  REQUIRE_FALSE(problems["problems"].empty());
  CHECK(problems["problems"][0]["file"] == bad.string());

  const auto lifecycle = json_of(tools::lifecycle_command, {});
  CHECK(lifecycle["transitions"][0]["command"] == "open");
  CHECK(lifecycle["cells"][0]["next"] == "new");
  CHECK(lifecycle["cells"][1]["refused"]["code"] == "not_found");
}
