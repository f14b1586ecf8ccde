// escalator: one CLI, one subcommand per job. Each subcommand reads its own
// arguments with CLI11 (tools/lib/command_line.hpp) and answers --help.
#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "audit_commands.hpp"
#include "bench.hpp"
#include "calendar_commands.hpp"
#include "demo.hpp"
#include "erase_command.hpp"
#include "escalator/engine/config.hpp"
#include "escalator/store/store.hpp"
#include "lifecycle_doc.hpp"
#include "org_commands.hpp"
#include "org_import_command.hpp"
#include "queue_command.hpp"
#include "serve_command.hpp"
#include "simulate_command.hpp"
#include "stats_command.hpp"
#include "store_commands.hpp"
#include "validate.hpp"

namespace fs = std::filesystem;
using namespace escalator;

namespace {

using Run = int (*)(const std::vector<std::string>&, const Config&, std::ostream&);

struct Subcommand {
  const char* name;
  const char* what;
  Run run;  // null for serve, which also takes the configuration file's path
};

constexpr Subcommand kSubcommands[] = {
    {"serve", "the engine over HTTP with JSON, on a durable store, deadlines firing on their own", nullptr},
    {"demo", "run a month of sample cases through the engine and print their timelines", tools::demo},
    {"simulate", "run scenario files (docs/scenarios.md) and report each one", tools::simulate_command},
    {"bench", "measure lifecycles per second, durable commands, timers, replay, routing, reports", tools::bench},
    {"lifecycle", "print the lifecycle table that docs/lifecycle.md holds", tools::lifecycle_command},
    {"validate", "check workflow files (docs/workflows.md)", tools::validate_command},
    {"config", "check a configuration file (docs/configuration.md)", tools::config_command},
    {"check", "the quick check: read every case of a durable store back", tools::check_command},
    {"backup", "add a verified backup of a durable store to a backup directory, or list them", tools::backup_command},
    {"restore", "restore a backup into a new store directory", tools::restore_command},
    {"audit", "verify a durable store's hash chains, log, snapshots and counters (audit verify)", tools::audit_command},
    {"replay", "print a stored case's timeline and the case at any past moment", tools::replay_command},
    {"erase", "erase residents' personal data from a durable store once their cases are over", tools::erase_command},
    {"calendar", "the official working-day calendar: days, deadlines, notice files, imports", tools::calendar_command},
    {"org", "the org directory: show, route, check, versions, export", tools::org_command},
    {"import", "store a new version of the org directory (or a calendar notice) in a store", tools::import_command},
    {"queue", "the cases waiting for a dispatcher: routing could not place them or find their holder",
     tools::queue_command},
    {"stats", "the figures supervisors report, per unit, level, category, channel, grid or street",
     tools::stats_command},
};

void print_usage(std::ostream& out) {
  out << "Usage: escalator COMMAND [OPTIONS]\n"
         "       escalator --version\n\n"
         "escalator carries residents' cases up the ladder of city governance until someone closes them.\n\n"
         "Commands:\n";
  for (const auto& c : kSubcommands) out << "  " << std::left << std::setw(11) << c.name << c.what << "\n";
  out << "\nRun 'escalator COMMAND --help' for what a command takes (docs/cli.md).\n";
}

// The file --config names (as "--config FILE" or "--config=FILE"), if any.
// The subcommand reads the option too, to list it in its help and refuse it
// where it means nothing.
std::optional<fs::path> config_file_in(const std::vector<std::string>& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--config" && i + 1 < args.size()) return args[i + 1];
    if (args[i].starts_with("--config=")) return args[i].substr(9);
  }
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    print_usage(std::cerr);
    return 2;
  }
  const std::string command = args.front();
  args.erase(args.begin());
  if (command == "--help" || command == "-h" || command == "help") {
    print_usage(std::cout);
    return 0;
  }
  if (command == "--version") {
    std::cout << "escalator " << ESCALATOR_VERSION << " (store format " << kStoreFormatVersion << ")\n";
    return 0;
  }
  const auto* found = std::find_if(std::begin(kSubcommands), std::end(kSubcommands),
                                   [&](const Subcommand& c) { return command == c.name; });
  if (found == std::end(kSubcommands)) {
    std::cerr << "escalator: no command '" << command << "'\n\n";
    print_usage(std::cerr);
    return 2;
  }
  Config config;
  const auto config_file = config_file_in(args);
  if (config_file) {
    auto loaded = load_config(*config_file);
    if (!loaded) {
      std::cerr << "--config: " << loaded.error().message << "\n";
      return 2;
    }
    config = *loaded;
  }
  if (found->run == nullptr) return tools::serve_command(args, config, config_file, std::cout);
  return found->run(args, config, std::cout);
}
