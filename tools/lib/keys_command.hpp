// `escalator keys`: the API keys file a service checks callers against
// (docs/access.md, "Keys"): add a key (shown once), list, revoke.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "escalator/engine/config.hpp"

namespace escalator::tools {

int keys_command(const std::vector<std::string>& args, const Config& config, std::ostream& out);

}  // namespace escalator::tools
