// The org directory kept as a spreadsheet (docs/directory.md, "The CSV file"):
// a sheet reads as the directory its rows make, and whatever is wrong with it,
// the sheet's own shape or what its rows mean, is told by line and column.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "escalator/org/org_directory.hpp"
#include "escalator/store/org_versions.hpp"
#include "escalator/store/store.hpp"
#include "sample_org.hpp"

using namespace escalator;

namespace {

const Timestamp kDay = *parse_time("2026-06-01T09:00:00+08:00");
const Timestamp kNextYear = *parse_time("2027-03-01T09:00:00+08:00");

// A small street office's sheet as Excel saves it as CSV UTF-8: a byte-order
// mark, CRLF, Chinese headers, levels and dates as people write them, a note
// holding a comma and a line break, and a column order of its own.
const std::string kSheet =
    "\xEF\xBB\xBF"
    "类型,编号,名称,层级,上级,角色,所在地点,单位,职务,地址,生效日期,截止日期,兜底角色,备注\r\n"
    "目录,,柳行街道组织目录,,,,,,,,,,,\r\n"
    "角色,property_company,物业公司,小区,,,,,,,,,,\r\n"
    "角色,party_branch,小区党支部,小区,,,,,,,,,party_committee,\r\n"
    "角色,party_committee,社区党委,社区,,,,,,,,,,\r\n"
    "\r\n"
    "地点,370811,任城区,区,,,,,,,,,,\r\n"
    "地点,liuhang,柳行街道,街道,370811,,,,,,,,,\r\n"
    "地点,beihu,北湖社区,社区,liuhang,,,,,,,,,\"北湖社区，\r\n原北湖村\"\r\n"
    "地点,beihu-1,北湖社区第一网格,网格,beihu,,,,,,,,,\r\n"
    "地点,lanting,兰亭苑,小区,beihu-1,,,,,,,,,\r\n"
    "地点,lanting-3,兰亭苑3号楼,楼栋,lanting,,,,,,,,,\r\n"
    "单位,lanting.property,兰亭苑物业服务中心,,,property_company,lanting,,,,,2026/12/31,,\r\n"
    "单位,lanting.property-2027,兰亭物业新项目部,,,property_company,lanting,,,,2027年1月1日,,,\r\n"
    "单位,beihu.party-committee,北湖社区党委,,,party_committee,beihu,,,,,,,\r\n"
    "人员,p-li-na,李娜,,,,,lanting.property,项目经理,,,2026/12/31,,\r\n"
    "人员,p-li-na,李娜,,,,,beihu.party-committee,兼职委员,,2026-1-1,,,\r\n"
    "地址,,,,,,lanting-3,,,兰亭路9号3号楼,,,,\r\n";

Location at_compound(const char* compound) {
  Location where;
  where.district_code = "370811";
  where.compound = compound;
  return where;
}

WorkflowStep step(Level level, const char* role) {
  WorkflowStep s;
  s.level = level;
  s.role = role;
  return s;
}

// The problems of `sheet`, as "line: column: reason".
std::vector<std::string> problems_of(const std::string& sheet) {
  const OrgFile read = read_org_directory_csv(sheet, "street.csv");
  CHECK(read.directory == nullptr);
  std::vector<std::string> found;
  for (const auto& p : read.problems) {
    CHECK(p.file == "street.csv");
    found.push_back(std::to_string(p.line) + ": " + p.pointer + ": " + p.reason);
  }
  return found;
}

// Each problem as expected, one by one so that a failure shows both.
void same(const std::vector<std::string>& found, const std::vector<std::string>& expected) {
  CHECK(found.size() == expected.size());
  for (std::size_t i = 0; i < found.size() && i < expected.size(); ++i)
    CHECK(found[i] == expected[i]);
  for (std::size_t i = expected.size(); i < found.size(); ++i) FAIL_CHECK("also: " << found[i]);
}

const std::string kHeader = "类型,编号,名称,层级,上级,角色,所在地点\n";
const std::string kMinimal =
    "目录,,测试目录,,,,\n"
    "角色,community_office,社区居委会,社区,,,\n"
    "地点,370811,任城区,区,,,\n"
    "地点,liuhang,柳行街道,街道,370811,,\n"
    "地点,beihu,北湖社区,社区,liuhang,,\n";

}  // namespace

