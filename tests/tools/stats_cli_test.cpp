// `escalator stats` over the store of the hand-worked scenario: the figures it
// reports, a formula that changes exactly the rate it names, recounting, and
// the cases behind a count.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "audit_commands.hpp"
#include "cli_support.hpp"
#include "escalator/store/stats_report.hpp"
#include "scenario.hpp"
#include "stats_command.hpp"
#include "store_support.hpp"

namespace fs = std::filesystem;
using namespace escalator;

using testing::Ran;
using testing::ScratchDir;

namespace {

Ran stats_of(const std::vector<std::string>& args, const Config& config = {}) {
  std::ostringstream out;
  const int code = tools::stats_command(args, config, out);
  return {code, out.str()};
}

// The store a scenario of tests/scenarios/stats leaves: figures_by_hand.scn's by default.
fs::path store_of_the_scenario(const ScratchDir& dir, const std::string& name = "figures_by_hand") {
  const fs::path data = dir.path / "data";
  auto loaded = scenario::load(fs::path(ESCALATOR_SOURCE_DIR) / "tests/scenarios/stats" / (name + ".scn"));
  REQUIRE_MESSAGE(loaded.has_value(), loaded.error().message);
  DurableStoreOptions where;
  where.path = data;
  auto store = open_durable_store(where);
  REQUIRE_MESSAGE(store.has_value(), store.error().message);
  const auto verdict = scenario::run(*loaded, nullptr, nullptr, *store);
  REQUIRE_MESSAGE(verdict.passed, verdict.failures.front());
  return data;
}

nlohmann::json json_report(const fs::path& data, const std::string& by, const Config& config = {}) {
  const Ran ran = stats_of({"--data", data.string(), "--from", "2025-10-01", "--to", "2025-11-30", "--by", by,
                            "--json"}, config);
  REQUIRE(ran.code == 0);
  return nlohmann::json::parse(ran.out);
}

}  // namespace

TEST_CASE("TheReportGivesEachUnitsFiguresAndTheTotal") {
  ScratchDir dir;
  const fs::path data = store_of_the_scenario(dir);
  const Ran ran = stats_of({"--data", data.string(), "--from", "2025-10-01", "--to", "2025-11-30", "--by", "unit"});
  CHECK(ran.code == 0);
  // In Chinese, each unit by its id and name, columns lined up on a terminal.
  CHECK(ran.out ==
        "统计 2025-10-01 至 2025-11-30，按单位\n"
        "分组                                            受理  交办  按时签收率  办结  解决率  满意率  按时办结率  重启  逾期  逾期未办结    占比\n"
        "yangguang-garden.branch 阳光花园小区党支部         1     2      100.0%     1  100.0%   50.0%      100.0%     1     0           0   33.3%\n"
        "yangguang-garden.property 阳光花园物业服务中心     3     3       33.3%     1  100.0%  100.0%      100.0%     0     0           0  100.0%\n"
        "合计                                               5     5       60.0%     2  100.0%   66.7%      100.0%     1     0           0  100.0%\n");

  // For Excel: a byte-order mark, CRLF, every figure under its name.
  const Ran sheet = stats_of({"--data", data.string(), "--from", "2025-10-01", "--to", "2025-11-30", "--by", "unit",
                              "--csv"});
  CHECK(sheet.code == 0);
  CHECK(sheet.out.starts_with("\xEF\xBB\xBFgroup,received,handed,"));
  CHECK(sheet.out.find("\r\nyangguang-garden.branch,1,2,") != std::string::npos);
  CHECK(sheet.out.ends_with("\r\n"));
  CHECK(sheet.out.find("\n") == sheet.out.find("\r\n") + 1);

  const auto by_level = json_report(data, "level");
  REQUIRE(by_level["groups"].size() == 2);
  CHECK(by_level["groups"][0]["group"] == "branch");
  CHECK(by_level["groups"][0]["figures"]["received"] == 1);
  CHECK(by_level["groups"][0]["figures"]["reopened"] == 1);
  CHECK(by_level["groups"][1]["group"] == "property");
  CHECK(by_level["groups"][1]["figures"]["escalated"] == 1);
  CHECK(by_level["total"]["urge_rate"] == doctest::Approx(1.0 / 3.0));  // 1 urging over 5 received, 1 merged, 1 withdrawn
  CHECK(by_level["total"]["rated_no_answer"] == 0);
}

