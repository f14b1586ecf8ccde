// escalator: one CLI, one subcommand per job. Each subcommand answers --help.
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "audit_commands.hpp"
#include "cli_options.hpp"
#include "erase_command.hpp"
#include "bench.hpp"
#include "calendar_commands.hpp"
#include "demo.hpp"
#include "new_store.hpp"
#include "org_commands.hpp"
#include "org_import_command.hpp"
#include "queue_command.hpp"
#include "stats_command.hpp"
#include "store_commands.hpp"
#include "escalator/engine/config.hpp"
#include "escalator/org/org_directory.hpp"
#include "escalator/store/store.hpp"
#include "escalator/workflow/workflow_registry.hpp"
#include "validate.hpp"
#include "lifecycle_doc.hpp"
#include "scenario.hpp"
#include "serve_command.hpp"

namespace fs = std::filesystem;
using namespace escalator;

namespace {

constexpr const char* kUsage = R"(escalator carries residents' cases up the ladder of city governance until someone closes them.

Usage: escalator COMMAND [OPTIONS]

Commands:
  serve       the engine over HTTP with JSON, on a durable store, deadlines firing on their own
  demo        run a month of sample cases through the engine and print their timelines
  simulate    run scenario files (docs/scenarios.md) and report each one
  bench       measure complete lifecycles per second and CPU time per command
  lifecycle   print the lifecycle table that docs/lifecycle.md holds
  validate    check workflow files (docs/workflows.md)
  config      check a configuration file (docs/configuration.md)
  check       read every case of a durable store back and check it is whole
  backup      add a verified backup of a durable store to a backup directory
  restore     restore a backup into a new store directory
  audit       verify a durable store's hash chains, log and snapshots (audit verify)
  replay      print a stored case's timeline and the case at any past moment
  erase       erase residents' personal data from a durable store once their cases are over
  calendar    the official working-day calendar: days, deadlines, checking notice files
  org         the org directory: show a unit, place or person; route a workflow at a place; check files;
              the versions a store keeps
  import      store a new version of the org directory (or a calendar notice) in a store
  queue       the cases waiting for a dispatcher: routing could not place them or find their holder
  stats       the figures supervisors report, per unit, level, category, channel, grid or street over a period

Run 'escalator COMMAND --help' for what a command takes.
)";

bool wants_help(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") return true;
  }
  return false;
}

// The configuration named by --config FILE, or the defaults.
bool read_config(std::vector<std::string>& args, Config& config, std::optional<fs::path>& file) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] != "--config") continue;
    if (i + 1 >= args.size()) {
      std::cerr << "--config: expected a file\n";
      return false;
    }
    auto loaded = load_config(args[i + 1]);
    if (!loaded) {
      std::cerr << loaded.error().message << "\n";
      return false;
    }
    config = *loaded;
    file = args[i + 1];
    args.erase(args.begin() + i, args.begin() + i + 2);
    return true;
  }
  return true;
}

int simulate(std::vector<std::string> args) {
  if (wants_help(args) || args.empty()) {
    std::cout << "Usage: escalator simulate [--quiet] [--data DIR] FILE_OR_DIR...\n"
                 "       escalator simulate [--quiet] [--data DIR] WORKFLOW.json --scenario FILE...\n\n"
                 "Runs each scenario (a .scn file, or every .scn file under a directory) on a fresh\n"
                 "engine with a manual clock, prints its timeline unless --quiet (time, case, event,\n"
                 "state, step, level, holder and running deadlines), and reports every expectation\n"
                 "that failed. With a workflow file, the scenarios run on that workflow alone;\n"
                 "otherwise on the one their `workflow:` header names, or the built-in one.\n\n"
                 "  --data DIR  keep each scenario's cases in a new durable store, DIR/FOLDER/NAME: the\n"
                 "              folder the scenario is in and its name without .scn. A store already\n"
                 "              there is refused. The run fails if a stored case differs from the\n"
                 "              engine's.\n"
                 "Without --data, cases are kept in memory. Exits 1 if any scenario failed or the\n"
                 "workflow has a problem.\n";
    return args.empty() ? 2 : 0;
  }
  bool quiet = false;
  std::optional<fs::path> data;
  std::vector<fs::path> files;
  std::shared_ptr<const WorkflowCatalog> workflows;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--quiet") {
      quiet = true;
    } else if (a == "--data") {
      if (i + 1 >= args.size()) {
        std::cout << "ERROR --data: expected a directory\n";
        return 2;
      }
      data = args[++i];
    } else if (a == "--scenario" && i + 1 < args.size()) {
      files.emplace_back(args[++i]);
    } else if (fs::path(a).extension() == ".json") {
      auto registry = std::make_shared<WorkflowRegistry>();
      auto read = load_workflow_file(a, *sample_directory());
      for (const auto& p : read.problems) std::cout << p.text() << "\n";
      if (!read.workflow) return 1;
      if (auto published = registry->publish(std::move(*read.workflow)); !published) return 1;
      workflows = registry;
    } else if (std::error_code error; fs::is_directory(a, error)) {
      const auto before = files.size();
      for (fs::recursive_directory_iterator it(a, error), end; !error && it != end; it.increment(error)) {
        if (it->path().extension() == ".scn") files.push_back(it->path());
      }
      if (error) {
        std::cout << "ERROR " << a << ": cannot be read: " << error.message() << "\n";
        return 1;
      }
      if (files.size() == before) {
        std::cout << "ERROR " << a << ": holds no scenario (.scn) file\n";
        return 1;
      }
    } else {
      files.emplace_back(a);
    }
  }
  if (files.empty()) {
    std::cout << "ERROR no scenario to run: name .scn files or directories"
              << (workflows ? ", or --scenario FILE after the workflow" : "") << "\n";
    return 2;
  }
  std::sort(files.begin(), files.end());
  int failed = 0;
  for (const auto& file : files) {
    auto s = scenario::load(file);
    if (!s) {
      std::cout << "ERROR " << s.error().message << "\n";
      ++failed;
      continue;
    }
    std::shared_ptr<CaseStore> store;
    if (data) {
      auto opened = tools::open_new_store(*data / file.parent_path().filename() / file.stem());
      if (!opened) {
        std::cout << "ERROR " << file.string() << ": " << opened.error().message << "\n";
        ++failed;
        continue;
      }
      store = *opened;
    }
    if (!quiet) std::cout << "== " << s->name << " (" << file.string() << ")\n";
    const auto outcome = scenario::run(*s, quiet ? nullptr : &std::cout, workflows, store);
    std::cout << (outcome.passed ? "PASS " : "FAIL ") << file.string() << "  " << s->name << "\n";
    for (const auto& f : outcome.failures) std::cout << "  " << f << "\n";
    if (!outcome.passed) ++failed;
  }
  std::cout << files.size() - failed << " of " << files.size() << " scenarios passed\n";
  return failed == 0 ? 0 : 1;
}