TEST_CASE("ASpreadsheetSavedAsCsvReadsAsTheDirectoryItsRowsMake") {
  const OrgFile read = read_org_directory_csv(kSheet, "liuhang.csv");
  for (const auto& p : read.problems) FAIL_CHECK(p.text());
  REQUIRE(read.directory != nullptr);
  const OrgChart& chart = *read.directory;
  CHECK(chart.name() == "柳行街道组织目录");
  REQUIRE(chart.place("lanting-3", kDay) != nullptr);
  CHECK(chart.place("lanting-3", kDay)->level == Level::kBuilding);
  CHECK(chart.place("beihu", kDay)->name == "北湖社区");

  // 2026/12/31 and 2027年1月1日 are the days of the change of company.
  CHECK(*chart.holder(at_compound("lanting"), step(Level::kCompound, "property_company"), kDay) ==
        "lanting.property");
  CHECK(*chart.holder(at_compound("lanting"), step(Level::kCompound, "property_company"),
                      kNextYear) == "lanting.property-2027");
  CHECK(*chart.holder(at_compound("lanting"), step(Level::kCompound, "party_branch"), kDay) ==
        "beihu.party-committee");

  // Two rows of one person are two posts of one person.
  const auto posts = chart.posts_of("p-li-na");
  REQUIRE(posts.size() == 2);
  CHECK(posts[0].unit == "lanting.property");
  CHECK(posts[1].title == "兼职委员");
  CHECK(posts[1].in_force.valid_from == "2026-01-01");

  REQUIRE(chart.place_of_address("兰亭路9号3号楼2单元", kDay) != nullptr);
  CHECK(chart.place_of_address("兰亭路9号3号楼2单元", kDay)->id == "lanting-3");
}

TEST_CASE("EnglishHeadersAndWordsInAnyColumnOrderReadAlike") {
  const std::string sheet =
      "name,kind,id,level,parent,place,role\n"
      "测试目录,directory,,,,,\n"
      "社区居委会,role,community_office,community,,,\n"
      "任城区,place,370811,District,,,\n"
      "柳行街道,place,liuhang,street,370811,,\n"
      "北湖社区,place,beihu,community,liuhang,,\n"
      "北湖社区居委会,unit,beihu.office,,,beihu,community_office\n";
  const OrgFile read = read_org_directory_csv(sheet, "street.csv");
  for (const auto& p : read.problems) FAIL_CHECK(p.text());
  REQUIRE(read.directory != nullptr);
  CHECK(read.directory->unit("beihu.office")->place == "beihu");
}

TEST_CASE("AMalformedRowIsRefusedByItsLine") {
  SUBCASE("a row with a cell too many: an unquoted comma") {
    same(problems_of(kHeader + kMinimal + "地点,beihu-1,北湖社区,第一网格,网格,beihu,,\n"),
         {"7: : has 8 cells, but the header has 7: a cell holding a comma must be quoted"});
  }
  SUBCASE("a row with too few cells") {
    same(problems_of(kHeader + kMinimal + "地点,beihu-1,北湖社区第一网格,网格\n"),
         {"7: : has 4 cells, but the header has 7: a cell holding a comma must be quoted"});
  }
  SUBCASE("a quote in the middle of a cell") {
    const auto found =
        problems_of(kHeader + kMinimal + "地点,beihu-1,北湖\"第一\"网格,网格,beihu,,\n");
    REQUIRE(found.size() == 1);
    CHECK(found[0].starts_with("7: : a quote inside a cell"));
  }
  SUBCASE("a quoted cell never closed is told by the line its row begins on") {
    same(problems_of(kHeader + kMinimal + "地点,beihu-1,\"北湖社区第一网格,网格,beihu,,\n\n\n"),
         {"7: : a quoted cell is never closed"});
  }
  SUBCASE("a sheet saved in GBK, not UTF-8") {
    // "北湖" in GBK
    same(problems_of(kHeader + kMinimal + "地点,beihu-1,\xB1\xB1\xBA\xFE,网格,beihu,,\n"),
         {"7: : is not UTF-8: save the sheet as CSV UTF-8 (逗号分隔), not as plain CSV"});
  }
  SUBCASE("lines after a cell holding line breaks keep their numbers") {
    const auto found =
        problems_of(kHeader + kMinimal + "地点,beihu-1,\"北湖社区\n第一网格\",网格,beihu,,\n" +
                    "地点,beihu-2,北湖社区第二网格,楼,beihu,,\n");
    REQUIRE(found.size() == 1);
    CHECK(
        found[0].starts_with("9: 层级: '楼' is not a level: one of 区 (district), 街道 (street)"));
  }
}

