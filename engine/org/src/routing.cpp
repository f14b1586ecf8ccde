// Routing a workflow step to units of the org directory (routing.hpp).
#include "escalator/org/routing.hpp"

#include <algorithm>

namespace escalator {
namespace {

// The holder of a step's fallback role for the place: at the step's level,
// else the nearest level above.
Result<std::string> held_by_fallback(const OrgDirectory& directory, const Location& where, const WorkflowStep& step,
                                     const std::string& role, Timestamp at) {
  WorkflowStep asked;
  asked.role = role;
  for (int level = static_cast<int>(step.level); level <= static_cast<int>(Level::kDistrict); ++level) {
    asked.level = static_cast<Level>(level);
    auto unit = directory.holder(where, asked, at);
    if (unit || unit.error().code != ErrorCode::kNotFound) return unit;
  }
  return fail(ErrorCode::kNotFound,
              "No unit holds role '" + step.role + "' for compound '" + where.compound + "', nor role '" + role + "'");
}

}  // namespace

Result<std::string> lead_unit_for(const OrgDirectory& directory, const Location& where, const WorkflowStep& step,
                                  Timestamp at) {
  auto held = directory.holder(where, step, at);
  for (std::size_t i = 0; !held && held.error().code == ErrorCode::kNotFound && i < step.fallback_roles.size(); ++i) {
    held = held_by_fallback(directory, where, step, step.fallback_roles[i], at);
  }
  return held;
}

std::vector<std::string> co_handling_units_for(const OrgDirectory& directory, const Location& where,
                                               const WorkflowStep& step, const std::string& lead, Timestamp at) {
  std::vector<std::string> units;
  for (const auto& [level, role] : step.co_handler_roles) {
    WorkflowStep asked;
    asked.level = level;
    asked.role = role;
    auto unit = directory.holder(where, asked, at);
    if (unit && *unit != lead && std::find(units.begin(), units.end(), *unit) == units.end()) {
      units.push_back(std::move(*unit));
    }
  }
  return units;
}

}  // namespace escalator
