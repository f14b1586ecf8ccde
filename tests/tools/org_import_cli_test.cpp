// `escalator import org`, `escalator org versions|show|export --data`: a new
// version stored only when the file is sound and says something new, from
// JSON or from a spreadsheet saved as CSV, and written out as either.
#include <doctest/doctest.h>
#include <iconv.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli_support.hpp"
#include "escalator/engine/engine.hpp"
#include "escalator/store/store.hpp"
#include "org_commands.hpp"
#include "org_import_command.hpp"

namespace fs = std::filesystem;
using namespace escalator;
using testing::Ran;
using testing::run;
using testing::ScratchDir;

namespace {

const fs::path kSource = ESCALATOR_SOURCE_DIR;

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
  changed.insert(
      changed.find(anchor) + anchor.size(),
      "    {\"id\": \"heping-li.branch\", \"name\": \"和平里党支部\", \"role\": \"party_branch\", "
      "\"place\": \"heping-li\"},\n");
  const fs::path file = dir / "district.json";
  std::ofstream(file) << changed;
  return file;
}

std::string text_of(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// `utf8` in GB18030, as a Chinese Excel saves "CSV" (iconv, the other way
// round from the reader's).
std::string in_gb18030(const std::string& utf8) {
  const iconv_t to_gb = iconv_open("GB18030", "UTF-8");
  REQUIRE(to_gb != reinterpret_cast<iconv_t>(-1));
  std::string out(utf8.size() * 2, '\0');
  char* in = const_cast<char*>(utf8.data());
  std::size_t in_left = utf8.size();
  char* to = out.data();
  std::size_t to_left = out.size();
  REQUIRE(iconv(to_gb, &in, &in_left, &to, &to_left) != static_cast<std::size_t>(-1));
  iconv_close(to_gb);
  out.resize(out.size() - to_left);
  return out;
}

}  // namespace

TEST_CASE("ASheetSavedAsGb18030IsReadAsTheSameDirectoryNotRefused") {
  ScratchDir dir;
  std::string sheet = text_of(kSource / "org/sample-district.csv");
  sheet.erase(0, 3);  // a GB18030 file has no byte-order mark
  const std::string gbk = in_gb18030(sheet);
  REQUIRE(gbk != sheet);
  const fs::path file = dir.path / "sample-gbk.csv";
  std::ofstream(file, std::ios::binary) << gbk;
  const Ran checked = run(tools::org_command, {"check", file.string()});
  CHECK_MESSAGE(checked.code == 0, checked.out);
  CHECK(checked.out.find("read as GB18030 (GBK)") != std::string::npos);

  // The store already holds the sample: the converted sheet is the same directory.
  const fs::path data = dir.path / "data";
  store_opened_once(data);
  const Ran imported = run(tools::import_command, {"org", file.string(), "--data", data.string()});
  CHECK_MESSAGE(imported.code == 0, imported.out);
  CHECK(imported.out.ends_with("sample-gbk.csv: the same as version 1, which stays in force\n"));

  // Bytes that are neither are refused, naming the line.
  const fs::path broken = dir.path / "broken.csv";
  std::ofstream(broken, std::ios::binary) << gbk.substr(0, gbk.find('\n') + 1) << "\x81\x20\n";
  const Ran refused = run(tools::org_command, {"check", broken.string()});
  CHECK(refused.code == 1);
  CHECK(refused.out.find(broken.string() + ":2: is neither UTF-8 nor GB18030 (GBK)") != std::string::npos);
}

TEST_CASE("TheShippedSampleSheetIsTheSampleDirectoryExportedAsCsv") {
  const Ran exported = run(tools::org_command, {"export", "--format", "csv"});
  CHECK(exported.code == 0);
  CHECK(
      exported.out.starts_with("\xEF\xBB\xBF类型,编号,名称,层级,上级,兜底角色,角色,所在地点,单位,"
                               "职务,地址,生效日期,截止日期,备注\r\n"));
  CHECK(exported.out == text_of(kSource / "org/sample-district.csv"));
  const Ran checked =
      run(tools::org_command, {"check", (kSource / "org/sample-district.csv").string()});
  CHECK(checked.code == 0);
  CHECK(
      checked.out.ends_with("district 1, street 2, community 4, grid 7, compound 12, building 22, "
                            "role 12; no problems\n"));
}

