#include "commands.hpp"

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "audit_commands.hpp"
#include "bench.hpp"
#include "calendar_commands.hpp"
#include "cases_command.hpp"
#include "workflows_command.hpp"
#include "command_line.hpp"
#include "demo.hpp"
#include "erase_command.hpp"
#include "keys_command.hpp"
#include "lifecycle_doc.hpp"
#include "org_commands.hpp"
#include "org_import_command.hpp"
#include "queue_command.hpp"
#include "serve_command.hpp"
#include "simulate_command.hpp"
#include "stats_command.hpp"
#include "store_commands.hpp"
#include "validate.hpp"

namespace escalator::tools {
namespace {

// `serve` also takes the configuration file's path; run_subcommand calls it.
int serve_without_file(const std::vector<std::string>& args, const Config& config, std::ostream& out) {
  return serve_command(args, config, std::nullopt, out);
}

const std::vector<Subcommand>& table() {
  static const std::vector<Subcommand> kTable = {
      {"serve", "the engine over HTTP with JSON, on a durable store, deadlines firing on their own", serve_without_file, {}},
      {"demo", "run a month of sample cases through the engine and print their timelines", demo, {}},
      {"simulate", "run scenario files (docs/scenarios.md) and report each one", simulate_command, {}},
      {"bench", "measure lifecycles per second, durable commands, timers, replay, routing, reports", bench, {}},
      {"lifecycle", "print the lifecycle table that docs/lifecycle.md holds", lifecycle_command, {}},
      {"validate", "check workflow files (docs/workflows.md)", validate_command, {}},
      {"config", "check a configuration file (docs/configuration.md)", config_command, {"check"}},
      {"check", "the quick check: read every case of a durable store back", check_command, {}},
      {"backup", "add a verified backup of a durable store to a backup directory, or list them", backup_command, {}},
      {"restore", "restore a backup into a new store directory", restore_command, {}},
      {"audit", "verify a durable store's hash chains, log, snapshots and counters (audit verify)", audit_command,
       {"verify"}},
      {"replay", "print a stored case's timeline and the case at any past moment", replay_command, {}},
      {"erase", "erase residents' personal data from a durable store once their cases are over", erase_command, {}},
      {"keys", "the API keys a service checks callers against: add (shown once), list, revoke", keys_command,
       {"add", "list", "revoke"}},
      {"calendar", "the official working-day calendar: days, deadlines, notice files, imports", calendar_command,
       {"days", "add", "check", "import", "imports"}},
      {"org", "the org directory: show, route, check, versions, export", org_command,
       {"show", "route", "check", "versions", "export"}},
      {"import", "store a new version of the org directory (or a calendar notice) in a store", import_command,
       {"org", "calendar"}},
      {"cases", "a running service's cases: list, show, history, inbox, open, and every lifecycle command",
       cases_command, cases_subcommands()},
      {"workflows", "a running service's workflows: list, show, publish a new version, retire, reinstate",
       workflows_command, {"list", "show", "publish", "retire", "reinstate"}},
      {"queue", "the cases waiting for a dispatcher: routing could not place them or find their holder",
       queue_command, {}},
      {"stats", "the figures supervisors report, per unit, level, category, channel, grid or street", stats_command, {}},
      {"help", "the help of every command, or of one; --all for all of it", help_command, {}},
  };
  return kTable;
}

std::string help_of(const Subcommand& command, const char* sub) {
  std::ostringstream out;
  std::vector<std::string> args;
  if (sub != nullptr) args.emplace_back(sub);
  args.emplace_back("--help");
  command.run(args, Config{}, out);
  return out.str();
}

}  // namespace

std::span<const Subcommand> subcommands() { return table(); }

const Subcommand* find_subcommand(const std::string& name) {
  const auto& all = table();
  const auto found = std::find_if(all.begin(), all.end(), [&](const Subcommand& c) { return name == c.name; });
  return found == all.end() ? nullptr : &*found;
}

void print_usage(std::ostream& out) {
  out << "Usage: escalator COMMAND [OPTIONS]\n\n"
         "escalator carries residents' cases up the ladder of city governance until someone closes them.\n\n"
         "Commands:\n";
  for (const auto& c : table()) out << "  " << std::left << std::setw(11) << c.name << c.what << "\n";
  out << "\nRun 'escalator COMMAND --help' for what a command takes (docs/cli.md), 'escalator --version' for the\n"
         "version and the store format it writes.\n";
}

int run_subcommand(const Subcommand& command, const std::vector<std::string>& args, const Config& config,
                   const std::optional<std::filesystem::path>& config_file, std::ostream& out) {
  if (command.run == serve_without_file) return serve_command(args, config, config_file, out);
  return command.run(args, config, out);
}

// Every command's help, then each of its subcommands', as `take` wants it:
// the command's name, the subcommand's (empty for the command) and the help.
template <class Take>
void each_help(Take take) {
  for (const auto& c : table()) {
    if (std::string_view(c.name) == "help") continue;
    take(c.name, "", help_of(c, nullptr));
    for (const char* sub : c.subcommands) take(c.name, sub, help_of(c, sub));
  }
}

std::string help_reference_markdown() {
  std::ostringstream md;
  each_help([&md](std::string_view command, std::string_view sub, const std::string& help) {
    md << (sub.empty() ? "\n### escalator " : "\n#### escalator ") << command << (sub.empty() ? "" : " ") << sub
       << "\n\n```\n" << help << "```\n";
  });
  return md.str();
}

std::string help_reference_text() {
  std::ostringstream text;
  each_help([&text](std::string_view, std::string_view, const std::string& help) { text << help << "\n"; });
  return text.str();
}

int help_command(const std::vector<std::string>& args, const Config&, std::ostream& out) {
  auto app = command_app("escalator help",
                         "Prints the help of a command (or of one of its subcommands), as `escalator COMMAND --help`\n"
                         "does; with no command, what `escalator --help` prints.");
  std::vector<std::string> words;
  bool all = false;
  bool markdown = false;
  std::string update;
  auto* named = app->add_option("COMMAND", words, "a command, and one of its subcommands");
  auto* all_flag = app->add_flag("--all", all, "every command's help, one after another")->excludes(named);
  auto* markdown_flag = app->add_flag("--markdown", markdown, "every command's help as the markdown docs/cli.md holds")
                            ->excludes(named);
  app->add_option("--update", update, "replace that markdown in FILE, between its generated-reference markers")
      ->option_text("FILE")
      ->excludes(all_flag)
      ->excludes(markdown_flag);
  all_flag->excludes(markdown_flag);
  if (auto done = parse_command_line(*app, args, out)) return *done;
  if (all) {
    out << help_reference_text();
    return 0;
  }
  if (markdown) {
    out << help_reference_markdown();
    return 0;
  }
  if (!update.empty()) {
    return replace_between_markers(update, kHelpBeginMarker, kHelpEndMarker, help_reference_markdown(), out);
  }
  if (words.empty()) {
    print_usage(out);
    return 0;
  }
  const Subcommand* command = find_subcommand(words.front());
  if (command == nullptr || words.size() > 2) {
    std::cerr << "escalator help: no command '" << words.front() << (words.size() > 1 ? " " + words[1] : "")
              << "'\nRun 'escalator --help' for the commands.\n";
    return 2;
  }
  out << help_of(*command, words.size() == 2 ? words[1].c_str() : nullptr);
  return 0;
}

int replace_between_markers(const std::string& path, std::string_view begin, std::string_view end,
                            const std::string& text, std::ostream& out) {
  std::ifstream in(path);
  std::stringstream read;
  read << in.rdbuf();
  std::string doc = read.str();
  const auto from = doc.find(begin);
  const auto to = doc.find(end);
  if (!in || from == std::string::npos || to == std::string::npos || to < from) {
    out << path << ": no generated-text markers to replace between\n";
    return 1;
  }
  doc.replace(from + begin.size(), to - from - begin.size(), text);
  std::ofstream(path) << doc;
  out << path << ": updated\n";
  return 0;
}

}  // namespace escalator::tools
