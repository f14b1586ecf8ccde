#include "cli_options.hpp"

#include <algorithm>
#include <iostream>

namespace escalator::tools {

std::optional<std::map<std::string, std::string>> options_of(const std::vector<std::string>& args,
                                                             const std::vector<std::string>& flags, const char* help,
                                                             std::vector<std::string>* positional) {
  std::map<std::string, std::string> values;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const bool known = std::find(flags.begin(), flags.end(), args[i]) != flags.end();
    if (!known && positional != nullptr && !args[i].starts_with("--")) {
      positional->push_back(args[i]);
      continue;
    }
    if (!known || i + 1 >= args.size()) {
      std::cerr << (known ? args[i] + " expects a value" : "unexpected '" + args[i] + "'") << "\n\n" << help;
      return std::nullopt;
    }
    values[args[i]] = args[i + 1];
    ++i;
  }
  return values;
}

bool wants_help(const std::vector<std::string>& args) {
  return std::find(args.begin(), args.end(), "--help") != args.end() ||
         std::find(args.begin(), args.end(), "-h") != args.end();
}

}  // namespace escalator::tools
