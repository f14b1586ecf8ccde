// `escalator validate`: workflow files checked one by one, then together.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "escalator/engine/config.hpp"

#include "escalator/org/org_directory.hpp"
#include "escalator/workflow/workflow_files.hpp"

namespace escalator::tools {

// Every problem of the files (a directory stands for its *.json files), in
// file order, then the problems between them. Roles are looked for in
// `directory`: the one the workflows will route by (the sample, unless told).
std::vector<WorkflowProblem> validate_workflows(const std::vector<std::filesystem::path>& paths,
                                                const OrgDirectory& directory);
std::vector<WorkflowProblem> validate_workflows(const std::vector<std::filesystem::path>& paths);

// `escalator validate FILE_OR_DIR... [--org FILE | --data DIR [--version N]]`.
int validate_command(const std::vector<std::string>& args, const Config& config, std::ostream& out);

// `escalator config check FILE`.
int config_command(const std::vector<std::string>& args, const Config& config, std::ostream& out);

}  // namespace escalator::tools
