// Every kind of mistake an administrator can make in a workflow file has a file
// under tests/workflows/bad/ and, beside it, the exact problems it must give.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "validate.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path kSource = ESCALATOR_SOURCE_DIR;

std::string read(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The problems as `escalator validate` prints them, paths relative to the source tree.
std::string problems_of(const fs::path& relative) {
  const auto problems = escalator::tools::validate_workflows({kSource / relative});
  std::string text;
  const std::string prefix = kSource.string() + "/";
  for (const auto& p : problems) {
    std::string line = p.text();
    for (std::size_t at; (at = line.find(prefix)) != std::string::npos;) line.erase(at, prefix.size());
    text += line + "\n";
  }
  return text;
}

}  // namespace

TEST_CASE("EveryBadWorkflowGivesExactlyItsExpectedProblems") {
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(kSource / "tests/workflows/bad")) {
    if (entry.path().extension() != ".expected") continue;
    fs::path subject = entry.path();
    subject.replace_extension(fs::is_directory(fs::path(subject).replace_extension()) ? "" : ".json");
    const fs::path relative = fs::relative(subject, kSource);
    CAPTURE(relative.string());
    const std::string expected = read(entry.path());
    CHECK_FALSE(expected.empty());
    CHECK(problems_of(relative) == expected);
    ++cases;
  }
  CHECK(cases >= 11);
}

TEST_CASE("ShippedWorkflowsHaveNoProblems") {
  CHECK(problems_of("workflows") == "");
}