TEST_CASE("AFormulaChangesExactlyTheRatesItNames") {
  ScratchDir dir;
  const fs::path data = store_of_the_scenario(dir);
  const auto before = json_report(data, "unit");
  Config weighed;
  weighed.stats.basically_satisfied = 0.5;
  const auto after = json_report(data, "unit", weighed);
  // The branch's ratings: unsatisfied, then basically satisfied.
  CHECK(before["groups"][0]["figures"]["satisfaction_rate"] == doctest::Approx(0.5));
  CHECK(after["groups"][0]["figures"]["satisfaction_rate"] == doctest::Approx(0.25));
  CHECK(after["total"]["satisfaction_rate"] == doctest::Approx(1.5 / 3.0));
  auto rest = [](nlohmann::json report) {
    report["total"].erase("satisfaction_rate");
    for (auto& g : report["groups"]) g["figures"].erase("satisfaction_rate");
    return report;
  };
  CHECK(rest(before) == rest(after));
  // The property company's one rating was satisfied: its rate stays.
  CHECK(after["groups"][1]["figures"]["satisfaction_rate"] == 1.0);

  Config counted_in;
  counted_in.stats.merged_excluded = false;
  const auto with_merged = json_report(data, "all", counted_in);
  CHECK(with_merged["total"]["urge_rate"] == doctest::Approx(1.0 / 4.0));
  CHECK(with_merged["total"]["received"] == 5);
}

TEST_CASE("RecomputingGivesBackTheCountersAndTheCasesBehindACountAreListed") {
  ScratchDir dir;
  const fs::path data = store_of_the_scenario(dir);
  const auto kept = json_report(data, "category");
  {
    // Counters lost, stamped as counted: the report shows nothing until recomputed.
    DurableStoreOptions where;
    where.path = data;
    auto store = open_durable_store(where);
    REQUIRE(store.has_value());
    auto stamp = (*store)->stats_stamp();
    REQUIRE(stamp.has_value());
    REQUIRE(stamp->has_value());
    REQUIRE(testing::replace_counters(**store, {}, **stamp).has_value());
  }
  CHECK(json_report(data, "category")["total"]["received"] == 0);
  const Ran recomputed = stats_of({"--data", data.string(), "--from", "2025-10-01", "--to", "2025-11-30", "--by",
                                   "category", "--json", "--recompute"});
  CHECK(recomputed.code == 0);
  CHECK(nlohmann::json::parse(recomputed.out) == kept);

  const Ran listed = stats_of({"--data", data.string(), "--from", "2025-10-01", "--to", "2025-11-30", "--by",
                               "category", "--group", "物业/漏水", "--list", "received"});
  CHECK(listed.code == 0);
  CHECK(listed.out ==
        "370811-20251030-000001  1\n370811-20251103-000001  1\n370811-20251103-000002  1\nreceived = 3 from 3 cases\n");
}

