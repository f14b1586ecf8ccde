// `escalator org show|route|check|versions`: what the org directory holds and whom
// routing picks for each step of a workflow at a place (docs/directory.md).
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "escalator/engine/config.hpp"
#include "escalator/org/org_directory.hpp"

namespace CLI {
class App;
}

namespace escalator::tools {

int org_command(const std::vector<std::string>& args, const Config& config, std::ostream& out);

// Which org directory a command reads: --org FILE, version --version N (0:
// the newest) of the store at --data DIR, or, neither given, the sample
// compiled in.
struct DirectoryChoice {
  std::string org;
  std::string data;
  std::uint64_t version = 0;

  // Declares --org, --data and --version on `app`.
  void add_to(CLI::App& app);
  // The directory; none, with the reasons on stderr, when it cannot be read.
  std::shared_ptr<const OrgChart> chart() const;
};

}  // namespace escalator::tools
