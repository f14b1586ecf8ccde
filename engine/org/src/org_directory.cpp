// Answering routing's questions from a directory read from a file
// (org_chart.hpp), with hash lookups and a look at each record's dates.
#include <algorithm>

#include "escalator/org/address.hpp"
#include "org_chart.hpp"

namespace escalator {
namespace {

std::string day_of(Timestamp at) { return format_time(at).substr(0, 10); }

template <class Record>
const Record* in_force_at(const std::vector<Record>& records, const std::vector<int>& which, Timestamp at) {
  for (const int i : which) {
    const Record& record = records[static_cast<std::size_t>(i)];
    if (record.in_force.at(at)) return &record;
  }
  return nullptr;
}

std::string place_words(const Location& where) {
  if (!where.compound.empty()) return "compound '" + where.compound + "'";
  if (!where.building.empty()) return "building '" + where.building + "'";
  return "the place of location.address";
}

}  // namespace

std::string InForce::words() const {
  if (always()) return "always";
  if (valid_to.empty()) return "from " + valid_from;
  if (valid_from.empty()) return "to " + valid_to;
  return "from " + valid_from + " to " + valid_to;
}

const OrgPlace* LoadedDirectory::place_at(const std::string& id, Timestamp at) const {
  const auto it = place_index.find(id);
  return it == place_index.end() ? nullptr : in_force_at(places, it->second, at);
}

const OrgPlace* LoadedDirectory::parent_at(const OrgPlace& child, Timestamp at) const {
  if (child.parent.empty()) return nullptr;
  const int sole = sole_parent[static_cast<std::size_t>(&child - places.data())];
  return sole >= 0 ? &places[static_cast<std::size_t>(sole)] : place_at(child.parent, at);
}

const OrgUnit* LoadedDirectory::player(const std::string& place_id, const std::string& role, Timestamp at) const {
  const auto it = players.find(player_key(place_id, role));
  return it == players.end() ? nullptr : in_force_at(units, it->second, at);
}

const std::string* LoadedDirectory::fallback_of(const std::string& role) const {
  const auto it = roles_by_id.find(role);
  return it == roles_by_id.end() || it->second.fallback.empty() ? nullptr : &it->second.fallback;
}

// ---- OrgDirectory ----

Result<Location> LoadedDirectory::complete(const Location& partial, Timestamp at) const {
  auto path = path_of(partial, at);
  if (!path) return tl::unexpected(std::move(path.error()));
  // The directory is the authority on the places above a building or
  // compound: what a hotline order says about them may be a name or stale.
  Location full = partial;
  for (const OrgPlace* p : *path) {
    if (p->level == Level::kBuilding) full.building = p->id;
    if (p->level == Level::kCompound) full.compound = p->id;
    if (p->level == Level::kGrid) full.grid = p->id;
    if (p->level == Level::kCommunity) full.community = p->id;
    if (p->level == Level::kStreet) full.street = p->id;
  }
  return full;
}

Result<std::string> LoadedDirectory::holder(const Location& where, const WorkflowStep& step, Timestamp at) const {
  auto path = path_of(where, at);
  if (!path) return tl::unexpected(std::move(path.error()));
  // The step's own role, at the place of the step's level...
  std::size_t from = 0;
  while (from < path->size() && (*path)[from]->level != step.level) ++from;
  if (from < path->size()) {
    if (const OrgUnit* unit = player((*path)[from]->id, step.role, at)) return unit->id;
    // ...else its fallbacks, each at the nearest place from there up.
    for (const std::string* role = fallback_of(step.role); role != nullptr; role = fallback_of(*role)) {
      for (std::size_t i = from; i < path->size(); ++i) {
        if (const OrgUnit* unit = player((*path)[i]->id, *role, at)) return unit->id;
      }
    }
  }
  return fail(ErrorCode::kNotFound, "No unit holds role '" + step.role + "' for " + place_words(where) +
                                        " on " + day_of(at) + ", nor any fallback");
}

bool LoadedDirectory::has_role(Level level, const std::string& role) const {
  const auto level_of = [this](const OrgUnit& unit) {
    const auto it = place_index.find(unit.place);
    return places[static_cast<std::size_t>(it->second.front())].level;
  };
  for (const OrgUnit& unit : units) {
    if (unit.role == role && level_of(unit) == level) return true;
  }
  // A fallback held at that level or above serves (a compound without a party branch).
  for (const std::string* instead = fallback_of(role); instead != nullptr; instead = fallback_of(*instead)) {
    for (const OrgUnit& unit : units) {
      if (unit.role == *instead && level_of(unit) >= level) return true;
    }
  }
  return false;
}

std::optional<Level> LoadedDirectory::unit_level(const std::string& unit_id, Timestamp at) const {
  const auto it = unit_index.find(unit_id);
  if (it == unit_index.end()) return std::nullopt;
  const OrgUnit& found = units[static_cast<std::size_t>(it->second)];
  if (!found.in_force.at(at)) return std::nullopt;
  const OrgPlace* where = place_at(found.place, at);
  if (where == nullptr) return std::nullopt;
  return where->level;
}

// ---- OrgChart ----

const OrgPlace* LoadedDirectory::place(const std::string& id, Timestamp at) const {
  const auto it = place_index.find(id);
  if (it == place_index.end()) return nullptr;
  const OrgPlace* now = in_force_at(places, it->second, at);
  return now != nullptr ? now : &places[static_cast<std::size_t>(it->second.back())];
}

const OrgPlace* LoadedDirectory::place_of_address(std::string_view address, Timestamp at) const {
  const std::string normal = normalise_address(address);
  // The longest entry the address begins with, ending between characters:
  // 3号楼2单元501 is found by the entry for 3号楼, never by a near miss.
  for (std::size_t end = normal.size(); end > 0; --end) {
    if (end < normal.size() && (static_cast<unsigned char>(normal[end]) & 0xC0) == 0x80) continue;
    const auto it = address_index.find(normal.substr(0, end));
    if (it == address_index.end()) continue;
    for (const auto& [place_id, in_force] : it->second) {
      if (in_force.at(at)) return place_at(place_id, at);
    }
  }
  return nullptr;
}

const OrgRole* LoadedDirectory::role(const std::string& id) const {
  const auto it = roles_by_id.find(id);
  return it == roles_by_id.end() ? nullptr : &it->second;
}

const OrgUnit* LoadedDirectory::unit(const std::string& id) const {
  const auto it = unit_index.find(id);
  return it == unit_index.end() ? nullptr : &units[static_cast<std::size_t>(it->second)];
}

std::vector<const OrgRole*> LoadedDirectory::roles() const {
  std::vector<const OrgRole*> found;
  for (const auto& [id, role] : roles_by_id) found.push_back(&role);
  return found;
}

std::vector<const OrgPlace*> LoadedDirectory::places_at(Level level) const {
  std::vector<const OrgPlace*> found;
  for (const OrgPlace& p : places) {
    if (p.level == level) found.push_back(&p);
  }
  return found;
}

std::vector<const OrgPlace*> LoadedDirectory::places_under(const std::string& parent) const {
  std::vector<const OrgPlace*> found;
  for (const OrgPlace& p : places) {
    if (p.parent == parent) found.push_back(&p);
  }
  return found;
}

std::vector<const OrgUnit*> LoadedDirectory::units_at(const std::string& place_id) const {
  std::vector<const OrgUnit*> found;
  for (const OrgUnit& u : units) {
    if (u.place == place_id) found.push_back(&u);
  }
  return found;
}

std::vector<OrgPost> LoadedDirectory::posts_in(const std::string& unit_id) const {
  std::vector<OrgPost> found;
  for (const OrgPerson& person : people) {
    for (const OrgPost& post : person.posts) {
      if (post.unit == unit_id) found.push_back(post);
    }
  }
  return found;
}

std::vector<OrgPost> LoadedDirectory::posts_of(const std::string& person_id) const {
  std::vector<OrgPost> found;
  for (const OrgPerson& person : people) {
    if (person.id == person_id) found.insert(found.end(), person.posts.begin(), person.posts.end());
  }
  return found;
}

std::vector<Location> OrgChart::compounds_at(Timestamp at) const {
  std::vector<Location> found;
  for (const OrgPlace* compound : places_at(Level::kCompound)) {
    if (!compound->in_force.at(at)) continue;
    const OrgPlace* up = compound;
    while (up != nullptr && up->level != Level::kDistrict) up = up->parent.empty() ? nullptr : place(up->parent, at);
    if (up == nullptr) continue;  // a compound under no district is the file checks' to report
    Location where;
    where.district_code = up->id;
    where.compound = compound->id;
    found.push_back(std::move(where));
  }
  return found;
}

// The places from the location's building (when the directory knows it) or
// compound up to its district, as they are at `at`.
Result<std::vector<const OrgPlace*>> LoadedDirectory::path_of(const Location& where, Timestamp at) const {
  if (where.district_code.empty()) return fail(ErrorCode::kInvalidArgument, "location.district_code: required");
  const OrgPlace* district = place_at(where.district_code, at);
  if (district == nullptr || district->level != Level::kDistrict) {
    return fail(ErrorCode::kNotFound, "No district " + where.district_code + " in the directory");
  }
  // A place the directory knows but not at `at` (a building not yet built, a
  // compound since merged into another) is refused, never taken as a label.
  const auto known_then = [&](const std::string& id, Level level) -> Result<const OrgPlace*> {
    const OrgPlace* any = id.empty() ? nullptr : place(id, at);
    if (any == nullptr || any->level != level) return nullptr;
    if (!any->in_force.at(at)) {
      return fail(ErrorCode::kNotFound, std::string(to_string(level)) + " '" + id + "' is not in the directory on " +
                                            day_of(at) + ": it is there " + any->in_force.words());
    }
    return any;
  };
  auto building = known_then(where.building, Level::kBuilding);
  if (!building) return tl::unexpected(std::move(building.error()));
  auto compound = known_then(where.compound, Level::kCompound);
  if (!compound) return tl::unexpected(std::move(compound.error()));
  // A building the directory knows places the case, else its compound, else
  // its address through the address table; beside a compound, any other
  // building text is the resident's own label for it ("3号楼2单元").
  if (*building == nullptr && where.compound.empty()) {
    if (!where.address.empty()) {
      // The address is personal data: the message does not repeat it.
      const OrgPlace* named = place_of_address(where.address, at);
      if (named == nullptr) {
        return fail(ErrorCode::kNotFound, "location.address: matches no entry of the directory's address table");
      }
      (named->level == Level::kBuilding ? *building : *compound) = named;
    } else if (where.building.empty()) {
      return fail(ErrorCode::kInvalidArgument,
                  "location.compound: required, unless location.building or location.address places the case");
    } else {
      return fail(ErrorCode::kNotFound,
                  "No building '" + where.building + "' in district " + where.district_code + " of the directory");
    }
  }
  if (*building != nullptr) {
    const OrgPlace* its_compound = parent_at(**building, at);
    if (!where.compound.empty() && (its_compound == nullptr || its_compound->id != where.compound)) {
      return fail(ErrorCode::kInvalidArgument, "location.building: '" + (*building)->id + "' is in compound '" +
                                                   (*building)->parent + "', not in '" + where.compound + "'");
    }
    *compound = its_compound;
  }
  std::vector<const OrgPlace*> path;
  if (*building != nullptr) path.push_back(*building);
  for (const OrgPlace* p = *compound; p != nullptr; p = parent_at(*p, at)) {
    path.push_back(p);
  }
  if (path.empty() || path.back() != district) {
    return fail(ErrorCode::kNotFound, "No " + place_words(where) + " in district " + where.district_code +
                                          " of the directory");
  }
  return path;
}

}  // namespace escalator
