// `escalator workflows`: a running service's workflows from the command line
// (docs/cli.md), through its HTTP routes: list, show, publish, retire, reinstate.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "escalator/engine/config.hpp"

namespace escalator::tools {

int workflows_command(const std::vector<std::string>& args, const Config& config, std::ostream& out);

}  // namespace escalator::tools
