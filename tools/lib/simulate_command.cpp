#include "simulate_command.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>

#include "command_line.hpp"
#include "escalator/org/org_directory.hpp"
#include "escalator/store/store.hpp"
#include "escalator/workflow/workflow_registry.hpp"
#include "new_store.hpp"
#include "scenario.hpp"

namespace escalator::tools {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSimulateWhat = R"(Runs each scenario (a .scn file, or every .scn file under a directory) on a fresh engine
with a manual clock, prints its timeline unless --quiet (time, case, event, state, step,
level, holder and running deadlines), and reports every expectation that failed. With a
workflow file (WORKFLOW.json among the files), the scenarios run on that workflow alone;
otherwise on the one their `workflow:` header names, or the built-in one.)";

}  // namespace

int simulate_command(const std::vector<std::string>& args, const Config&, std::ostream& out) {
  auto app = command_app("escalator simulate", kSimulateWhat,
                         "Without --data, cases are kept in memory. Exits 1 if any scenario failed or the workflow "
                         "has a problem.");
  bool quiet = false;
  std::optional<fs::path> data;
  std::vector<std::string> named;
  std::vector<std::string> scenario_files;
  app->add_flag("--quiet", quiet, "print only each scenario's result");
  app->add_option("--data", data,
                  "keep each scenario's cases in a new durable store, DIR/FOLDER/NAME: the folder the scenario is "
                  "in and its name without .scn. A store already there is refused. The run fails if a stored case "
                  "differs from the engine's")
      ->option_text("DIR");
  app->add_option("--scenario", scenario_files, "a scenario file to run (beside a workflow file)")
      ->option_text("FILE");
  app->add_option("FILE_OR_DIR", named, "scenario files, directories of them, or one workflow file (.json)");
  if (auto done = parse_command_line(*app, args, out)) return *done;

  std::vector<fs::path> files(scenario_files.begin(), scenario_files.end());
  std::shared_ptr<const WorkflowCatalog> workflows;
  for (const std::string& a : named) {
    if (fs::path(a).extension() == ".json") {
      auto registry = std::make_shared<WorkflowRegistry>();
      auto read = load_workflow_file(a, *sample_directory());
      for (const auto& p : read.problems) out << p.text() << "\n";
      if (!read.workflow) return 1;
      if (auto published = registry->publish(std::move(*read.workflow)); !published) return 1;
      workflows = registry;
    } else if (std::error_code error; fs::is_directory(a, error)) {
      const auto before = files.size();
      for (fs::recursive_directory_iterator it(a, error), end; !error && it != end; it.increment(error)) {
        if (it->path().extension() == ".scn") files.push_back(it->path());
      }
      if (error) {
        out << "ERROR " << a << ": cannot be read: " << error.message() << "\n";
        return 1;
      }
      if (files.size() == before) {
        out << "ERROR " << a << ": holds no scenario (.scn) file\n";
        return 1;
      }
    } else {
      files.emplace_back(a);
    }
  }
  if (files.empty()) {
    return usage_error("escalator simulate", std::string("no scenario to run: name .scn files or directories") +
                                                 (workflows ? ", or --scenario FILE after the workflow" : ""));
  }
  std::sort(files.begin(), files.end());
  int failed = 0;
  for (const auto& file : files) {
    auto s = scenario::load(file);
    if (!s) {
      out << "ERROR " << s.error().message << "\n";
      ++failed;
      continue;
    }
    std::shared_ptr<CaseStore> store;
    if (data) {
      auto opened = open_new_store(*data / file.parent_path().filename() / file.stem());
      if (!opened) {
        out << "ERROR " << file.string() << ": " << opened.error().message << "\n";
        ++failed;
        continue;
      }
      store = *opened;
    }
    if (!quiet) out << "== " << s->name << " (" << file.string() << ")\n";
    const auto outcome = scenario::run(*s, quiet ? nullptr : &out, workflows, store);
    out << (outcome.passed ? "PASS " : "FAIL ") << file.string() << "  " << s->name << "\n";
    for (const auto& f : outcome.failures) out << "  " << f << "\n";
    if (!outcome.passed) ++failed;
  }
  out << files.size() - failed << " of " << files.size() << " scenarios passed\n";
  return failed == 0 ? 0 : 1;
}

}  // namespace escalator::tools
