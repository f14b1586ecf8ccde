// `escalator bench`: the engine's speed, measured in one run against nothing
// but itself. docs/performance.md records the figures and how they were taken.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "escalator/engine/config.hpp"

namespace escalator::tools {

// Prints the figures, as text or (--json) one JSON object. Returns the exit code.
int bench(const std::vector<std::string>& args, const Config& config, std::ostream& out);

}  // namespace escalator::tools
