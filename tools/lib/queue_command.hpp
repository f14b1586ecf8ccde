// `escalator queue`: the cases of a store waiting for a dispatcher (docs/directory.md,
// "The dispatcher queue").
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "escalator/engine/config.hpp"

namespace escalator::tools {

int queue_command(const std::vector<std::string>& args, const Config& config, std::ostream& out);

}  // namespace escalator::tools
