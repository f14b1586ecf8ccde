// docs/lifecycle.md holds the lifecycle table between two markers. The table is
// computed by deciding every state x command cell, so this test walks every
// cell and fails if the engine and the documentation disagree in any of them.
#include <doctest/doctest.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "escalator/model/command.hpp"
#include "lifecycle_doc.hpp"

namespace {

using escalator::tools::kBeginMarker;
using escalator::tools::kEndMarker;

std::string documented_table() {
  std::ifstream in(std::string(ESCALATOR_SOURCE_DIR) + "/docs/lifecycle.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  const auto begin = doc.find(kBeginMarker);
  const auto end = doc.find(kEndMarker);
  if (begin == std::string::npos || end == std::string::npos) return "(markers not found)";
  return doc.substr(begin + std::strlen(kBeginMarker), end - begin - std::strlen(kBeginMarker));
}

}  // namespace

TEST_CASE("DocumentedLifecycleTableIsWhatTheEngineDecides") {
  const std::string generated = escalator::tools::lifecycle_markdown();
  const std::string documented = documented_table();
  if (generated != documented) {
    // Name the first differing line, so the failure says which cell moved.
    std::istringstream g(generated), d(documented);
    std::string gl, dl;
    int line = 1;
    while (std::getline(g, gl) && std::getline(d, dl) && gl == dl) ++line;
    FAIL_CHECK("docs/lifecycle.md differs from `escalator lifecycle` at table line " << line
               << "\n  documented: " << dl << "\n  engine:     " << gl
               << "\nRegenerate with: build/tools/escalator lifecycle --update docs/lifecycle.md");
  }
}

TEST_CASE("TableWalksEveryStateAndCommand") {
  const std::string md = escalator::tools::lifecycle_markdown();
  // 12 columns (no case + 11 states), one section each, every command in each.
  std::size_t sections = 0;
  for (auto at = md.find("\n#### "); at != std::string::npos; at = md.find("\n#### ", at + 1)) ++sections;
  CHECK(sections == 12);
  std::size_t refusals = 0, decisions = 0;
  for (auto at = md.find("| refused ("); at != std::string::npos; at = md.find("| refused (", at + 1)) ++refusals;
  for (auto at = md.find("| → "); at != std::string::npos; at = md.find("| → ", at + 1)) ++decisions;
  for (auto at = md.find("| stays "); at != std::string::npos; at = md.find("| stays ", at + 1)) ++decisions;
  CHECK(refusals + decisions == 12 * escalator::kCommandKindCount);
}
