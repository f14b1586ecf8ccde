// `escalator import org FILE` and `escalator org versions`: the org directory
// versions a store keeps (docs/directory.md, "Versions").
#pragma once

#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "escalator/config.hpp"
#include "escalator/org_directory.hpp"
#include "escalator/result.hpp"

namespace escalator::tools {

// `escalator import org|calendar FILE [--data DIR]`.
int import_command(const std::vector<std::string>& args, const Config& config, std::ostream& out);

// `escalator org versions [--data DIR]`: every version, oldest first.
int org_versions_command(const std::string& data, std::ostream& out);

// Version `version` (0: the newest) of the directory the store at `data` keeps.
Result<std::shared_ptr<const OrgChart>> stored_chart(const std::filesystem::path& data, std::uint64_t version);

}  // namespace escalator::tools
