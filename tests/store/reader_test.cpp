// A reader beside the writer (DurableStoreOptions::read_only): what
// `escalator audit verify`, `check`, `replay`, `stats` and `queue` open while
// `escalator serve` has the store.
#include <doctest/doctest.h>

#include "escalator/store/audit.hpp"
#include "escalator/store/stats_report.hpp"
#include "store_support.hpp"

using namespace escalator;
using namespace escalator::testing;

namespace {

Result<std::shared_ptr<CaseStore>> open_reader(const std::filesystem::path& path) {
  DurableStoreOptions options;
  options.path = path;
  options.create_if_missing = false;
  options.read_only = true;
  return open_durable_store(options);
}

}  // namespace

TEST_CASE("AReaderBesideTheWriterSeesWhatWasWrittenBeforeItOpenedAndWritesNothing") {
  TempDir dir;
  auto writer = open_durable_at(dir.path());
  auto engine = engine_on(writer);
  const auto first = engine->submit(command("", "GD-1", leak_report())).get()->case_id;
  REQUIRE(engine->submit(command(first, "d", cmd::Dispatch{})).get().has_value());

  // A second writer is refused, naming why; a reader is not.
  DurableStoreOptions second;
  second.path = dir.path();
  const auto refused = open_durable_store(second);
  REQUIRE(!refused.has_value());
  CHECK(in_use_elsewhere(refused.error()));
  CHECK(refused.error().message.find("in use by another process") != std::string::npos);
  CHECK(!in_use_elsewhere(Error{ErrorCode::kUnavailable, "the disk refused"}));

  auto reader = open_reader(dir.path());
  REQUIRE_MESSAGE(reader.has_value(), reader.error().message);
  auto read = (*reader)->load(first);
  REQUIRE(read.has_value());
  REQUIRE(read->has_value());
  CHECK((*read)->snapshot.state == LifecycleState::kDispatched);
  CHECK((*read)->events.size() == 2);
  CHECK((*reader)->case_ids() == std::vector<std::string>{first});
  CHECK(check_store(**reader).problems.empty());
  // The report's counters, pending ones included.
  const auto day = *stats::parse_day("2025-11-11");
  auto report = stats::read_report(**reader, {day, day, stats::Dimension::kAll});
  REQUIRE(report.has_value());
  CHECK(report->total.get(stats::Count::kReceived) == 1);

  // What the writer writes later is not in the reader's view; a new reader sees it.
  const auto later = engine->submit(command("", "GD-2", leak_report())).get()->case_id;
  CHECK(!(*reader)->load(later)->has_value());
  CHECK((*open_reader(dir.path()))->load(later)->has_value());

  // It writes nothing.
  std::vector<CaseWrite> writes;
  writes.push_back(opened_write("370811-20251111-000099"));
  std::promise<Result<void>> committed;
  (*reader)->commit(writes, [&](Result<void> done) { committed.set_value(std::move(done)); });
  const auto done = committed.get_future().get();
  REQUIRE(!done.has_value());
  CHECK(done.error().code == ErrorCode::kFailedPrecondition);
  CHECK(!writer->load("370811-20251111-000099")->has_value());
}

TEST_CASE("AnAuditOfAStoreAWriterHasOpenReadsItBesideTheWriterAndFindsNoBreak") {
  TempDir dir;
  auto writer = open_durable_at(dir.path());
  auto engine = engine_on(writer);
  for (int i = 0; i < 5; ++i) {
    const auto id = engine->submit(command("", "GD-" + std::to_string(i), leak_report())).get()->case_id;
    REQUIRE(engine->submit(command(id, "d", cmd::Dispatch{})).get().has_value());
  }
  auto audit = audit_store(dir.path());
  REQUIRE_MESSAGE(audit.has_value(), audit.error().message);
  CHECK(audit->breaks.empty());
  CHECK(audit->cases == 5);
  CHECK(audit->events == 10);
}

TEST_CASE("AReaderRefusesAStoreOfAnOlderFormatRatherThanUpgradeIt") {
  TempDir dir;
  std::filesystem::copy(std::filesystem::path(ESCALATOR_SOURCE_DIR) / "tests/fixtures/store-format-11",
                        dir.path() / "store");
  const auto refused = open_reader(dir.path() / "store");
  REQUIRE(!refused.has_value());
  CHECK(refused.error().code == ErrorCode::kFailedPrecondition);
  CHECK(refused.error().message.find("has format 11") != std::string::npos);
  // Left as it was: a writer still upgrades it.
  CHECK(open_durable_at(dir.path() / "store")->case_ids().size() > 0);
}
