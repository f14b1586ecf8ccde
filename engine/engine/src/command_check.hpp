// Checks a command's fields before it reaches the lifecycle table: what is
// malformed whatever the case's state. Errors are kInvalidArgument and name the
// field: "reason: required for return", "content: 5012 bytes, more than the
// limit of 4000".
#pragma once

#include "escalator/model/command.hpp"
#include "escalator/engine/config.hpp"
#include "escalator/util/result.hpp"

namespace escalator {

[[nodiscard]] Result<void> check_command(const Command& command, const Limits& limits, Timestamp now);

}  // namespace escalator
