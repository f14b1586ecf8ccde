// `escalator backup`, `restore` and `check`: looking after a durable store.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace escalator::tools {

int backup_command(const std::vector<std::string>& args, std::ostream& out);
int restore_command(const std::vector<std::string>& args, std::ostream& out);
int check_command(const std::vector<std::string>& args, std::ostream& out);

}  // namespace escalator::tools
