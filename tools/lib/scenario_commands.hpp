// Turns a scenario step such as `reply outcome=resolved answer="已修复"` into an
// engine Command. The step's words and key=value arguments are those of
// docs/scenarios.md; unknown arguments are errors, so a typo cannot pass
// silently.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>

#include "escalator/model/case.hpp"
#include "escalator/model/command.hpp"
#include "scenario.hpp"

namespace escalator::scenario {

struct CommandSite {
  std::string case_id;                                   // the case the step is about; empty for open
  std::function<Result<std::string>(const std::string&)> case_of_alias;  // "@b" -> id
  std::optional<CaseState> state;                        // the case's state, for timeouts' due
  int sequence = 0;                                      // for default idempotency keys
};

// Whether `verb` names a command (open, dispatch, ..., rating_timeout).
bool is_command(const std::string& verb);
// Every verb that names a command, for docs/scenarios.md to list.
const std::set<std::string>& command_verbs();

[[nodiscard]] Result<Command> build_command(const Step& step, const CommandSite& site,
                                            const std::string& file);

// Every deadline running in the case a day later: what recompute_deadlines
// moves when a scenario names none (a holiday extended by a day).
Deadlines a_day_later(const CaseState& k);

}  // namespace escalator::scenario
