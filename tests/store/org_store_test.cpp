// Org directory versions in the durable store (column family `org`): kept
// across restarts and rebuilt as imported, and a damaged record reported by its key.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "escalator/store/org_versions.hpp"
#include "escalator/store/store.hpp"
#include "store_layout.hpp"
#include "../unit/sample_org.hpp"
#include "store_support.hpp"

using namespace escalator;
using namespace escalator::testing;

namespace {

// The sample without 幸福苑's council.
std::string without_council() {
  std::string text = sample_org_text();
  const auto from = text.find("    {\"id\": \"xingfu-court.council\"");
  text.erase(from, text.find('\n', from) + 1 - from);
  return text;
}

}  // namespace

TEST_CASE("OrgDirectoryVersionsOutliveTheStoreThatKeptThem") {
  TempDir dir;
  const Timestamp now = *parse_time("2026-11-20T10:00:00+08:00");
  {
    auto store = open_durable_at(dir.path());
    CHECK(store->org_imports()->empty());
    REQUIRE(import_org_directory(*store, sample_org_text(), "sample-district.json", now)->stored.has_value());
    const auto second = import_org_directory(*store, without_council(), "district.json", now);
    REQUIRE(second->stored.has_value());
    CHECK(second->stored->removed == 1);
    const auto skipped = store->add_org_import(OrgImport{4, now, "x", "x", "", 0, 0, 0}, {});
    REQUIRE_FALSE(skipped.has_value());
    CHECK(skipped.error().message == "org directory import 4: the next version is 3");
  }
  auto store = open_durable_at(dir.path());
  const auto imports = *store->org_imports();
  REQUIRE(imports.size() == 2);
  CHECK(imports[0].source == "sample-district.json");
  CHECK(imports[0].imported_at == now);
  CHECK(imports[1].removed == 1);
  const auto v1 = stored_org_directory(*store, 1);
  const auto v2 = stored_org_directory(*store, 2);
  REQUIRE_MESSAGE(v1.has_value(), v1.error().message);
  REQUIRE_MESSAGE(v2.has_value(), v2.error().message);
  CHECK((*v1)->unit("xingfu-court.council") != nullptr);
  CHECK((*v2)->unit("xingfu-court.council") == nullptr);
}

TEST_CASE("ADamagedOrgRecordIsDataLossNamingIt") {
  TempDir dir;
  {
    auto store = open_durable_at(dir.path());
    REQUIRE(import_org_directory(*store, sample_org_text(), "sample.json", *parse_time("2026-11-20T10:00"))->stored);
  }
  {
    RawStore raw(dir.path());
    std::string key = "record/unit/heping-li.property";
    key.push_back('\0');
    store_layout::put_big_endian(key, 1);
    REQUIRE(raw.db().Put(rocksdb::WriteOptions(), raw.family("org"), key, R"({"record":{}})").ok());
  }
  auto store = open_durable_at(dir.path());
  const auto read = stored_org_directory(*store);
  REQUIRE_FALSE(read.has_value());
  CHECK(read.error().code == ErrorCode::kDataLoss);
  CHECK(read.error().message.starts_with("org/record/unit/heping-li.property\\x00"));
}

TEST_CASE("AStoreThatHoldsNoDirectoryStartsFromTheConfiguredFileAndKeepsItsOwnAfterwards") {
  TempDir dir;
  const Timestamp now = *parse_time("2026-11-20T10:00:00+08:00");
  const auto file = dir.path() / "district.json";
  std::ofstream(file) << without_council();
  const auto store = open_durable_at(dir.path() / "store");

  const auto first = directory_in_force(*store, now, file);
  REQUIRE_MESSAGE(first.has_value(), first.error().message);
  CHECK((*first)->version() == 1);
  CHECK((*first)->unit("xingfu-court.council") == nullptr);
  CHECK(store->org_imports()->front().source == file.string());

  // Once the store holds a directory, it is the authority: later changes are imports.
  std::ofstream(file, std::ios::trunc) << sample_org_text();
  const auto again = directory_in_force(*store, now, file);
  REQUIRE(again.has_value());
  CHECK((*again)->unit("xingfu-court.council") == nullptr);
  CHECK(store->org_imports()->size() == 1);
}

TEST_CASE("AConfiguredDirectoryFileWithProblemsStopsTheOpenAndStoresNothing") {
  TempDir dir;
  const Timestamp now = *parse_time("2026-11-20T10:00:00+08:00");
  const auto file = dir.path() / "district.csv";
  std::ofstream(file) << "类型,编号,名称\n目录,,样例\n楼盘,x,y\n";
  const auto store = open_durable_at(dir.path() / "store");
  const auto refused = directory_in_force(*store, now, file);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == ErrorCode::kInvalidArgument);
  CHECK(refused.error().message.starts_with("org_file " + file.string() + " has problems:\n" + file.string() + ":3: "));
  CHECK(store->org_imports()->empty());

  const auto missing = directory_in_force(*store, now, dir.path() / "nope.json");
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().message == "org_file " + (dir.path() / "nope.json").string() + " has problems:\n" +
                                       (dir.path() / "nope.json").string() + ":1: cannot be read");
}
