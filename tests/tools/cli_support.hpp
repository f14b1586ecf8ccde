// What the CLI tests share: a directory of their own, and what a command did.
#pragma once

#include <filesystem>
#include <ostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "escalator/engine/config.hpp"

namespace escalator::testing {

// A fresh directory under the system's temporary one, removed with everything in it.
struct ScratchDir {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("escalator-cli-" + std::to_string(std::random_device{}()));
  ScratchDir() { std::filesystem::create_directories(path); }
  ~ScratchDir() { std::filesystem::remove_all(path); }
};

// A command's exit code and what it wrote to its output stream.
struct Ran {
  int code;
  std::string out;
};

// An escalator subcommand as tools/ implements it (`tools::org_command`, ...).
using Subcommand = int (*)(const std::vector<std::string>&, const Config&, std::ostream&);

// What `command` does with `args` and the default configuration.
inline Ran run(Subcommand command, const std::vector<std::string>& args) {
  std::ostringstream out;
  const int code = command(args, Config{}, out);
  return {code, out.str()};
}

}  // namespace escalator::testing