TEST_CASE("ASheetImportsAsTheSameDirectoryItsJsonIsAndExportsFromTheStoreAgain") {
  ScratchDir dir;
  const fs::path data = dir.path / "data";
  store_opened_once(data);
  const std::string sheet = (kSource / "org/sample-district.csv").string();
  const Ran same = run(tools::import_command, {"org", sheet, "--data", data.string()});
  CHECK(same.code == 0);
  CHECK(same.out == "sample-district.csv: the same as version 1, which stays in force\n");

  // An administrator's edit in the sheet: 和平里 founds a party branch.
  std::string edited = text_of(sheet);
  edited += "单位,heping-li.branch,和平里党支部,,,,party_branch,heping-li,,,,2027/3/1,,新成立\r\n";
  std::ofstream(dir.path / "district.csv", std::ios::binary) << edited;
  const Ran imported = run(tools::import_command,
                           {"org", (dir.path / "district.csv").string(), "--data", data.string()});
  CHECK(imported.code == 0);
  CHECK(imported.out.find("records: 1 added, 0 changed, 0 removed\n") != std::string::npos);

  const Ran csv = run(tools::org_command, {"export", "--data", data.string(), "--format", "csv"});
  CHECK(csv.code == 0);
  CHECK(
      csv.out.find(
          "\r\n单位,heping-li.branch,和平里党支部,,,,party_branch,heping-li,,,,2027-03-01,,\r\n") !=
      std::string::npos);
  const Ran first = run(tools::org_command, {"export", "--data", data.string(), "--version", "1"});
  CHECK(first.code == 0);
  CHECK(first.out.find("heping-li.branch") == std::string::npos);
  // What the store exports reads back as the version it is.
  std::ofstream(dir.path / "exported.csv", std::ios::binary) << csv.out;
  const Ran again = run(tools::import_command,
                        {"org", (dir.path / "exported.csv").string(), "--data", data.string()});
  CHECK(again.out == "exported.csv: the same as version 2, which stays in force\n");

  std::ofstream(dir.path / "bad.csv", std::ios::binary)
      << edited << "单位,heping-li.branch2,和平里第二党支部,,,,party_branch,heping-li,,,,,,\r\n";
  const Ran refused =
      run(tools::import_command, {"org", (dir.path / "bad.csv").string(), "--data", data.string()});
  CHECK(refused.code == 1);
  const std::string line = std::to_string(std::count(edited.begin(), edited.end(), '\n') + 1);
  CHECK(
      refused.out ==
      (dir.path / "bad.csv").string() + ":" + line + ": 角色: line " +
          std::to_string(std::count(edited.begin(), edited.end(), '\n')) +
          " already plays 'party_branch' at 'heping-li', in force from 2027-03-01: one unit plays "
          "a role at a place at a time\n"
          "refused: nothing was imported; version 2 stays in force\n");
}

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

  std::ofstream(dir.path / "bad.json")
      << R"({"name": "坏目录", "roles": {}, "places": [], "units": []})";
  const std::string bad = (dir.path / "bad.json").string();
  const Ran refused = run(tools::import_command, {"org", bad, "--data", data.string()});
  CHECK(refused.code == 1);
  CHECK(refused.out.ends_with("refused: nothing was imported; version 2 stays in force\n"));

  const Ran versions = run(tools::org_command, {"versions", "--data", data.string()});
  CHECK(versions.code == 0);
  CHECK(versions.out.starts_with(
      "1  2026-11-20T09:00:00+08:00  sample  任城区样例组织目录  +194 ~0 -0  "));
  CHECK(versions.out.find("\n2  ") != std::string::npos);

  // Either version can be shown; the newest by default.
  const auto acting = [&](std::vector<std::string> which) {
    std::vector<std::string> args = {"show",        "heping-li", "--data",
                                     data.string(), "--at",      "2026-12-01T09:00"};
    args.insert(args.end(), which.begin(), which.end());
    return run(tools::org_command, args).out;
  };
  CHECK(acting({}).find("party_branch 小区党支部: heping-li.branch 和平里党支部\n") !=
        std::string::npos);
  CHECK(acting({"--version", "1"}).find("party_branch 小区党支部: yangguang.party-committee") !=
        std::string::npos);
  CHECK(run(tools::org_command, {"show", "heping-li", "--data", data.string(), "--version", "9"})
            .code == 1);
  CHECK(run(tools::import_command, {"org", file, "--data", (dir.path / "none").string()}).code ==
        1);
}
