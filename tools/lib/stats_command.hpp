// `escalator stats`: the figures supervisors report, per group over a period,
// from a store's counters (docs/stats.md).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "escalator/engine/config.hpp"

namespace escalator::tools {

int stats_command(const std::vector<std::string>& args, const Config& config, std::ostream& out);

}  // namespace escalator::tools
