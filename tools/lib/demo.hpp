// `escalator demo`: a month of sample cases through the engine on a manual
// clock, printing each case's timeline and a summary. What `make run` starts
// until the engine has an HTTP service.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "escalator/engine/config.hpp"

namespace escalator::tools {

int demo(const std::vector<std::string>& args, const Config& config, std::ostream& out);

}  // namespace escalator::tools