TEST_CASE("AnUnknownColumnKindOrLevelAndAMissingOrStrayValueAreRefusedByLineAndColumn") {
  same(problems_of("类型,编号,名称,地区\n"),
       {"1: 地区: is not a column: the columns are 类型, 编号, 名称, 层级, 上级, 兜底角色, "
        "角色, 所在地点, 单位, 职务, 地址, 生效日期, 截止日期, 备注 (or their English names, "
        "kind, id, name, …; docs/directory.md)"});
  same(problems_of("编号,名称\n"),
       {"1: : the first row names the columns, and no column is 类型 (kind): each "
        "row says what it is"});
  same(problems_of(""), {"1: : is empty: the first row names the columns (类型, 编号, 名称, …)"});

  const auto found = problems_of(kHeader + kMinimal +
                                 "楼栋,lanting-3,兰亭苑3号楼,楼栋,lanting,,\n"
                                 "地点,beihu-1,,网格,beihu,,\n"
                                 "地点,beihu-1,北湖社区第一网格,网格,beihu,community_office,\n"
                                 "单位,beihu.office,北湖社区居委会,,,community_office,\n");
  same(found, {
                  "7: 类型: '楼栋' is not a kind of row: a row is one of 目录, 角色, 地点, 单位, "
                  "人员, 地址 (or "
                  "directory, role, place, unit, person, address)",
                  "8: 名称: a 地点 row needs one",
                  "9: 角色: a 地点 row has no 角色; leave it empty",
                  "10: 所在地点: a 单位 row needs one",
              });
}

TEST_CASE("WhatTheDirectoryReaderFindsIsToldByTheSheetsLinesAndColumns") {
  const auto found =
      problems_of(kHeader + kMinimal +
                  "地点,beihu-1,北湖社区第一网格,网格,beihu,,\n"  // 7
                  "地点,lanting,兰亭苑,小区,beihu-9,,\n"          // 8: no such parent
                  "地点,beihu-1,北湖社区第二网格,网格,beihu,,\n"  // 9: the id of line 7
                  "单位,beihu.office,北湖社区居委会,,,community_office,beihu\n"  // 10
                  "单位,beihu.office2,北湖居委会,,,community_office,beihu\n"     // 11: role taken
                  "单位,beihu.station,北湖网格站,,,grid_worker,beihu-1\n");      // 12: no such role
  same(found, {
                  "8: 上级: no place 'beihu-9' in the sheet",
                  "9: 编号: 'beihu-1' is already the id of line 7",
                  "11: 角色: line 10 already plays 'community_office' at 'beihu'",
                  "12: 角色: no role 'grid_worker' in the sheet",
              });
}

TEST_CASE("APersonIsOneNameUnderOneIdAndTheDirectoryHasOneNameAndEachRoleOneRow") {
  const std::string header = "类型,编号,名称,层级,上级,角色,所在地点,单位,职务,生效日期\n";
  const std::string rows =
      "目录,,测试目录,,,,,,,\n"
      "角色,community_office,社区居委会,社区,,,,,,\n"
      "地点,370811,任城区,区,,,,,,\n"
      "地点,liuhang,柳行街道,街道,370811,,,,,\n"
      "地点,beihu,北湖社区,社区,liuhang,,,,,\n"
      "单位,beihu.office,北湖社区居委会,,,community_office,beihu,,,\n";
  const auto found = problems_of(header + rows +
                                 "人员,p-li-na,李娜,,,,,beihu.office,主任,\n"           // 8
                                 "人员,p-li-na,李那,,,,,beihu.office,委员,\n"           // 9
                                 "人员,p-wang,王强,,,,,beihu.council,委员,\n"           // 10
                                 "人员,p-zhao,赵敏,,,,,beihu.office,委员,2026-02-30\n"  // 11
                                 "人员,p-sun,孙丽,,,,,beihu.office,委员,明年\n"         // 12
                                 "目录,,另一个目录,,,,,,,\n"                            // 13
                                 "角色,community_office,居委会,社区,,,,,,\n");          // 14
  same(found, {
                  "9: 名称: 'p-li-na' is 李娜 on line 8: one id, one person",
                  "12: 生效日期: '明年' is not a day: write 2027-01-01, 2027/1/1 or 2027年1月1日",
                  "13: 名称: the directory is named on line 2 already: one 目录 row",
                  "14: 编号: role 'community_office' is declared on line 3 already",
              });
  // Once the sheet's own problems are mended, the reader's are told by line.
  const auto meaning = problems_of(header + rows +
                                   "人员,p-wang,王强,,,,,beihu.council,委员,\n"
                                   "人员,p-zhao,赵敏,,,,,beihu.office,委员,2026-02-30\n");
  same(meaning, {"8: 单位: no unit 'beihu.council' in the sheet",
                 "9: 生效日期: there is no day 2026-02-30"});
}

