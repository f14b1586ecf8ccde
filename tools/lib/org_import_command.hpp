// `escalator import org FILE`, `escalator org versions` and `org export`: the
// org directory versions a store keeps (docs/directory.md, "Versions"), and
// a directory written out for the people who keep it.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "escalator/engine/config.hpp"
#include "org_commands.hpp"
#include "escalator/org/org_directory.hpp"
#include "escalator/util/result.hpp"

namespace escalator::tools {

// `escalator import org|calendar FILE [--data DIR]`.
int import_command(const std::vector<std::string>& args, const Config& config, std::ostream& out);

// `escalator org versions [--data DIR] [--json]`: every version, oldest first.
int org_versions_command(const std::string& data, bool json, std::ostream& out);

// `escalator org export`: the directory chosen (by default the sample) as a
// file, JSON or the spreadsheet's CSV, on `out`.
int org_export_command(const DirectoryChoice& directory, bool csv, std::ostream& out);

// Version `version` (0: the newest) of the directory the store at `data` keeps.
Result<std::shared_ptr<const OrgChart>> stored_chart(const std::filesystem::path& data, std::uint64_t version);

}  // namespace escalator::tools
