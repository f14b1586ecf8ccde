// Scenarios: a case's life as data. A scenario file has a short header
// (name, description, group, start), then one step per line: commands, clock
// moves and exact expectations. docs/scenarios.md is the format's reference.
// `escalator simulate` and the test suite both run scenarios through here.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "escalator/util/result.hpp"
#include "escalator/store/store.hpp"
#include "escalator/util/time.hpp"
#include "escalator/model/workflow.hpp"

namespace escalator::scenario {

struct Step {
  int line = 0;
  std::string verb;                          // "open", "advance", "expect", ...
  std::vector<std::string> words;            // positional words after the verb
  std::map<std::string, std::string> args;   // key=value pairs, in any order
  std::vector<std::pair<std::string, std::string>> ordered_args;  // the same, as written
};

struct Scenario {
  std::string file;
  std::string name;
  std::string description;
  std::string group;
  // Workflow files, relative to the scenario's folder, that the scenario runs
  // on together, each case on the one their priority and `takes` choose;
  // none: the built-in.
  std::vector<std::string> workflows;
  Timestamp start{};
  std::vector<Step> steps;
};

// kInvalidArgument naming the file and line for a malformed header or step.
[[nodiscard]] Result<Scenario> parse(std::string_view text, std::string file);
[[nodiscard]] Result<Scenario> load(const std::filesystem::path& file);

struct Verdict {
  bool passed = true;
  std::vector<std::string> failures;  // "file:line: what was expected, what happened"
};

// Runs the scenario on a fresh engine with a manual clock, with the given
// workflows, else the scenario's `workflow:` file, else the built-in one. When
// `timeline` is given, writes each event as it happens: time, case, event, and
// the case's state, step, level, holder and next deadline after it.
// `store` null: in memory. Given a store, the run also fails if any case the
// store holds at the end differs from the engine's.
Verdict run(const Scenario& scenario, std::ostream* timeline = nullptr,
            std::shared_ptr<const WorkflowCatalog> workflows = nullptr,
            std::shared_ptr<CaseStore> store = nullptr);

}  // namespace escalator::scenario
