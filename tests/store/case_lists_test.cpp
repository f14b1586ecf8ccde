// The case lists (case_lists.hpp): written with each case, in memory and on
// RocksDB alike, kept when the store is reopened, and built for a store of
// format 9 when it is upgraded.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "escalator/engine/engine.hpp"
#include "escalator/store/audit.hpp"
#include "escalator/store/store.hpp"
#include "store_support.hpp"

using namespace escalator;
using namespace escalator::testing;

namespace {

std::vector<std::string> ids_on(const CaseStore& store, std::string_view list, std::string_view value,
                                std::string_view after = {}, std::size_t limit = 100) {
  auto hits = store.scan_list(list, value, after, limit);
  REQUIRE_MESSAGE(hits.has_value(), hits.error().message);
  std::vector<std::string> ids;
  for (const auto& h : *hits) ids.push_back(h.case_id);
  return ids;
}

std::string opened(Engine& engine, const std::string& key, const std::string& compound, const std::string& category) {
  auto open = leak_report();
  open.location.compound = compound;
  open.category = category;
  auto decided = engine.submit(command("", key, open)).get();
  REQUIRE_MESSAGE(decided.has_value(), decided.error().message);
  return decided->case_id;
}

void lists_follow_every_write(const std::shared_ptr<CaseStore>& store) {
  auto engine = engine_on(store);
  const auto a = opened(*engine, "A", "yangguang-garden", "物业/漏水");
  const auto b = opened(*engine, "B", "heping-li", "物业/电梯");
  const auto c = opened(*engine, "C", "yangguang-garden", "市政/路灯");
  CHECK(ids_on(*store, "state", "new") == std::vector<std::string>{a, b, c});
  CHECK(ids_on(*store, "compound", "yangguang-garden") == std::vector<std::string>{a, c});
  CHECK(ids_on(*store, "category", "物业") == std::vector<std::string>{a, b});
  CHECK(ids_on(*store, "category", "物业/漏水") == std::vector<std::string>{a});
  CHECK(ids_on(*store, "overdue", "no").size() == 3);
  CHECK(ids_on(*store, "opened", "") == std::vector<std::string>{a, b, c});

  REQUIRE(engine->submit(command(a, "a1", cmd::Dispatch{})).get().has_value());
  const auto holder = engine->get(a)->lead_unit;
  CHECK(ids_on(*store, "state", "new") == std::vector<std::string>{b, c});
  CHECK(ids_on(*store, "state", "dispatched") == std::vector<std::string>{a});
  CHECK(ids_on(*store, "unit", holder) == std::vector<std::string>{a});
  CHECK(ids_on(*store, "inbox", holder) == std::vector<std::string>{a});
  CHECK(ids_on(*store, "colour", "green").size() == 3);

  // Taken to closed: off the open lists, on the closed one.
  int n = 0;
  for (auto& step : to_closure()) {
    if (std::holds_alternative<cmd::Dispatch>(step)) continue;
    REQUIRE(engine->submit(command(a, "a-" + std::to_string(++n), step)).get().has_value());
  }
  CHECK(ids_on(*store, "state", "closed") == std::vector<std::string>{a});
  CHECK(ids_on(*store, "state", "dispatched").empty());
  CHECK(ids_on(*store, "inbox", holder).empty());
  CHECK(ids_on(*store, "colour", "green").size() == 2);
  CHECK(ids_on(*store, "unit", holder) == std::vector<std::string>{a});  // it stays the case's holder

  // Paging: each page resumes after the last position.
  auto first = store->scan_list("opened", "", "", 2);
  REQUIRE(first.has_value());
  REQUIRE(first->size() == 2);
  CHECK(ids_on(*store, "opened", "", first->back().position) == std::vector<std::string>{c});
  CHECK(store->scan_list("colours", "red", "", 1).error().code == ErrorCode::kInvalidArgument);
}

}  // namespace

TEST_CASE("TheCaseListsFollowEveryWriteInMemory") { lists_follow_every_write(memory_store()); }

TEST_CASE("TheCaseListsFollowEveryWriteOnDiskAndOutliveAReopening") {
  TempDir dir;
  lists_follow_every_write(open_durable_at(dir.path()));
  const auto reopened = open_durable_at(dir.path());
  CHECK(ids_on(*reopened, "opened", "").size() == 3);
  CHECK(ids_on(*reopened, "state", "closed").size() == 1);
}

TEST_CASE("AStoreOfFormatNineIsListedWhenUpgraded") {
  TempDir dir;
  const auto copy = dir.path() / "store-format-9";
  std::filesystem::copy(std::filesystem::path(ESCALATOR_SOURCE_DIR) / "tests/fixtures/store-format-9", copy);
  auto store = open_durable_at(copy);
  const auto ids = store->case_ids();
  REQUIRE(ids.size() == 5);
  auto listed = ids_on(*store, "opened", "");
  CHECK(std::set<std::string>(listed.begin(), listed.end()) == std::set<std::string>(ids.begin(), ids.end()));
  std::size_t by_state = 0;
  for (const auto& id : ids) {
    const auto stored = store->load(id);
    REQUIRE(stored.has_value());
    const auto on = ids_on(*store, "state", to_string((*stored)->snapshot.state));
    CHECK(std::find(on.begin(), on.end(), id) != on.end());
    ++by_state;
  }
  CHECK(by_state == 5);
  store.reset();
  RawStore raw(copy);
  std::string ignored;
  CHECK(raw.db().Get(rocksdb::ReadOptions(), raw.family("meta"), "lists_from", &ignored).IsNotFound());
}

TEST_CASE("AuditFindsACaseMissingFromItsListAndAnEntryNoSnapshotAsksFor") {
  TempDir dir;
  std::string id;
  {
    auto store = open_durable_at(dir.path());
    auto engine = engine_on(store);
    id = opened(*engine, "A", "yangguang-garden", "物业/漏水");
  }
  auto clean = audit_store(dir.path());
  REQUIRE(clean.has_value());
  CHECK(clean->breaks.empty());
  CHECK(clean->list_entries > 5);
  {
    RawStore raw(dir.path());
    const std::string state_entry = std::string("q/state/new") + '\0' + id;
    const std::string stray = std::string("q/state/closed") + '\0' + id;
    REQUIRE(raw.db().Delete(rocksdb::WriteOptions(), raw.family("index"), state_entry).ok());
    REQUIRE(raw.db().Put(rocksdb::WriteOptions(), raw.family("index"), stray, "").ok());
  }
  auto broken = audit_store(dir.path());
  REQUIRE(broken.has_value());
  std::string found;
  for (const auto& b : broken->breaks) found += b.where + ": " + b.what + "\n";
  CHECK(found.find("missing: the snapshot puts the case on this list") != std::string::npos);
  CHECK(found.find("the case is on this list, but its snapshot does not put it there") != std::string::npos);
  CHECK(broken->breaks.size() == 2);
}
