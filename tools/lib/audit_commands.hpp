// `escalator audit verify` and `escalator replay`: what an auditor runs on a
// durable store (docs/history.md).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "escalator/engine/config.hpp"

namespace escalator::tools {

int audit_command(const std::vector<std::string>& args, const Config& config, std::ostream& out);
int replay_command(const std::vector<std::string>& args, const Config& config, std::ostream& out);

}  // namespace escalator::tools
