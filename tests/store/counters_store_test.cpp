// The durable store's counters (store_stats.cpp): a group commit's counts
// wait in one pending record until they are folded into their cells, and a
// reader counts every one exactly once, before the fold or after it.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "escalator/calendar/official_calendar.hpp"
#include "escalator/store/stats_report.hpp"
#include "store_support.hpp"

namespace escalator::testing {
namespace {

constexpr std::string_view kPendingPrefix{"\xffpending", 8};

std::string pending_key(std::uint64_t number) {
  std::string key(kPendingPrefix);
  for (int shift = 56; shift >= 0; shift -= 8) key.push_back(static_cast<char>((number >> shift) & 0xff));
  return key;
}

// A store that folds only when it closes, or opens.
std::shared_ptr<CaseStore> unfolding_store_at(const std::filesystem::path& path) {
  DurableStoreOptions options;
  options.path = path;
  options.fold_counts_after_groups = 0;
  options.fold_counts_every = std::chrono::milliseconds{0};
  auto store = open_durable_store(options);
  REQUIRE_MESSAGE(store.has_value(), (store ? "" : store.error().message));
  return *store;
}

// Every counter, by cell, as the store reads them.
std::map<std::string, stats::Tally> counters_of(const CaseStore& store) {
  auto cells = store.stats_cells(stats::kCellsFrom, stats::kCellsTo);
  REQUIRE(cells.has_value());
  return {cells->begin(), cells->end()};
}

// The stats family as RocksDB holds it: cells, and pending records apart.
struct StatsFamily {
  std::map<std::string, stats::Tally> cells;
  std::vector<std::string> pending;
};
StatsFamily stats_family_of(const std::filesystem::path& path) {
  RawStore raw(path);
  StatsFamily family;
  for (auto& [key, value] : raw.all("stats")) {
    if (key.starts_with(kPendingPrefix)) {
      family.pending.push_back(key);
    } else {
      auto tally = stats::Tally::decode(value);
      REQUIRE(tally.has_value());
      family.cells.emplace(key, *tally);
    }
  }
  return family;
}

// Two cases taken to closure, on an engine over `store`.
void close_two_cases(std::shared_ptr<CaseStore> store) {
  auto engine = engine_on(std::move(store));
  for (const char* key : {"hotline/1", "hotline/2"}) {
    auto opened = engine->submit(command("", key, leak_report())).get();
    REQUIRE(opened.has_value());
    int step = 0;
    for (auto& payload : to_closure()) {
      auto decided = engine->submit(command(opened->case_id, key + std::to_string(++step), payload)).get();
      REQUIRE_MESSAGE(decided.has_value(), (decided ? "" : decided.error().message));
    }
  }
}

TEST_CASE("AGroupsCountsArePendingUntilFoldedAndAreReadOnceBeforeAndAfter") {
  TempDir dir;
  auto store = unfolding_store_at(dir.path());
  close_two_cases(store);
  // Nothing folded yet: the counts are read from the pending records alone.
  const auto before = counters_of(*store);
  auto recounted = stats::recount(*store, *shipped_calendar());
  REQUIRE(recounted.has_value());
  CHECK(before == std::map<std::string, stats::Tally>(recounted->begin(), recounted->end()));
  CHECK(before.size() > 10);
  store.reset();  // closing folds

  const auto family = stats_family_of(dir.path());
  CHECK(family.pending.empty());
  CHECK(family.cells == before);
  CHECK(counters_of(*unfolding_store_at(dir.path())) == before);
}

TEST_CASE("PendingCountsAnEarlierRunLeftAreReadAndFoldedWhenTheStoreOpens") {
  TempDir dir;
  close_two_cases(unfolding_store_at(dir.path()));
  const auto folded = stats_family_of(dir.path()).cells;
  REQUIRE(folded.size() > 1);
  {
    // As a crash leaves it: one cell's counts still in a pending record.
    RawStore raw(dir.path());
    const auto& [key, tally] = *folded.begin();
    stats::Marks marks;
    for (const auto& [index, count] : tally.values()) {
      for (std::int64_t i = 0; i < count; ++i) marks.add(key, index);
    }
    REQUIRE(raw.db().Delete(rocksdb::WriteOptions(), raw.family("stats"), key).ok());
    const auto bytes = marks.bytes();
    REQUIRE(raw.db().Put(rocksdb::WriteOptions(), raw.family("stats"), pending_key(7),
                         rocksdb::Slice(bytes.data(), bytes.size())).ok());
  }
  CHECK(stats_family_of(dir.path()).cells.size() == folded.size() - 1);

  auto store = unfolding_store_at(dir.path());
  CHECK(counters_of(*store) == folded);
  store.reset();
  const auto family = stats_family_of(dir.path());
  CHECK(family.pending.empty());
  CHECK(family.cells == folded);
}

TEST_CASE("ReplacingTheCountersDropsThePendingOnes") {
  TempDir dir;
  auto store = unfolding_store_at(dir.path());
  close_two_cases(store);
  stats::Cells replaced;
  replaced[stats::CellKey{}.encode()].add(stats::index_of(stats::Count::kReceived), 5);
  REQUIRE(store->replace_stats(replaced, stats::Stamp{stats::kDefinition, "test", "test"}).has_value());
  CHECK(counters_of(*store) == std::map<std::string, stats::Tally>(replaced.begin(), replaced.end()));
  store.reset();
  const auto family = stats_family_of(dir.path());
  CHECK(family.pending.empty());
  CHECK(family.cells == std::map<std::string, stats::Tally>(replaced.begin(), replaced.end()));
}

TEST_CASE("ADamagedPendingRecordIsDataLossNamingIt") {
  TempDir dir;
  close_two_cases(unfolding_store_at(dir.path()));
  {
    RawStore raw(dir.path());
    REQUIRE(raw.db().Put(rocksdb::WriteOptions(), raw.family("stats"), pending_key(3), "\x05").ok());
  }
  DurableStoreOptions options;
  options.path = dir.path();
  auto store = open_durable_store(options);
  REQUIRE_FALSE(store.has_value());
  CHECK(store.error().code == ErrorCode::kDataLoss);
  CHECK(store.error().message.find("not a pending count") != std::string::npos);
}

}  // namespace
}  // namespace escalator::testing
