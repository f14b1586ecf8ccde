// Reading a subcommand's arguments: "--flag value" pairs, and the words
// between them where the command takes some (`replay --data DIR CASE_ID`).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace escalator::tools {

// The "--flag value" pairs; none (with the reason and `help` on stderr) when
// an argument is not one of `flags`, or a flag has no value. With
// `positional`, other words that do not start with "--" are put there.
std::optional<std::map<std::string, std::string>> options_of(const std::vector<std::string>& args,
                                                             const std::vector<std::string>& flags, const char* help,
                                                             std::vector<std::string>* positional = nullptr);

bool wants_help(const std::vector<std::string>& args);

}  // namespace escalator::tools
