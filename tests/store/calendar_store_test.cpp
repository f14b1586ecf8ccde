// Calendar imports in the durable store: kept in order across restarts, read
// back byte for byte, and a damaged one reported by its key.
#include <doctest/doctest.h>

#include "escalator/store/store.hpp"
#include "rocks_store.hpp"
#include "store_layout.hpp"
#include "store_support.hpp"

using namespace escalator;
using namespace escalator::testing;

namespace {

CalendarImport import_of(std::uint64_t version) {
  return CalendarImport{version, *parse_time("2026-02-16T10:00:00+08:00"), "notice-" + std::to_string(version) + ".json",
                        R"({"year": 2026, "note": "春节"})" + std::to_string(version)};
}

}  // namespace

TEST_CASE("CalendarImportsOutliveTheStoreThatKeptThemInOrder") {
  TempDir dir;
  {
    auto store = open_durable_at(dir.path());
    CHECK(store->calendar_imports()->empty());
    CHECK(*store->calendar_applied() == 0);
    REQUIRE(store->add_calendar_import(import_of(1)));
    REQUIRE(store->add_calendar_import(import_of(2)));
    const auto skipped = store->add_calendar_import(import_of(4));
    REQUIRE_FALSE(skipped.has_value());
    CHECK(skipped.error().message == "calendar import 4: the next version is 3");
    REQUIRE(store->set_calendar_applied(1));
  }
  auto store = open_durable_at(dir.path());
  CHECK(*store->calendar_imports() == std::vector<CalendarImport>{import_of(1), import_of(2)});
  CHECK(*store->calendar_applied() == 1);
}

TEST_CASE("ADamagedCalendarImportIsDataLossNamingIt") {
  TempDir dir;
  {
    auto store = open_durable_at(dir.path());
    REQUIRE(store->add_calendar_import(import_of(1)));
  }
  {
    RawStore raw(dir.path());
    std::string key = "calendar_import/";
    store_layout::put_big_endian(key, 1);
    REQUIRE(raw.db().Put(rocksdb::WriteOptions(), raw.family("meta"), key, R"({"version":1})").ok());
  }
  auto store = open_durable_at(dir.path());
  const auto read = store->calendar_imports();
  REQUIRE_FALSE(read.has_value());
  CHECK(read.error().code == ErrorCode::kDataLoss);
  CHECK(read.error().message.starts_with("meta/calendar_import/1: "));
}
