// `escalator simulate`: scenario files run on a fresh engine each, with a
// manual clock (docs/scenarios.md).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "escalator/engine/config.hpp"

namespace escalator::tools {

int simulate_command(const std::vector<std::string>& args, const Config& config, std::ostream& out);

}  // namespace escalator::tools
