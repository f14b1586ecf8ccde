// `escalator org show|route|check|versions`: what the org directory holds and whom
// routing picks for each step of a workflow at a place (docs/directory.md).
#pragma once

#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "escalator/engine/config.hpp"
#include "escalator/org/org_directory.hpp"

namespace escalator::tools {

int org_command(const std::vector<std::string>& args, const Config& config, std::ostream& out);

// The directory --org FILE or --data DIR [--version N] names (the sample
// when neither is given); none, with the reasons on stderr, when it cannot be read.
std::shared_ptr<const OrgChart> org_chart_from(const std::map<std::string, std::string>& options);

}  // namespace escalator::tools
