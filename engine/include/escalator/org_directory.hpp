// The org directory read from a file administrators keep (docs/directory.md):
// places from district down to building, the roles units play, the units that
// play them and the people who hold posts in them. Reading checks the whole
// file and refuses it with every problem located; a directory already in
// force is never touched by a file that fails.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "escalator/directory.hpp"
#include "escalator/file_problem.hpp"

namespace escalator {

struct OrgFile {
  std::shared_ptr<const OrgDirectory> directory;  // present only when there are no problems
  std::vector<FileProblem> problems;
};

// Checks the text against schemas/org.schema.json (compiled in), then its
// meaning: ids unique, each place's parent one level above it, no cycles,
// each unit playing a declared role at a place of that role's level, no two
// units playing one role at one place, fallbacks that name declared roles at
// the same level or above and end, posts in units that exist.
OrgFile read_org_directory(std::string_view text, const std::string& file);
OrgFile load_org_directory_file(const std::filesystem::path& file);

}  // namespace escalator
