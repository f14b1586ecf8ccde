// Who a workflow step goes to for a case at a place: the one answer the engine
// acts on when it dispatches or escalates, and that `escalator org route`
// prints. Pure functions of the directory, the place and the step.
#pragma once

#include <string>
#include <vector>

#include "escalator/model/case.hpp"
#include "escalator/org/directory.hpp"
#include "escalator/util/result.hpp"
#include "escalator/model/workflow.hpp"

namespace escalator {

// The lead unit (主办) for `step` at `where`, at the instant `at`: the unit playing the step's role
// there, else the directory's fallbacks for that role, else the step's own
// fallback_roles in order, each at the step's level and then the levels above
// (docs/directory.md, "Who holds a step"). kNotFound when nobody is left.
[[nodiscard]] Result<std::string> lead_unit_for(const OrgDirectory& directory, const Location& where,
                                                const WorkflowStep& step, Timestamp at);

// The co-handling units (协办) the step brings in at `where`: the holders of
// its co_handler_roles, in order, without `lead` and without repeats. A role
// nobody holds there brings in nobody.
std::vector<std::string> co_handling_units_for(const OrgDirectory& directory, const Location& where,
                                               const WorkflowStep& step, const std::string& lead, Timestamp at);

}  // namespace escalator
