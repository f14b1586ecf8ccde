// `escalator calendar import` and `imports` on a store: what an operator sees,
// and that a refused notice changes nothing.
#include <doctest/doctest.h>

#include <random>
#include <sstream>

#include "cli_support.hpp"
#include "calendar_commands.hpp"
#include "escalator/engine/engine.hpp"

namespace fs = std::filesystem;
using namespace escalator;

using testing::Ran;
using testing::ScratchDir;

namespace {

const fs::path kSource = ESCALATOR_SOURCE_DIR;

Ran calendar(std::vector<std::string> args) { return testing::run(tools::calendar_command, args); }

// A store holding one case opened now, so that its deadlines still run.
void store_with_a_running_case(const fs::path& data) {
  DurableStoreOptions where;
  where.path = data;
  EngineOptions options;
  options.clock = std::make_shared<SystemClock>();
  auto store = open_durable_store(where);
  REQUIRE_MESSAGE(store.has_value(), store.error().message);
  options.store = *store;
  auto opened = Engine::open(std::move(options));
  REQUIRE_MESSAGE(opened.has_value(), opened.error().message);
  auto engine = std::move(*opened);
  cmd::Open open;
  open.category = "物业/漏水";
  open.location = Location{"370811", "", "", "", "yangguang-garden", "", ""};
  open.first_contact = Party{"hotline.12345", ""};
  open.content = "楼上漏水";
  const auto decided = engine->submit(Command{"", "GD-1", std::nullopt, "hotline", open}).get();
  REQUIRE_MESSAGE(decided.has_value(), decided.error().message);
}

}  // namespace

TEST_CASE("ImportingANoticeVersionsItAndSaysWhatItDidToRunningDeadlines") {
  ScratchDir dir;
  const std::string data = (dir.path / "store").string();
  store_with_a_running_case(data);
  const std::string notice = (kSource / "tests/fixtures/calendar-import/2026-spring-festival-extended.json").string();

  const Ran imported = calendar({"import", notice, "--data", data});
  CHECK(imported.code == 0);
  CHECK(imported.out.starts_with("calendar import 1: 2026-spring-festival-extended.json, the year 2026 ("));
  CHECK(imported.out.find("in force: official 2015-2026 (2026-02-15) + import 1\n") != std::string::npos);
  CHECK(imported.out.find("running deadlines: 1 case checked, ") != std::string::npos);

  // The same file again, as after a kill or by mistake: nothing new is stored.
  const Ran again = calendar({"import", notice, "--data", data});
  CHECK(again.code == 0);
  CHECK(again.out == "2026-spring-festival-extended.json: the same as calendar import 1, which stays in force\n");

  const Ran bad = calendar({"import", (kSource / "tests/fixtures/calendars-bad/2027.json").string(), "--data", data});
  CHECK(bad.code == 1);
  CHECK(bad.out.find("2027-02-12 is both a holiday (春节) and a moved working day") != std::string::npos);
  CHECK(bad.out.ends_with("refused: nothing was imported\n"));

  const Ran listed = calendar({"imports", "--data", data});
  CHECK(listed.code == 0);
  CHECK(listed.out.starts_with("1  "));
  CHECK(listed.out.find("2026-spring-festival-extended.json  2026 ") != std::string::npos);
  CHECK(listed.out.find("\n2  ") == std::string::npos);
  CHECK(listed.out.find("not yet recomputed") == std::string::npos);

  // The store's calendar is the one `days` and `add` count on with --data.
  const Ran days = calendar({"days", "--from", "2026-02-25", "--to", "2026-02-26", "--data", data});
  CHECK(days.out == "2026-02-25 restday 春节\n2026-02-26 workday\n");
}

TEST_CASE("ImportingIntoNoStoreIsRefused") {
  ScratchDir dir;
  const std::string notice = (kSource / "calendars/2026.json").string();
  const Ran refused = calendar({"import", notice, "--data", (dir.path / "none").string()});
  CHECK(refused.code == 1);
  CHECK(refused.out.ends_with("refused: nothing was imported\n"));
  CHECK_FALSE(fs::exists(dir.path / "none"));
}
