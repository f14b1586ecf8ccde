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

#include "cli_support.hpp"
#include "commands.hpp"
#include "demo.hpp"
#include "org_commands.hpp"
#include "stats_command.hpp"
#include "store_commands.hpp"
#include "validate.hpp"
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
