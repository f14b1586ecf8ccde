// Writes tests/scenarios/cells/: one scenario per lifecycle state, in which a
// case is brought to that state for every command and the command is tried,
// with the engine's answer written down as the expectation. Once committed they
// are ordinary scenarios: if the engine's answer in any cell changes, they fail.
#pragma once

#include <filesystem>
#include <ostream>

namespace escalator::tools {

// Writes one .scn file per state into `dir`. Returns the number written.
int write_cell_scenarios(const std::filesystem::path& dir, std::ostream& out);

}  // namespace escalator::tools
