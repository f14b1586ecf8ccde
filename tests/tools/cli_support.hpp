// What the CLI tests share: a directory of their own, and what a command did.
#pragma once

#include <filesystem>
#include <random>
#include <string>

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

}  // namespace escalator::testing
