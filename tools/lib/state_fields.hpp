// A case's state as named text fields, for scenario expectations and the CLI:
// `expect state=dispatched holder=yangguang-garden.branch reopens=1`.
#pragma once

#include <string>
#include <vector>

#include "escalator/model/case.hpp"
#include "escalator/util/result.hpp"

namespace escalator {

// kInvalidArgument listing the known fields when `field` is not one of them.
[[nodiscard]] Result<std::string> state_field(const CaseState& state, const std::string& field);
const std::vector<std::string>& state_field_names();

}  // namespace escalator
