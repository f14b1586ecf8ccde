// `escalator serve`: the engine's main job, the HTTP service (docs/http.md)
// on a durable store, with the timer driver on the system clock.
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "escalator/engine/config.hpp"

namespace escalator::tools {

// Runs until SIGINT or SIGTERM, then stops taking requests, answers those in
// flight and closes the store. `config_file`: the file --config named, whose
// "http" object is read too.
int serve_command(const std::vector<std::string>& args, const Config& config,
                  const std::optional<std::filesystem::path>& config_file, std::ostream& out);

}  // namespace escalator::tools
