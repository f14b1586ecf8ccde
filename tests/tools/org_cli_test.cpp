// `escalator org show|route|check`: what an administrator sees of the
// directory and of routing, over the shipped sample and workflows.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "cli_support.hpp"
#include "org_commands.hpp"

namespace fs = std::filesystem;
using namespace escalator;

using testing::Ran;
using testing::ScratchDir;

namespace {

const fs::path kSource = ESCALATOR_SOURCE_DIR;

// Asked on a day before the sample's dated changes (2027-01-01), unless a test names its own.
Ran org(std::vector<std::string> args) {
  if ((args.front() == "show" || args.front() == "route") &&
      std::find(args.begin(), args.end(), "--at") == args.end()) {
    args.insert(args.end(), {"--at", "2026-06-01T09:00"});
  }
  return testing::run(tools::org_command, args);
}

std::vector<std::string> shipped_workflows() { return {"--workflows", (kSource / "workflows").string()}; }

Ran route(const std::string& location, const std::string& workflow) {
  std::vector<std::string> args = {"route", "--location", location, "--workflow", workflow};
  for (auto& a : shipped_workflows()) args.push_back(a);
  return org(args);
}

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.starts_with(line + "\n");
}

}  // namespace

TEST_CASE("OrgShowGivesAUnitWithItsPlaceAndItsPeoplesOtherPosts") {
  const Ran shown = org({"show", "shuguang.office"});
  CHECK(shown.code == 0);
  CHECK(shown.out ==
        "unit     shuguang.office 曙光社区居委会\n"
        "role     community_office 社区居委会 (community)\n"
        "place    shuguang 曙光社区\n"
        "above    jiyang 济阳街道 → 370811 任城区\n"
        "people   p-zhao-min 赵敏, 兼职委员; also 项目经理 of shuguang-xincun.property 曙光新村物业服务中心; "
        "also 成员 of shuguang-xincun.council 曙光新村四方议事会\n");
}

TEST_CASE("OrgShowGivesACompoundWithWhoActsForEachOfItsRoles") {
  const Ran shown = org({"show", "heping-li"});
  CHECK(shown.code == 0);
  // Every record, dated ones marked by when they hold; who acts is as on the day asked about.
  CHECK(has_line(shown.out, "units    heping-li.property 和平里物业服务中心 (property_company) [to 2026-12-31]"));
  CHECK(has_line(shown.out,
                 "         heping-li.property-2027 济宁安居物业和平里项目部 (property_company) [from 2027-01-01]"));
  CHECK(has_line(shown.out, "acting   four_party_council 四方议事会: yangguang.huanwuwei 阳光社区环物委 "
                            "(fallback: environment_property_committee)"));
  CHECK(has_line(shown.out, "         owners_committee 业主委员会（业委会）: yangguang.huanwuwei 阳光社区环物委 "
                            "(fallback: environment_property_committee)"));
  CHECK(has_line(shown.out, "         party_branch 小区党支部: yangguang.party-committee 阳光社区党委 "
                            "(fallback: party_committee)"));
  CHECK(has_line(shown.out, "         property_company 物业公司: heping-li.property 和平里物业服务中心"));
  // 老城大院 has no property company, and the directory names no fallback for one.
  CHECK(has_line(org({"show", "laocheng-yard"}).out, "         property_company 物业公司: nobody"));
  // From 2027 both compounds have a new property company.
  const Ran in_2027 = org({"show", "heping-li", "--at", "2027-01-05T09:00"});
  CHECK(has_line(in_2027.out, "         property_company 物业公司: heping-li.property-2027 济宁安居物业和平里项目部"));
  CHECK(has_line(org({"show", "laocheng-yard", "--at", "2027-01-01T00:00"}).out,
                 "         property_company 物业公司: laocheng-yard.property 老城大院物业服务站"));
  CHECK(org({"show", "heping-li", "--at", "next year"}).code == 2);
}

TEST_CASE("OrgShowGivesAPersonsPostsAndRefusesAnUnknownId") {
  const Ran person = org({"show", "p-wang-fang"});
  CHECK(person.code == 0);
  CHECK(person.out ==
        "person   p-wang-fang 王芳\n"
        "posts    专职网格员 of yangguang-1.station 阳光社区第一网格工作站 (grid_worker 网格员 at 阳光社区第一网格)\n"
        "         物业管家 of heping-li.property 和平里物业服务中心 (property_company 物业公司 at 和平里) [to 2026-12-31]\n");
  CHECK(org({"show", "nobody"}).code == 1);
  CHECK(org({"show"}).code == 2);
}