constexpr const char* kValidateHelp =
    "Usage: escalator validate [--org FILE | --data DIR [--version N]] FILE_OR_DIR...\n\n"
    "Checks workflow files (a .json file, or every .json file in a directory) against\n"
    "schemas/workflow.schema.json and then for meaning: step ids, the ladder, roles the org\n"
    "directory holds, durations, and workflows that claim the same cases at one priority.\n"
    "Roles are looked for in the directory the workflows will route by: --org FILE (JSON or\n"
    "CSV), or the newest version a store holds (--data DIR, or version N of it); the sample\n"
    "directory when neither is given.\n"
    "Prints every problem as FILE:LINE: POINTER: reason. Exits 1 if there is any.\n";

int validate(std::vector<std::string> args) {
  if (wants_help(args) || args.empty()) {
    std::cout << kValidateHelp;
    return args.empty() ? 2 : 0;
  }
  std::vector<std::string> words;
  const auto options = tools::options_of(args, {"--org", "--data", "--version"}, kValidateHelp, &words);
  if (!options) return 2;
  if (options->contains("--org") && options->contains("--data")) {
    std::cerr << "validate: --org FILE or --data DIR, not both\n";
    return 2;
  }
  if (words.empty()) {
    std::cerr << "validate: name the workflow files or directories to check\n";
    return 2;
  }
  const auto directory = tools::org_chart_from(*options);
  if (!directory) return 1;
  const std::vector<fs::path> paths(words.begin(), words.end());
  const auto problems = tools::validate_workflows(paths, *directory);
  for (const auto& p : problems) std::cout << p.text() << "\n";
  std::cout << problems.size() << (problems.size() == 1 ? " problem\n" : " problems\n");
  return problems.empty() ? 0 : 1;
}

int config_check(std::vector<std::string> args) {
  if (wants_help(args) || args.size() != 2 || args[0] != "check") {
    std::cout << "Usage: escalator config check FILE\n\n"
                 "Checks FILE against the configuration schema and prints every error, naming the key.\n";
    return wants_help(args) ? 0 : 2;
  }
  auto loaded = load_config(args[1]);
  if (!loaded) {
    std::cerr << loaded.error().message << "\n";
    return 1;
  }
  std::cout << args[1] << ": valid\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  const std::string command = args.front();
  args.erase(args.begin());
  Config config;
  std::optional<fs::path> config_file;
  if (!read_config(args, config, config_file)) return 2;
  if (command == "serve") return tools::serve_command(args, config, config_file, std::cout);
  if (command == "simulate") return simulate(args);
  if (command == "config") return config_check(args);
  if (command == "validate") return validate(args);
  if (command == "demo") return tools::demo(args, config, std::cout);
  if (command == "bench") return tools::bench(args, std::cout);
  if (command == "check") return tools::check_command(args, std::cout);
  if (command == "audit") return tools::audit_command(args, std::cout);
  if (command == "replay") return tools::replay_command(args, std::cout);
  if (command == "erase") return tools::erase_command(args, config, std::cout);
  if (command == "backup") return tools::backup_command(args, std::cout);
  if (command == "restore") return tools::restore_command(args, std::cout);
  if (command == "calendar") return tools::calendar_command(args, config, std::cout);
  if (command == "org") return tools::org_command(args, config, std::cout);
  if (command == "import") return tools::import_command(args, config, std::cout);
  if (command == "queue") return tools::queue_command(args, config, std::cout);
  if (command == "stats") return tools::stats_command(args, config, std::cout);
  if (command == "lifecycle") return tools::lifecycle_command(args, std::cout);
  std::cerr << "escalator: unknown command '" << command << "'\n\n" << kUsage;
  return 2;
}
