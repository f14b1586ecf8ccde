// `escalator calendar days|add|check`: the official working-day calendar.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "escalator/engine/config.hpp"

namespace escalator::tools {

// Working hours are counted in the configuration's (calendar.working_hours).
int calendar_command(const std::vector<std::string>& args, const Config& config, std::ostream& out);

}  // namespace escalator::tools
