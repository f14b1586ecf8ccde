// Every subcommand of `escalator`, in the order `escalator --help` lists them,
// and the reference docs/cli.md holds: each one's --help, generated.
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "escalator/engine/config.hpp"

namespace escalator::tools {

struct Subcommand {
  const char* name;
  const char* what;  // one line, for `escalator --help`
  int (*run)(const std::vector<std::string>& args, const Config& config, std::ostream& out);
  std::vector<const char*> subcommands;  // `org show`, `org route`, …; each has a --help of its own
};

std::span<const Subcommand> subcommands();
const Subcommand* find_subcommand(const std::string& name);

// `escalator --help`.
void print_usage(std::ostream& out);

// Runs `escalator NAME args`, the configuration read from `config_file` when
// one is given (`serve` reads its "http" object from the file too).
int run_subcommand(const Subcommand& command, const std::vector<std::string>& args, const Config& config,
                   const std::optional<std::filesystem::path>& config_file, std::ostream& out);

inline constexpr const char* kHelpBeginMarker = "<!-- BEGIN GENERATED: escalator help --markdown -->\n";
inline constexpr const char* kHelpEndMarker = "<!-- END GENERATED: escalator help -->";

// Every command's and subcommand's --help, as markdown sections.
std::string help_reference_markdown();

// Every --help as plain text, one after another (the man page's COMMANDS).
std::string help_reference_text();

// `escalator help [COMMAND [SUBCOMMAND]] [--all | --markdown | --update FILE]`.
int help_command(const std::vector<std::string>& args, const Config& config, std::ostream& out);

// Replaces what lies between `begin` and `end` in the file at `path` with
// `text`; 1, said on `out`, when the file has no such markers.
int replace_between_markers(const std::string& path, std::string_view begin, std::string_view end,
                            const std::string& text, std::ostream& out);

}  // namespace escalator::tools
