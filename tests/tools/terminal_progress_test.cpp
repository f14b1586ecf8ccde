// Progress on a terminal, and none anywhere else.
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli_support.hpp"
#include "demo.hpp"
#include "escalator/store/audit.hpp"
#include "terminal_progress.hpp"

using escalator::tools::grouped;
using escalator::tools::TerminalProgress;

TEST_CASE("ProgressIsOneLineRewrittenInPlaceThenCleared") {
  std::ostringstream out;
  {
    TerminalProgress progress("audit", true, &out);
    progress.update("events", 4096, 0);
    progress.callback()("cases", 60000, 60000);  // the last is always shown
  }
  CHECK(out.str() ==
        "\r\x1b[Kaudit: 4,096 events"
        "\r\x1b[Kaudit: 60,000 of 60,000 cases (100%)"
        "\r\x1b[K");
}

TEST_CASE("NoProgressWhenTheOutputIsNotATerminal") {
  std::ostringstream out;
  {
    TerminalProgress progress("audit", false, &out);
    progress.update("events", 4096, 0);
  }
  CHECK(out.str().empty());
  CHECK(grouped(0) == "0");
  CHECK(grouped(999) == "999");
  CHECK(grouped(1000) == "1,000");
  CHECK(grouped(12345678) == "12,345,678");
}

TEST_CASE("TheAuditTellsHowManyEventsItHasRead") {
  escalator::testing::ScratchDir dir;
  const auto data = dir.path / "demo";
  std::ostringstream month;
  // 600 cases make some 5,000 events: past the first report, at 4,096.
  REQUIRE(escalator::tools::demo({"--quiet", "--cases", "600", "--data", data.string()}, escalator::Config{}, month) ==
          0);
  std::vector<std::pair<std::string, std::uint64_t>> heard;
  const auto report = escalator::audit_store(data, [&heard](std::string_view what, std::uint64_t done, std::uint64_t) {
    heard.emplace_back(std::string(what), done);
  });
  REQUIRE(report.has_value());
  REQUIRE(report->events > escalator::kProgressEvery);
  REQUIRE_FALSE(heard.empty());
  CHECK(heard.front() == std::pair<std::string, std::uint64_t>{"events", escalator::kProgressEvery});
}
