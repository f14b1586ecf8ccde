// Progress on a terminal, and none anywhere else.
#include <doctest/doctest.h>

#include <sstream>

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