// The derived counts list their cases too: each repeat call by the window in
// force, and the cases late and open on the period's last day.
TEST_CASE("TheCasesBehindRepeatCallsAndOpenOverdueAreListed") {
  ScratchDir calls_dir, late_dir;
  const fs::path calls = store_of_the_scenario(calls_dir, "repeat_calls");
  const std::vector<std::string> november{"--data", calls.string(), "--from", "2025-11-01", "--to", "2025-11-30"};
  auto with = [](std::vector<std::string> args, std::initializer_list<std::string> more) {
    args.insert(args.end(), more);
    return args;
  };
  const Ran repeats = stats_of(with(november, {"--list", "repeat_calls"}));
  CHECK(repeats.code == 0);
  CHECK(repeats.out ==
        "370811-20251113-000001  1\n370811-20251114-000001  1\n370811-20251114-000003  1\nrepeat_calls = 3 from 3 cases\n");
  Config week;
  week.stats.repeat_window_days = 7;  // @b came ten days after @a: no longer a repeat
  const Ran within_a_week = stats_of(with(november, {"--list", "repeat_calls"}), week);
  CHECK(within_a_week.out == "370811-20251114-000001  1\n370811-20251114-000003  1\nrepeat_calls = 2 from 2 cases\n");
  const Ran of_the_property = stats_of(
      with(november, {"--by", "unit", "--group", "yangguang-garden.property", "--list", "repeat_calls"}));
  CHECK(of_the_property.out == "370811-20251113-000001  1\nrepeat_calls = 1 from 1 case\n");

  const fs::path late = store_of_the_scenario(late_dir, "open_overdue");
  const Ran weekend = stats_of({"--data", late.string(), "--from", "2025-11-08", "--to", "2025-11-09", "--by", "unit",
                                "--group", "yangguang-garden.branch", "--list", "open_overdue"});
  CHECK(weekend.code == 0);
  CHECK(weekend.out == "370811-20251103-000001  1\nopen_overdue = 1 from 1 case\n");
  const Ran wednesday = stats_of({"--data", late.string(), "--from", "2025-11-05", "--to", "2025-11-05", "--list",
                                  "open_overdue"});
  CHECK(wednesday.out == "370811-20251103-000001  1\n370811-20251103-000002  1\nopen_overdue = 2 from 2 cases\n");
}

TEST_CASE("BadArgumentsAreRefusedNamingTheFlag") {
  ScratchDir dir;
  const std::string data = (dir.path / "none").string();
  CHECK(stats_of({"--data", data, "--from", "2025-10-01", "--to", "2025-11-30", "--by", "person"}).code == 2);
  CHECK(stats_of({"--data", data, "--from", "2025-11-30", "--to", "2025-10-01"}).code == 2);
  CHECK(stats_of({"--data", data, "--from", "2025-13-01", "--to", "2025-11-30"}).code == 2);
  CHECK(stats_of({"--data", data, "--from", "2025-10-01"}).code == 2);
  CHECK(stats_of({"--data", data, "--from", "2025-10-01", "--to", "2025-11-30", "--figures", "joy"}).code == 2);
  CHECK(stats_of({"--data", data, "--from", "2025-10-01", "--to", "2025-11-30", "--list", "share"}).code == 2);
  CHECK(stats_of({"--data", data, "--from", "2025-10-01", "--to", "2025-11-30"}).code == 1);  // no store
}

TEST_CASE("AuditVerifyFindsACounterThatDiffersFromTheEvents") {
  ScratchDir dir;
  const fs::path data = store_of_the_scenario(dir);
  std::ostringstream clean;
  CHECK(tools::audit_command({"verify", "--data", data.string()}, Config{}, clean) == 0);
  CHECK(clean.str().find("counters: every one agrees with a recount of the events\n") != std::string::npos);
  {
    DurableStoreOptions where;
    where.path = data;
    auto store = open_durable_store(where);
    REQUIRE(store.has_value());
    auto cells = (*store)->stats_cells(stats::kCellsFrom, stats::kCellsTo);
    REQUIRE(cells.has_value());
    stats::Cells edited(cells->begin(), cells->end());
    const stats::CellKey november{stats::Dimension::kAll, stats::Period::kMonth,
                                  stats::month_number(std::chrono::sys_days{std::chrono::year{2025} / 11 / 1}), ""};
    REQUIRE(edited.contains(november.encode()));
    edited[november.encode()].add(stats::index_of(stats::Count::kReceived), 1);
    REQUIRE(testing::replace_counters(**store, edited, **(*store)->stats_stamp()).has_value());
  }
  std::ostringstream found;
  CHECK(tools::audit_command({"verify", "--data", data.string()}, Config{}, found) == 1);
  CHECK(found.str().starts_with("BREAK stats/all/month/2025-11/: kept received=4, recounted received=3\n"));
}
