// `escalator queue`: the cases a dispatcher must place, with what routing said,
// and none once a dispatcher has sent them on.
#include <doctest/doctest.h>

#include <sstream>

#include "cli_support.hpp"
#include "escalator/engine/engine.hpp"
#include "queue_command.hpp"

namespace fs = std::filesystem;
using namespace escalator;

using testing::Ran;
using testing::ScratchDir;

namespace {

Ran queue(std::vector<std::string> args) { return testing::run(tools::queue_command, args); }

struct Desk {
  std::unique_ptr<Engine> engine;

  explicit Desk(const fs::path& data) {
    DurableStoreOptions where;
    where.path = data;
    EngineOptions options;
    options.clock = std::make_shared<ManualClock>(*parse_time("2026-06-01T09:00:00+08:00"));
    auto store = open_durable_store(where);
    REQUIRE_MESSAGE(store.has_value(), store.error().message);
    options.store = *store;
    auto opened = Engine::open(std::move(options));
    REQUIRE_MESSAGE(opened.has_value(), opened.error().message);
    engine = std::move(*opened);
  }

  std::string open(const std::string& order, Location where) {
    cmd::Open open;
    open.category = "物业/照明";
    open.location = std::move(where);
    open.first_contact = Party{"hotline.12345", ""};
    open.content = "楼道灯不亮";
    const auto decided = engine->submit(Command{"", order, std::nullopt, "hotline", open}).get();
    REQUIRE_MESSAGE(decided.has_value(), decided.error().message);
    return decided->case_id;
  }

  void dispatch(const std::string& id, const std::string& lead = {}) {
    const auto decided =
        engine->submit(Command{id, "dispatch-" + id, std::nullopt, "dispatcher", cmd::Dispatch{lead, {}, ""}}).get();
    REQUIRE_MESSAGE(decided.has_value(), decided.error().message);
  }
};

}  // namespace

TEST_CASE("TheQueueListsTheCasesRoutingCouldNotPlaceUntilADispatcherSendsThemOn") {
  ScratchDir dir;
  const fs::path data = dir.path / "data";
  std::string unplaced;
  {
    Desk desk(data);
    Location by_address{"370811", "", "", "", "", "", ""};
    by_address.address = "济宁市任城区金桂苑7号楼";  // the table holds 金桂苑7号楼, not this form
    unplaced = desk.open("GD-1", by_address);
    const std::string placed = desk.open("GD-2", Location{"370811", "", "", "", "jingui-yuan", "", ""});
    desk.dispatch(placed);
  }
  const Ran waiting = queue({"--data", data.string()});
  CHECK(waiting.code == 0);
  // A table whose columns line up on a terminal: 物业/照明 takes nine columns.
  CHECK(waiting.out == "case                    opened                     category   place  why it waits\n" + unplaced +
                           "  2026-06-01T09:00:00+08:00  物业/照明      -  location.address: matches no entry of the "
                           "directory's address table\n"
                           "1 case waits for a dispatcher\n");
  // The queue never shows the address: personal data.
  CHECK(waiting.out.find("金桂苑") == std::string::npos);

  {
    Desk desk(data);
    desk.dispatch(unplaced, "jingui-yuan.property");
  }
  CHECK(queue({"--data", data.string()}).out == "0 cases wait for a dispatcher\n");
  CHECK(queue({"--data", (dir.path / "none").string()}).code == 1);
}
