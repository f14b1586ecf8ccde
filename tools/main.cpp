// escalator: one CLI, one subcommand per job (tools/lib/commands.cpp). Each
// subcommand reads its own arguments with CLI11 and answers --help.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "command_line.hpp"
#include "commands.hpp"
#include "escalator/engine/config.hpp"
#include "escalator/store/store.hpp"

namespace fs = std::filesystem;
using namespace escalator;

namespace {

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

// Whether the configuration file sets log_level itself (it was read already,
// so it is valid JSON).
bool names_log_level(const fs::path& file) {
  std::ifstream in(file);
  const auto json = nlohmann::json::parse(in, nullptr, false);
  return json.is_object() && json.contains("log_level");
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    tools::print_usage(std::cerr);
    return 2;
  }
  const std::string command = args.front();
  args.erase(args.begin());
  if (command == "--help" || command == "-h") {
    tools::print_usage(std::cout);
    return 0;
  }
  if (command == "--version") {
    std::cout << "escalator " << ESCALATOR_VERSION << " (store format " << kStoreFormatVersion << ")\n";
    return 0;
  }
  const tools::Subcommand* found = tools::find_subcommand(command);
  if (found == nullptr) {
    std::cerr << "escalator: no command '" << command << "'\n\n";
    tools::print_usage(std::cerr);
    return 2;
  }
  Config config;
  const auto config_file = config_file_in(args);
  if (config_file) {
    auto loaded = load_config(*config_file);
    if (!loaded) {
      return tools::usage_error("escalator " + command, "--config: " + loaded.error().message);
    }
    config = *loaded;
  }
  // The engine's log goes to stderr beside what the command prints: warnings
  // and errors only, unless the configuration asks for more by log_level.
  if (!config_file || !names_log_level(*config_file)) config.log_level = LogLevel::kWarn;
  return tools::run_subcommand(*found, args, config, config_file, std::cout);
}
