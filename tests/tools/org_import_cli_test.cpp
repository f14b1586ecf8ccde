// `escalator import org` and `escalator org versions|show --data`: a new
// version stored only when the file is sound and says something new.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli_support.hpp"
#include "escalator/engine.hpp"
#include "escalator/store.hpp"
#include "org_commands.hpp"
#include "org_import_command.hpp"

namespace fs = std::filesystem;
using namespace escalator;
using testing::Ran;
using testing::ScratchDir;

namespace {

const fs::path kSource = ESCALATOR_SOURCE_DIR;

Ran run(int (*command)(const std::vector<std::string>&, const Config&, std::ostream&),
        const std::vector<std::string>& args) {
  std::ostringstream out;
  const int code = command(args, Config{}, out);
  return {code, out.str()};
}

// A store an engine has opened once: it holds the sample as version 1.
void store_opened_once(const fs::path& data) {
  DurableStoreOptions store_options;
  store_options.path = data;
  EngineOptions options;
  options.clock = std::make_shared<ManualClock>(*parse_time("2026-11-20T09:00:00+08:00"));
  options.store = *open_durable_store(store_options);
  REQUIRE(Engine::open(std::move(options)).has_value());
}

// The sample, with 和平里's new party branch.
fs::path branch_founded(const fs::path& dir) {
  std::ifstream in(kSource / "org/sample-district.json");
  std::stringstream text;
  text << in.rdbuf();
  std::string changed = text.str();
  const std::string anchor = "  \"units\": [\n";
  changed.insert(changed.find(anchor) + anchor.size(),
                 "    {\"id\": \"heping-li.branch\", \"name\": \"和平里党支部\", \"role\": \"party_branch\", "
                 "\"place\": \"heping-li\"},\n");
  const fs::path file = dir / "district.json";
  std::ofstream(file) << changed;
  return file;
}

}  // namespace

TEST_CASE("ImportingAnOrgFileStoresTheNextVersionOnlyWhenItIsSoundAndNew") {
  ScratchDir dir;
  const fs::path data = dir.path / "data";
  store_opened_once(data);
  const std::string file = branch_founded(dir.path).string();

  const Ran imported = run(tools::import_command, {"org", file, "--data", data.string()});
  CHECK(imported.code == 0);
  CHECK(imported.out == "org directory version 2: 任城区样例组织目录, from " + file +
                            "\nrecords: 1 added, 0 changed, 0 removed\n"
                            "in force for what an engine decides from when it next opens\n");
  const Ran again = run(tools::import_command, {"org", file, "--data", data.string()});
  CHECK(again.code == 0);
  CHECK(again.out == "district.json: the same as version 2, which stays in force\n");

  std::ofstream(dir.path / "bad.json") << R"({"name": "坏目录", "roles": {}, "places": [], "units": []})";
  const std::string bad = (dir.path / "bad.json").string();
  const Ran refused = run(tools::import_command, {"org", bad, "--data", data.string()});
  CHECK(refused.code == 1);
  CHECK(refused.out.ends_with("refused: nothing was imported; version 2 stays in force\n"));

  const Ran versions = run(tools::org_command, {"versions", "--data", data.string()});
  CHECK(versions.code == 0);
  CHECK(versions.out.starts_with("1  2026-11-20T09:00:00+08:00  sample  任城区样例组织目录  +194 ~0 -0  "));
  CHECK(versions.out.find("\n2  ") != std::string::npos);

  // Either version can be shown; the newest by default.
  const auto acting = [&](std::vector<std::string> which) {
    std::vector<std::string> args = {"show", "heping-li", "--data", data.string(), "--at", "2026-12-01T09:00"};
    args.insert(args.end(), which.begin(), which.end());
    return run(tools::org_command, args).out;
  };
  CHECK(acting({}).find("party_branch 小区党支部: heping-li.branch 和平里党支部\n") != std::string::npos);
  CHECK(acting({"--version", "1"}).find("party_branch 小区党支部: yangguang.party-committee") != std::string::npos);
  CHECK(run(tools::org_command, {"show", "heping-li", "--data", data.string(), "--version", "9"}).code == 1);
  CHECK(run(tools::import_command, {"org", file, "--data", (dir.path / "none").string()}).code == 1);
}
