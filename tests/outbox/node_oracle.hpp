// Runs one of the npm oracles under tests/outbox (a .cjs script over a file
// of inputs) with the packages scripts/install-deps.sh put in the build tree.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>

namespace escalator::testing {

struct OracleSaid {
  int status = -1;   // the script's exit status as pclose gives it: 0 when every input passed
  std::string text;  // what it printed, errors included
};

inline OracleSaid run_node_oracle(const std::string& script, const std::filesystem::path& inputs) {
  const std::string command = "NODE_PATH=" ESCALATOR_NODE_MODULES " node " ESCALATOR_SOURCE_DIR "/tests/outbox/" +
                              script + " " + inputs.string() + " 2>&1";
  OracleSaid said;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return said;
  char buffer[512];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) said.text += buffer;
  said.status = pclose(pipe);
  return said;
}

}  // namespace escalator::testing