TEST_CASE("OrgRouteNamesTheLeadOfEveryStepAndHowItWasFound") {
  const Ran routed = route("jingui-yuan-7", "property-first");
  CHECK(routed.code == 0);
  CHECK(routed.out.starts_with("location jingui-yuan-7 金桂苑7号楼 → jingui-yuan 金桂苑 → shuguang-2 曙光社区第二网格 → "
                               "shuguang 曙光社区 → jiyang 济阳街道 → 370811 任城区\n"
                               "workflow property-first v1 "));
  CHECK(has_line(routed.out, "   lead         jingui-yuan.property 金桂苑物业服务中心: plays property_company at 金桂苑"));
  CHECK(has_line(routed.out, "   lead         shuguang.party-committee 曙光社区党委: the directory's fallback for "
                             "party_branch: party_committee at 曙光社区"));
  CHECK(has_line(routed.out, "   lead         shuguang-2.station 曙光社区第二网格工作站: plays grid_worker at 曙光社区第二网格"));

  const Ran no_property = route("liangshiju-dorm", "property-first");
  CHECK(has_line(no_property.out, "   lead         yunhe.office 运河社区居委会: the workflow's fallback_roles: "
                                  "community_office at 运河社区"));
  const Ran council = route("laocheng-yard", "collective-council");
  CHECK(has_line(council.out, "   co-handling  yangguang.office 阳光社区居委会"));
}

TEST_CASE("OrgRouteExitsOneWhenAStepReachesNobody") {
  ScratchDir dir;
  std::ofstream(dir.path / "lifts.json") << R"({
    "id": "lifts", "name": "电梯困人", "takes": {"categories": ["电梯"]},
    "steps": [{"id": "property", "name": "物业公司", "level": "compound", "role": "property_company",
               "accept_within": "1h", "resolve_within": "2h"}],
    "reply_within": "1 working-day"})";
  const Ran routed =
      org({"route", "--location", "laocheng-yard", "--workflow", "lifts", "--workflows", dir.path.string()});
  // A step that reaches nobody at some compound is refused with the workflow,
  // naming them (validate_test holds the words), before anything is routed.
  CHECK(routed.code == 1);
  CHECK(routed.out.find("lead") == std::string::npos);
  CHECK(route("yangguang", "property-first").code == 2);  // a community is not where a case is
  CHECK(route("heping-li", "no-such-workflow").code == 2);
}

TEST_CASE("OrgCheckSaysWhatAFileHoldsOrEveryProblem") {
  const std::string sample = (kSource / "org/sample-district.json").string();
  const Ran good = org({"check", sample});
  CHECK(good.code == 0);
  CHECK(good.out == sample + ": 任城区样例组织目录: district 1, street 2, community 4, grid 7, compound 12, "
                             "building 22, role 12; no problems\n");
  ScratchDir dir;
  const fs::path bad = dir.path / "bad.json";
  std::ofstream(bad) << R"({"name": "坏目录", "roles": {"street_office": {"name": "街道办事处", "level": "street"}}, "places": [
  {"id": "370811", "name": "任城区", "level": "district"},
  {"id": "jiyang", "name": "济阳街道", "level": "street", "parent": "gulou"}
], "units": []})";
  const Ran refused = org({"check", bad.string()});
  CHECK(refused.code == 1);
  CHECK(refused.out == bad.string() + ":3: /places/1/parent: no place 'gulou' in /places\n");
  // Another directory, read with --org, is the one shown.
  CHECK(org({"show", "jiyang", "--org", bad.string()}).code == 1);
}

TEST_CASE("OrgRouteByAnAddressRoutesThePlaceTheAddressTableGives") {
  std::vector<std::string> args = {"route", "--address", "金桂苑 七号楼二单元501", "--workflow", "property-first"};
  for (auto& a : shipped_workflows()) args.push_back(a);
  const Ran by_address = org(args);
  CHECK(by_address.code == 0);
  CHECK(by_address.out.starts_with("address  金桂苑 七号楼二单元501 → jingui-yuan-7 (金桂苑7栋2单元501)\n"));
  // Then exactly what routing from the building prints.
  CHECK(by_address.out.substr(by_address.out.find('\n') + 1) == route("jingui-yuan-7", "property-first").out);
  args[2] = "济宁市任城区金桂苑7号楼";  // a prefix the table does not hold matches nothing
  CHECK(org(args).code == 1);
  CHECK(org({"route", "--address", "金桂苑", "--location", "jingui-yuan", "--workflow", "property-first"}).code == 2);
}