TEST_CASE("ASheetImportsIntoAStoreAndARefusedOneStoresNothing") {
  auto store = memory_store();
  const auto refused = import_org_directory(*store, kHeader + "目录,,测试目录,,,,\n", "street.csv",
                                            kDay, OrgFileFormat::kCsv);
  REQUIRE(refused.has_value());
  CHECK_FALSE(refused->problems.empty());
  CHECK_FALSE(refused->stored.has_value());
  CHECK(store->org_imports()->empty());

  const auto imported =
      import_org_directory(*store, kSheet, "liuhang.csv", kDay, OrgFileFormat::kCsv);
  REQUIRE(imported.has_value());
  for (const auto& p : imported->problems) FAIL_CHECK(p.text());
  REQUIRE(imported->stored.has_value());
  CHECK(imported->stored->name == "柳行街道组织目录");
  const auto stored = stored_org_directory(*store);
  REQUIRE(stored.has_value());
  CHECK(*(*stored)->holder(at_compound("lanting"), step(Level::kCompound, "property_company"),
                           kNextYear) == "lanting.property-2027");
}

TEST_CASE("AFileIsReadInTheFormatItsNameSays") {
  CHECK(org_file_format("district.csv") == OrgFileFormat::kCsv);
  CHECK(org_file_format("/data/任城区.CSV") == OrgFileFormat::kCsv);
  CHECK(org_file_format("district.json") == OrgFileFormat::kJson);
  CHECK(org_file_format("csv") == OrgFileFormat::kJson);
}

// OWASP's CSV injection: a name Excel would run as a formula is written as
// text behind an apostrophe, and the sheet still reads back as it was.
TEST_CASE("ANameThatLooksLikeAFormulaIsWrittenAsTextAndReadsBackAsItWas") {
  const std::string json = R"J({"name": "=HYPERLINK(\"http://x\",\"点击\")", "roles": {
      "property_company": {"name": "物业公司", "level": "compound"}},
    "places": [{"id": "370811", "name": "任城区", "level": "district"},
               {"id": "s", "name": "-街道", "level": "street", "parent": "370811"},
               {"id": "c", "name": "@社区", "level": "community", "parent": "s"},
               {"id": "g", "name": "+网格", "level": "grid", "parent": "c"},
               {"id": "y", "name": "阳光,花园", "level": "compound", "parent": "g"}],
    "units": [{"id": "y.property", "name": "=1+1", "role": "property_company", "place": "y"}]})J";
  const auto original = read_org_directory(json, "formula.json");
  REQUIRE_MESSAGE(original.problems.empty(), original.problems.front().text());
  const std::string sheet = org_directory_as_csv(json);
  CHECK(sheet.find("\"'=1+1\"") != std::string::npos);
  CHECK(sheet.find("\"'-街道\"") != std::string::npos);
  CHECK(sheet.find("\"'@社区\"") != std::string::npos);
  CHECK(sheet.find(",=") == std::string::npos);
  const auto read_back = read_org_directory_csv(sheet, "formula.csv");
  REQUIRE_MESSAGE(read_back.problems.empty(), read_back.problems.front().text());
  CHECK(read_back.directory->name() == original.directory->name());
  CHECK(read_back.directory->unit("y.property")->name == "=1+1");
  CHECK(read_back.directory->place("s", kDay)->name == "-街道");
  CHECK(read_back.directory->place("y", kDay)->name == "阳光,花园");
}

TEST_CASE("OneMistakeCopiedDownTheSheetIsToldTwentyTimesAndHowManyMoreNotOncePerRow") {
  std::string sheet = kHeader + kMinimal;
  // The same role declared again on 1,000 rows (lines 7 to 1006), and one other mistake after them.
  for (int i = 0; i < 1000; ++i) sheet += "角色,community_office,社区居委会,社区,,,\n";
  sheet += "楼房,beihu-1,北湖社区第一网格,网格,beihu,,\n";
  const auto found = problems_of(sheet);
  REQUIRE(found.size() == 22);
  CHECK(found.front() == "7: 编号: role 'community_office' is declared on line 3 already");
  CHECK(found.at(19) == "26: 编号: role 'community_office' is declared on line 3 already");
  CHECK(found.at(20) == "27: 编号: and 980 more like it, the last on line 1006: role 'community_office' is declared on "
                        "line 3 already");
  CHECK(found.at(21).starts_with("1007: "));
}
