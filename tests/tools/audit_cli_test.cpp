// `escalator audit verify` on the counters: what it cannot check against a
// recount is a finding, not a pass, and it says why and what recounts.
#include <doctest/doctest.h>

#include <sstream>

#include "audit_commands.hpp"
#include "cli_support.hpp"
#include "escalator/engine/engine.hpp"
#include "escalator/stats/stats.hpp"
#include "store_support.hpp"

namespace fs = std::filesystem;
using namespace escalator;

using testing::Ran;
using testing::ScratchDir;

namespace {

Ran audit(const std::string& data) {
  std::ostringstream out;
  const int code = tools::audit_command({"verify", "--data", data}, Config{}, out);
  return {code, out.str()};
}

// A store with one case opened, counted by this release.
void store_with_a_case(const fs::path& data) {
  DurableStoreOptions where;
  where.path = data;
  auto store = open_durable_store(where);
  REQUIRE_MESSAGE(store.has_value(), store.error().message);
  EngineOptions options;
  options.clock = std::make_shared<ManualClock>(*parse_time("2025-11-11T09:00:00+08:00"));
  options.store = *store;
  auto engine = Engine::open(std::move(options));
  REQUIRE_MESSAGE(engine.has_value(), engine.error().message);
  cmd::Open open;
  open.category = "物业/漏水";
  open.location = Location{"370811", "", "", "", "yangguang-garden", "", ""};
  open.first_contact = Party{"hotline.12345", ""};
  open.content = "楼上漏水";
  REQUIRE((*engine)->submit(Command{"", "GD-1", std::nullopt, "hotline", open}).get().has_value());
}

// Every counter of the store at `data` doubled, and stamped as `definition` counted them.
void edit_counters(const fs::path& data, int definition) {
  DurableStoreOptions where;
  where.path = data;
  auto store = open_durable_store(where);
  REQUIRE_MESSAGE(store.has_value(), store.error().message);
  auto stamp = (*store)->stats_stamp();
  REQUIRE((stamp.has_value() && *stamp));
  auto cells = (*store)->stats_cells("", "\xff");
  REQUIRE((cells.has_value() && !cells->empty()));
  stats::Cells edited;
  for (const auto& [key, tally] : *cells) {
    edited[key].add(tally);
    edited[key].add(tally);
  }
  stats::Stamp claimed = **stamp;
  claimed.definition = definition;
  REQUIRE(testing::replace_counters(**store, edited, claimed).has_value());
}

}  // namespace

TEST_CASE("CountersEditedTogetherWithTheirStampDoNotPassTheAudit") {
  ScratchDir dir;
  const auto data = dir.path / "store";
  store_with_a_case(data);
  REQUIRE(audit(data.string()).code == 0);

  // Edited, and stamped as an older release's, which this one cannot recount to compare.
  edit_counters(data, 1);
  const Ran edited = audit(data.string());
  CHECK(edited.code == 1);
  CHECK(edited.out.find("BREAK stats: counted by definition 1, but this release counts by " +
                        std::to_string(stats::kDefinition) +
                        ", so they cannot be checked against a recount of the events; an engine counts them "
                        "again when it opens the store") != std::string::npos);

  // Opening the store with an engine recounts them: the edit is gone and the audit passes.
  store_with_a_case(data);
  CHECK(audit(data.string()).code == 0);

  // Edited under this release's own stamp: the recount finds every edited cell.
  edit_counters(data, stats::kDefinition);
  const Ran recounted = audit(data.string());
  CHECK(recounted.code == 1);
  CHECK(recounted.out.find("BREAK stats/") != std::string::npos);
}

TEST_CASE("AnOrgDirectoryVersionWhoseRecordsNoLongerRebuildItIsABreak") {
  ScratchDir dir;
  const auto data = dir.path / "store";
  store_with_a_case(data);
  const Ran clean = audit(data.string());
  REQUIRE(clean.code == 0);
  CHECK(clean.out.starts_with("org directory: 1 of 1 versions rebuild what was imported\n"));
  {
    // A unit's name changed behind the engine's back.
    testing::RawStore raw(data);
    bool changed = false;
    for (const auto& [key, value] : raw.all("org")) {
      const auto at = value.find("阳光");
      if (!key.starts_with("record/") || at == std::string::npos) continue;
      std::string edited = value;
      edited.replace(at, std::string("阳光").size(), "月光");
      REQUIRE(raw.db().Put(rocksdb::WriteOptions(), raw.family("org"), key, edited).ok());
      changed = true;
      break;
    }
    REQUIRE(changed);
  }
  const Ran edited = audit(data.string());
  CHECK(edited.code == 1);
  CHECK(edited.out.find("BREAK org/v1: org directory version 1: its records do not rebuild what was imported "
                        "(digest ") != std::string::npos);
  CHECK(edited.out.find("org directory: 0 of 1 versions rebuild what was imported\n") != std::string::npos);
}
