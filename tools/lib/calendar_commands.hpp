// `escalator calendar days|add|check`: the official working-day calendar.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace escalator::tools {

int calendar_command(const std::vector<std::string>& args, std::ostream& out);

}  // namespace escalator::tools
