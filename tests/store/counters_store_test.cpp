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

// The stats family as RocksDB holds it, cells and pending records apart, and
// the behind family: the index of the cases behind the counts.
struct StatsFamily {
  std::map<std::string, stats::Tally> cells;
  std::vector<std::string> pending;
  std::map<std::string, stats::Tally> behind;
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
  for (auto& [key, value] : raw.all("behind")) {
    auto tally = stats::Tally::decode(value);
    REQUIRE(tally.has_value());
    family.behind.emplace(key, *tally);
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
  REQUIRE(replace_counters(*store, replaced, stats::Stamp{stats::kDefinition, "test", "test"}).has_value());
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

namespace escalator::testing {
namespace {

// The cases behind `count` in the whole store's group on every day.
stats::CasesCounted counted_in_all(const CaseStore& store, stats::Count count) {
  const auto index = stats::index_of(count);
  auto counted = store.cases_counted({stats::Dimension::kAll, "", index, index, 0, 1000000});
  REQUIRE_MESSAGE(counted.has_value(), (counted ? "" : counted.error().message));
  return *counted;
}

// Every day cell's count, summed from the cases behind it, equals the cell:
// the index holds each count of a case once, whether pending or folded.
void each_day_cell_is_its_cases(const CaseStore& store) {
  auto cells = store.stats_cells(stats::kCellsFrom, stats::kCellsTo);
  REQUIRE(cells.has_value());
  int checked = 0;
  for (const auto& [key, tally] : *cells) {
    const auto cell = stats::CellKey::decode(key);
    REQUIRE(cell.has_value());
    if (cell->period != stats::Period::kDay || cell->dimension == stats::Dimension::kMeeting) continue;
    for (const auto& [index, value] : tally.values()) {
      if (!stats::kept_behind(index)) continue;
      auto counted = store.cases_counted({cell->dimension, cell->group, index, index, cell->number, cell->number});
      REQUIRE(counted.has_value());
      std::int64_t sum = 0;
      for (const auto& [case_id, of_case] : *counted) sum += of_case.get(index);
      const std::string where = cell->name() + " index " + std::to_string(index);
      CHECK_MESSAGE(sum == value, where);
      ++checked;
    }
  }
  CHECK(checked > 20);
}

TEST_CASE("TheCasesBehindACountAreReadFromTheIndexPendingOrFoldedAndAfterARecount") {
  TempDir dir;
  auto store = unfolding_store_at(dir.path());
  close_two_cases(store);
  // Pending: the records name each count's case.
  const auto received = counted_in_all(*store, stats::Count::kReceived);
  REQUIRE(received.size() == 2);
  for (const auto& [case_id, tally] : received) {
    CHECK(case_id.starts_with("370811-"));
    CHECK(tally.get(stats::Count::kReceived) == 1);
  }
  CHECK(counted_in_all(*store, stats::Count::kClosed).size() == 2);
  CHECK(counted_in_all(*store, stats::Count::kWithdrawn).empty());
  each_day_cell_is_its_cases(*store);
  store.reset();  // closing folds

  const auto family = stats_family_of(dir.path());
  CHECK(family.pending.empty());
  CHECK(family.behind.size() > 20);
  store = unfolding_store_at(dir.path());
  CHECK(counted_in_all(*store, stats::Count::kReceived) == received);
  each_day_cell_is_its_cases(*store);

  // A recount writes the same entries again.
  REQUIRE(stats::recount_into(*store, *shipped_calendar()).has_value());
  CHECK(counted_in_all(*store, stats::Count::kReceived) == received);
  each_day_cell_is_its_cases(*store);
  store.reset();
  CHECK(stats_family_of(dir.path()).behind == family.behind);

  // Counters set by hand have no case behind them.
  store = unfolding_store_at(dir.path());
  stats::Cells by_hand;
  by_hand[stats::CellKey{}.encode()].add(stats::index_of(stats::Count::kReceived), 5);
  REQUIRE(replace_counters(*store, by_hand, stats::Stamp{stats::kDefinition, "test", "test"}).has_value());
  CHECK(counted_in_all(*store, stats::Count::kReceived).empty());
}

// The audit recounts the index with the counters: an entry lost names its
// cell, and a count moved to another case is found though every sum agrees.
TEST_CASE("AnIndexOfTheCasesBehindTheCountsThatDiffersFromARecountIsFoundByTheAudit") {
  TempDir dir;
  close_two_cases(unfolding_store_at(dir.path()));
  {
    auto store = unfolding_store_at(dir.path());
    const auto clean = stats::counter_differences(*store, *shipped_calendar());
    REQUIRE(clean.has_value());
    CHECK(clean->empty());
  }
  const auto family = stats_family_of(dir.path());
  // The whole store's received on the day, of the first case.
  const auto received = std::find_if(family.behind.begin(), family.behind.end(), [](const auto& entry) {
    const auto key = stats::BehindKey::decode(entry.first);
    return key && key->dimension == stats::Dimension::kAll && key->index == stats::index_of(stats::Count::kReceived);
  });
  REQUIRE(received != family.behind.end());
  auto moved = *stats::BehindKey::decode(received->first);
  {
    RawStore raw(dir.path());
    REQUIRE(raw.db().Delete(rocksdb::WriteOptions(), raw.family("behind"), received->first).ok());
  }
  const auto day = stats::CellKey{stats::Dimension::kAll, stats::Period::kDay, moved.day, ""}.name();
  {
    auto store = unfolding_store_at(dir.path());
    const auto lost = stats::counter_differences(*store, *shipped_calendar());
    REQUIRE(lost.has_value());
    REQUIRE(lost->size() == 1);
    CHECK(lost->front() == "behind/" + day + ": kept cases' received=1, recounted received=2");
  }
  {
    RawStore raw(dir.path());
    moved.case_id = "370811-20251111-999999";
    REQUIRE(raw.db().Put(rocksdb::WriteOptions(), raw.family("behind"), moved.encode(), received->second.encode()).ok());
  }
  auto store = unfolding_store_at(dir.path());
  const auto elsewhere = stats::counter_differences(*store, *shipped_calendar());
  REQUIRE(elsewhere.has_value());
  CHECK(*elsewhere ==
        std::vector<std::string>{"behind: the index holds the counts a recount finds, but behind other cases"});
}

TEST_CASE("TheMemoryStoreKeepsTheSameCasesBehindTheCountsAsTheDurableOne") {
  TempDir dir;
  auto durable = unfolding_store_at(dir.path());
  auto memory = memory_store();
  close_two_cases(durable);
  close_two_cases(memory);
  for (auto count : {stats::Count::kReceived, stats::Count::kHanded, stats::Count::kSigned, stats::Count::kReplied,
                     stats::Count::kClosedOnTime, stats::Count::kRatedSatisfied}) {
    const auto kept = counted_in_all(*durable, count);
    CHECK(!kept.empty());
    CHECK(counted_in_all(*memory, count) == kept);
  }
  each_day_cell_is_its_cases(*memory);
}

}  // namespace
}  // namespace escalator::testing
