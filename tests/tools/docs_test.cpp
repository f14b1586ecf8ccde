// Documentation that quotes code must quote the code that is built and run.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <vector>

#include "escalator/lifecycle/history.hpp"
#include "scenario_commands.hpp"

namespace {

std::string read(const std::string& relative) {
  std::ifstream in(std::string(ESCALATOR_SOURCE_DIR) + "/" + relative);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("EmbeddingGuideQuotesTheBuiltExampleVerbatim") {
  const std::string example = read("tests/embed/embed_example.cpp");
  REQUIRE_FALSE(example.empty());
  CHECK(read("docs/embedding.md").find("```cpp\n" + example + "```") != std::string::npos);
}

namespace {

struct HashExample {
  std::string prev_hash;
  std::string hash;
  std::string bytes;
};

// Each "prev_hash  X\nhash       Y\n```\n```json\nBYTES\n```" of docs/history.md.
std::vector<HashExample> hash_examples() {
  const std::string doc = read("docs/history.md");
  const std::regex example("```text\nprev_hash  ([0-9a-f]{64})\nhash       ([0-9a-f]{64})\n```\n```json\n([^\n]*)\n```");
  std::vector<HashExample> found;
  for (std::sregex_iterator it(doc.begin(), doc.end(), example), end; it != end; ++it) {
    found.push_back({(*it)[1], (*it)[2], (*it)[3]});
  }
  return found;
}

// What the coreutils recipe on the page prints for an example.
std::string coreutils_hash(const HashExample& e) {
  const auto file = std::filesystem::temp_directory_path() / ("escalator-doc-bytes-" + std::to_string(::getpid()));
  std::ofstream(file, std::ios::binary) << e.bytes;
  const std::string recipe = "{ printf '%s' " + e.prev_hash + " | tr a-f A-F | basenc --base16 -d; cat '" +
                             file.string() + "'; } | sha256sum";
  std::string output;
  if (FILE* pipe = ::popen(recipe.c_str(), "r")) {
    char buffer[128];
    while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
    ::pclose(pipe);
  }
  std::filesystem::remove(file);
  return output.substr(0, 64);
}

}  // namespace

TEST_CASE("TheHistoryPagesExamplesHashAsThePageSaysWithTheEngineAndWithCoreutils") {
  const auto examples = hash_examples();
  REQUIRE(examples.size() == 3);
  CHECK(examples[0].prev_hash == escalator::kGenesisHash);
  CHECK(examples[1].prev_hash == examples[0].hash);
  for (const auto& e : examples) {
    CAPTURE(e.bytes);
    CHECK(escalator::chained_hash(e.prev_hash, e.bytes) == e.hash);
    CHECK(coreutils_hash(e) == e.hash);
  }
}

TEST_CASE("TheHistoryPagesCommitmentExampleHoldsWithTheEngineAndWithCoreutils") {
  const std::string doc = read("docs/history.md");
  const std::regex example("```text\nsalt       ([0-9a-f]{64})\nvalue      ([^\n]+)\ncommitment ([0-9a-f]{64})\n```");
  std::smatch found;
  REQUIRE(std::regex_search(doc, found, example));
  const HashExample e{found[1], found[3], found[2]};
  CHECK(escalator::personal_commitment(e.prev_hash, e.bytes) == e.hash);
  CHECK(coreutils_hash(e) == e.hash);
}

// docs/scenarios.md lists every step the runner knows, with the words it
// fills in when a scenario gives none.
TEST_CASE("TheScenarioPageListsEveryStepWithTheDefaultsTheRunnerUses") {
  const std::string page = read("docs/scenarios.md");
  for (const std::string& verb : escalator::scenario::command_verbs()) {
    INFO(verb);
    // The row of the steps table whose first cell names the verb.
    std::string row;
    std::istringstream lines(page);
    for (std::string line; row.empty() && std::getline(lines, line);) {
      const auto second_bar = line.find(" | ");
      if (line.starts_with("| `") && second_bar != std::string::npos &&
          line.substr(0, second_bar).find("`" + verb + "`") != std::string::npos) {
        row = line;
      }
    }
    REQUIRE_FALSE(row.empty());
    escalator::scenario::Step step;
    step.verb = verb;
    escalator::scenario::CommandSite site;
    site.case_id = "370811-20251111-000001";
    site.case_of_alias = [](const std::string& a) -> escalator::Result<std::string> { return a; };
    if (verb == "merge") step.args["into"] = step.ordered_args.emplace_back("into", site.case_id).second;
    if (verb == "raise_warning") step.args["kind"] = step.ordered_args.emplace_back("kind", "reply").second;
    const auto built = escalator::scenario::build_command(step, site, "t.scn");
    REQUIRE_MESSAGE(built.has_value(), built.error().message);
    std::visit(
        [&](const auto& c) {
          std::vector<std::string> defaults;
          if constexpr (requires { c.reason; }) defaults.push_back(c.reason);
          if constexpr (requires { c.note; }) defaults.push_back(c.note);
          if constexpr (requires { c.answer; }) defaults.push_back(c.answer);
          if constexpr (requires { c.content; }) defaults.push_back(c.content);
          if constexpr (requires { c.category; }) defaults.push_back(c.category);
          for (const auto& text : defaults) {
            if (!text.empty()) CHECK_MESSAGE(row.find("(" + text + ")") != std::string::npos, text);
          }
        },
        built->payload);
  }
}
