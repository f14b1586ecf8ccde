// `escalator org show|route|check|versions`: what the org directory holds and whom
// routing picks for each step of a workflow at a place (docs/directory.md).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "escalator/config.hpp"

namespace escalator::tools {

int org_command(const std::vector<std::string>& args, const Config& config, std::ostream& out);

}  // namespace escalator::tools
