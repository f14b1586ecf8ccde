// Every subcommand's arguments, read by CLI11 (`libcli11-dev`) with one help
// layout and one set of exit codes: 0 after help, 2 after a usage error.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "escalator/engine/config.hpp"
#include "escalator/util/time.hpp"

namespace escalator::tools {

// The parser of `escalator NAME` ("escalator org"): its help reads usage first,
// then `what`, its options, and `footer` (exit codes, where the docs are).
// Subcommands added to it lay out their help the same way.
std::unique_ptr<CLI::App> command_app(const std::string& name, const std::string& what,
                                      const std::string& footer = {});

// --data DIR: every command that opens a store takes it, with one default,
// the configuration's data_dir; and so --config FILE too.
CLI::Option* add_data_option(CLI::App& app, std::filesystem::path& data, const Config& config);

// --config FILE. main() reads the file before the command runs, so that the
// command receives it as a Config; declared here so that help lists it.
CLI::Option* add_config_option(CLI::App& app);

// --json: the command prints one JSON document (docs/cli.md gives its shape).
CLI::Option* add_json_flag(CLI::App& app, bool& json);

// An option holding a moment in RFC 3339 (2025-11-11T12:00:00+08:00), refused
// as a usage error naming the option when it is not one.
CLI::Option* add_time_option(CLI::App& app, const std::string& name, std::optional<Timestamp>& time,
                             const std::string& what);

// A check that the value is a whole number from `least` to `most`, refused
// as "expected a whole number from 1 to 5000, but got '1.5'".
CLI::Validator whole_number(std::uint64_t least, std::uint64_t most);

// Reads `args` (the words after the command's name). nullopt: run the command.
// Otherwise the command is done and this is its exit code: 0 when help was
// asked for (printed to `out`), 2 for a usage error (on stderr, naming the
// option and the reason).
std::optional<int> parse_command_line(CLI::App& app, const std::vector<std::string>& args, std::ostream& out);

// Says a usage error of `command` ("escalator org route") on stderr, with
// where its help is, as the parser says its own; returns 2, the exit code.
int usage_error(std::string_view command, std::string_view why);

// "1 case", "2 cases": a count and its noun, for lines people read.
std::string count_of(std::size_t n, std::string_view one, std::string_view many);

// The deepest subcommand `app` was given (`org` → `show`), or `app` itself.
const CLI::App& chosen_subcommand(const CLI::App& app);

}  // namespace escalator::tools
