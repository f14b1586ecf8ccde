// `escalator cases`: a running service's cases from the command line
// (docs/cli.md, "A running service's cases"), through its HTTP routes.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "escalator/engine/config.hpp"

namespace escalator::tools {

int cases_command(const std::vector<std::string>& args, const Config& config, std::ostream& out);

// Its subcommands: list, show, history, inbox, open, and one per lifecycle
// command the service routes, in that order.
std::vector<const char*> cases_subcommands();

}  // namespace escalator::tools
