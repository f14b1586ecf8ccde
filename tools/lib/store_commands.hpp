// `escalator backup`, `restore` and `check`: looking after a durable store.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "escalator/engine/config.hpp"

namespace escalator::tools {

int backup_command(const std::vector<std::string>& args, const Config& config, std::ostream& out);
int restore_command(const std::vector<std::string>& args, const Config& config, std::ostream& out);
int check_command(const std::vector<std::string>& args, const Config& config, std::ostream& out);

}  // namespace escalator::tools
