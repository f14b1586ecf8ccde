#include "escalator/access/jurisdiction.hpp"

#include <algorithm>

#include "escalator/org/org_directory.hpp"

namespace escalator::access {
namespace {

// The case's places from district to building, as the directory in force
// draws them.
Location placed(const CaseState& state, const OrgDirectory& directory, Timestamp now) {
  if (state.location.compound.empty() && state.location.building.empty()) return state.location;
  auto now_placed = directory.complete(state.location, now);
  return now_placed ? *now_placed : state.location;
}

bool lies_under(const Location& where, const std::string& place) {
  return !place.empty() && (where.district_code == place || where.street == place || where.community == place ||
                            where.grid == place || where.compound == place || where.building == place);
}

const OrgUnit* unit_at(const OrgDirectory& directory, const std::string& id, Timestamp now) {
  const auto* chart = dynamic_cast<const OrgChart*>(&directory);
  const OrgUnit* unit = chart ? chart->unit(id) : nullptr;
  return unit != nullptr && unit->in_force.at(now) ? unit : nullptr;
}

}  // namespace

std::optional<std::string> report_place(const ApiKey& key, const OrgDirectory& directory, Timestamp now) {
  switch (key.jurisdiction.kind) {
    case Jurisdiction::Kind::kEverywhere: return std::nullopt;
    case Jurisdiction::Kind::kPlace: return key.jurisdiction.id;
    case Jurisdiction::Kind::kUnit: {
      const OrgUnit* unit = unit_at(directory, key.jurisdiction.id, now);
      return unit ? unit->place : std::string();
    }
  }
  return std::string();
}

bool place_lies_within(const OrgDirectory& directory, const std::string& place, const std::string& within,
                       Timestamp now) {
  const auto* chart = dynamic_cast<const OrgChart*>(&directory);
  if (chart == nullptr || within.empty()) return false;
  // Six levels from building to district; a bound in case of a cycle.
  std::string at = place;
  for (int step = 0; step < 8 && !at.empty(); ++step) {
    if (at == within) return true;
    const OrgPlace* p = chart->place(at, now);
    if (p == nullptr) return false;
    at = p->parent;
  }
  return false;
}

bool unit_lies_within(const OrgDirectory& directory, const std::string& unit, const std::string& within, Timestamp now) {
  const OrgUnit* found = unit_at(directory, unit, now);
  return found != nullptr && place_lies_within(directory, found->place, within, now);
}

bool holds(const ApiKey& key, const CaseState& state) {
  if (key.jurisdiction.kind != Jurisdiction::Kind::kUnit) return false;
  const auto& unit = key.jurisdiction.id;
  return state.lead_unit == unit || std::find(state.co_handlers.begin(), state.co_handlers.end(), unit) != state.co_handlers.end();
}

bool sees(const ApiKey& key, const CaseState& state, const OrgDirectory& directory, Timestamp now) {
  if (key.channel && state.channel != *key.channel) return false;
  switch (key.jurisdiction.kind) {
    case Jurisdiction::Kind::kEverywhere: return true;
    case Jurisdiction::Kind::kPlace: return lies_under(placed(state, directory, now), key.jurisdiction.id);
    case Jurisdiction::Kind::kUnit: {
      if (holds(key, state)) return true;
      const OrgUnit* unit = unit_at(directory, key.jurisdiction.id, now);
      return unit != nullptr && lies_under(placed(state, directory, now), unit->place);
    }
  }
  return false;
}

}  // namespace escalator::access
