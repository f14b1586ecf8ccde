// The lifecycle table as documentation. Every cell (state x command) is
// computed by deciding the command on a case in that state, so the table shows
// what the engine does, and a test checks docs/lifecycle.md holds it verbatim.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "escalator/engine/config.hpp"

namespace escalator::tools {

inline constexpr const char* kBeginMarker = "<!-- BEGIN GENERATED: escalator lifecycle -->\n";
inline constexpr const char* kEndMarker = "<!-- END GENERATED -->";

// The markdown between the generated-table markers of docs/lifecycle.md.
std::string lifecycle_markdown();

// `escalator lifecycle [--markdown]`.
int lifecycle_command(const std::vector<std::string>& args, const Config& config, std::ostream& out);

}  // namespace escalator::tools
