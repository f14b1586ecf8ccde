// `escalator erase`: residents' personal data deleted once its time is up
// (docs/history.md, "Erasure").
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "escalator/engine/config.hpp"

namespace escalator::tools {

int erase_command(const std::vector<std::string>& args, const Config& config, std::ostream& out);

}  // namespace escalator::tools
