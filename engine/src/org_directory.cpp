// Reading an org directory file (org_directory.hpp) and answering routing's
// questions from it with hash lookups.
#include "escalator/org_directory.hpp"

#include <map>
#include <optional>
#include <unordered_map>

#include "embedded.hpp"
#include "json_file.hpp"

namespace escalator {
namespace {

using Json = nlohmann::json;

const JsonSchema& schema() {
  static const JsonSchema compiled(embedded::org_schema());
  return compiled;
}

Level level_named(const std::string& name) {
  for (int l = static_cast<int>(Level::kBuilding); l <= static_cast<int>(Level::kDistrict); ++l) {
    if (to_string(static_cast<Level>(l)) == name) return static_cast<Level>(l);
  }
  return Level::kBuilding;  // the schema lists the names, so this is not reached
}

std::string level_text(Level level) { return std::string(to_string(level)); }

// "a → b → a" when following `next` (parents, fallbacks) from `start` comes
// back to it; `next` gives "" where the chain ends. At most `limit` steps, so
// a circle that `start` only leads into ends the walk too.
template <class Next>
std::optional<std::string> circle_from(const std::string& start, Next next, std::size_t limit) {
  std::string chain = start;
  std::string at = next(start);
  for (std::size_t steps = 0; steps <= limit && !at.empty(); ++steps) {
    chain += " → " + at;
    if (at == start) return chain;
    at = next(at);
  }
  return std::nullopt;
}

struct Place {
  std::string id;
  std::string name;
  Level level = Level::kBuilding;
  std::string parent_id;
  int parent = -1;
};

struct Role {
  std::string name;
  Level level = Level::kBuilding;
  std::string fallback;  // empty: none
};

struct Unit {
  std::string id;
  std::string name;
  std::string role;
  int place = -1;
};

class LoadedDirectory final : public OrgDirectory {
 public:
  std::vector<Place> places;
  std::unordered_map<std::string, int> place_index;
  std::map<std::string, Role, std::less<>> roles;
  std::vector<Unit> units;
  std::unordered_map<std::string, int> unit_index;
  // place id + '\n' + role -> the unit playing that role there
  std::unordered_map<std::string, int> posts;

  static std::string post_key(std::string_view place, std::string_view role) {
    std::string key(place);
    key += '\n';
    key += role;
    return key;
  }

  const Place* place(const std::string& id) const {
    const auto it = place_index.find(id);
    return it == place_index.end() ? nullptr : &places[static_cast<std::size_t>(it->second)];
  }

  const Unit* post_holder(const std::string& place_id, const std::string& role) const {
    const auto it = posts.find(post_key(place_id, role));
    return it == posts.end() ? nullptr : &units[static_cast<std::size_t>(it->second)];
  }

  const std::string* fallback_of(const std::string& role) const {
    const auto it = roles.find(role);
    return it == roles.end() || it->second.fallback.empty() ? nullptr : &it->second.fallback;
  }

  Result<Location> complete(const Location& partial) const override {
    auto path = path_of(partial);
    if (!path) return tl::unexpected(std::move(path.error()));
    // The directory is the authority on the units above a compound: what a
    // hotline order says about street or community may be a name or stale.
    Location full = partial;
    for (const Place* p : *path) {
      if (p->level == Level::kGrid) full.grid = p->id;
      if (p->level == Level::kCommunity) full.community = p->id;
      if (p->level == Level::kStreet) full.street = p->id;
    }
    return full;
  }

  Result<std::string> holder(const Location& where, const WorkflowStep& step) const override {
    auto path = path_of(where);
    if (!path) return tl::unexpected(std::move(path.error()));
    // The step's own role, at the place of the step's level...
    std::size_t at = 0;
    while (at < path->size() && (*path)[at]->level != step.level) ++at;
    if (at < path->size()) {
      if (const Unit* unit = post_holder((*path)[at]->id, step.role)) return unit->id;
      // ...else its fallbacks, each at the nearest place from there up.
      for (const std::string* role = fallback_of(step.role); role != nullptr; role = fallback_of(*role)) {
        for (std::size_t i = at; i < path->size(); ++i) {
          if (const Unit* unit = post_holder((*path)[i]->id, *role)) return unit->id;
        }
      }
    }
    return fail(ErrorCode::kNotFound, "No unit holds role '" + step.role + "' for compound '" + where.compound +
                                          "', nor any fallback");
  }

  bool has_role(Level level, const std::string& role) const override {
    for (const Unit& unit : units) {
      if (unit.role == role && places[static_cast<std::size_t>(unit.place)].level == level) return true;
    }
    // A fallback held at that level or above serves (a compound without a party branch).
    for (const std::string* instead = fallback_of(role); instead != nullptr; instead = fallback_of(*instead)) {
      for (const Unit& unit : units) {
        if (unit.role == *instead && places[static_cast<std::size_t>(unit.place)].level >= level) return true;
      }
    }
    return false;
  }

  std::optional<Level> unit_level(const std::string& unit) const override {
    const auto it = unit_index.find(unit);
    if (it == unit_index.end()) return std::nullopt;
    return places[static_cast<std::size_t>(units[static_cast<std::size_t>(it->second)].place)].level;
  }

 private:
  // The places from the location's compound up to its district.
  Result<std::vector<const Place*>> path_of(const Location& where) const {
    if (where.district_code.empty()) return fail(ErrorCode::kInvalidArgument, "location.district_code: required");
    if (where.compound.empty()) return fail(ErrorCode::kInvalidArgument, "location.compound: required");
    const Place* district = place(where.district_code);
    if (district == nullptr || district->level != Level::kDistrict) {
      return fail(ErrorCode::kNotFound, "No district " + where.district_code + " in the directory");
    }
    std::vector<const Place*> path;
    const Place* p = place(where.compound);
    if (p != nullptr && p->level == Level::kCompound) {
      for (; p != nullptr; p = p->parent < 0 ? nullptr : &places[static_cast<std::size_t>(p->parent)]) {
        path.push_back(p);
      }
    }
    if (path.empty() || path.back() != district) {
      return fail(ErrorCode::kNotFound,
                  "No compound '" + where.compound + "' in district " + where.district_code + " of the directory");
    }
    return path;
  }
};

// Reads the document the schema has vouched for into `d`, reporting what the
// schema cannot say through `file`.
class OrgReader {
 public:
  OrgReader(JsonFile& file, LoadedDirectory& d) : file_(file), d_(d) {}

  void read(const Json& doc) {
    read_roles(doc["roles"]);
    read_places(doc["places"]);
    read_units(doc.value("units", Json::array()));
    read_people(doc.value("people", Json::array()));
  }

 private:
  void problem(const std::string& pointer, const std::string& reason) { file_.problem(pointer, reason); }

  void read_roles(const Json& roles) {
    for (const auto& [id, role] : roles.items()) {
      d_.roles[id] = Role{role["name"].get<std::string>(), level_named(role["level"].get<std::string>()),
                          role.value("fallback", "")};
    }
    for (const auto& [id, role] : d_.roles) {
      if (role.fallback.empty()) continue;
      const std::string at = "/roles/" + id + "/fallback";
      const auto instead = d_.roles.find(role.fallback);
      if (instead == d_.roles.end()) {
        problem(at, "no role '" + role.fallback + "' in /roles");
      } else if (instead->second.level < role.level) {
        problem(at, "'" + role.fallback + "' sits at " + level_text(instead->second.level) + ", below " +
                        level_text(role.level) + ": a fallback is looked for at the role's level and above");
      }
      const auto fallback_of = [this](const std::string& name) {
        const auto it = d_.roles.find(name);
        return it == d_.roles.end() ? std::string() : it->second.fallback;
      };
      if (const auto circle = circle_from(id, fallback_of, d_.roles.size())) {
        problem(at, "the fallbacks go round: " + *circle);
      }
    }
  }

  void read_places(const Json& places) {
    for (std::size_t i = 0; i < places.size(); ++i) {
      const Json& p = places[i];
      Place place{p["id"].get<std::string>(), p["name"].get<std::string>(),
                  level_named(p["level"].get<std::string>()), p.value("parent", ""), -1};
      const std::string at = "/places/" + std::to_string(i);
      if (const auto [it, added] = d_.place_index.emplace(place.id, static_cast<int>(i)); !added) {
        problem(at + "/id", "'" + place.id + "' is already the id of /places/" + std::to_string(it->second));
      }
      d_.places.push_back(std::move(place));
    }
    for (std::size_t i = 0; i < d_.places.size(); ++i) link_parent(i);
  }

  void link_parent(std::size_t i) {
    Place& place = d_.places[i];
    const std::string at = "/places/" + std::to_string(i);
    if (place.level == Level::kDistrict) {
      if (!place.parent_id.empty()) problem(at + "/parent", "a district has no parent in the directory");
      return;
    }
    const auto above = static_cast<Level>(static_cast<int>(place.level) + 1);
    if (place.parent_id.empty()) {
      problem(at, "a " + level_text(place.level) + " needs a parent (a " + level_text(above) + ")");
      return;
    }
    const auto it = d_.place_index.find(place.parent_id);
    if (it == d_.place_index.end()) {
      problem(at + "/parent", "no place '" + place.parent_id + "' in /places");
      return;
    }
    const auto parent_of = [this](const std::string& id) {
      const auto found = d_.place_index.find(id);
      return found == d_.place_index.end() ? std::string() : d_.places[static_cast<std::size_t>(found->second)].parent_id;
    };
    if (const auto cycle = circle_from(place.id, parent_of, d_.places.size())) {
      problem(at + "/parent", "the parents go round: " + *cycle);
      return;
    }
    const Place& parent = d_.places[static_cast<std::size_t>(it->second)];
    if (parent.level != above) {
      problem(at + "/parent", "'" + parent.id + "' is a " + level_text(parent.level) + ", but a " +
                                  level_text(place.level) + "'s parent must be a " + level_text(above));
      return;
    }
    place.parent = it->second;
  }

  void read_units(const Json& units) {
    for (std::size_t i = 0; i < units.size(); ++i) {
      const Json& u = units[i];
      const std::string at = "/units/" + std::to_string(i);
      Unit unit{u["id"].get<std::string>(), u["name"].get<std::string>(), u["role"].get<std::string>(), -1};
      const std::string place_id = u["place"].get<std::string>();
      if (const auto [it, added] = d_.unit_index.emplace(unit.id, static_cast<int>(i)); !added) {
        problem(at + "/id", "'" + unit.id + "' is already the id of /units/" + std::to_string(it->second));
      }
      const auto role = d_.roles.find(unit.role);
      const auto place = d_.place_index.find(place_id);
      if (role == d_.roles.end()) {
        problem(at + "/role", "no role '" + unit.role + "' in /roles");
      } else if (place == d_.place_index.end()) {
        problem(at + "/place", "no place '" + place_id + "' in /places");
      } else if (const Place& p = d_.places[static_cast<std::size_t>(place->second)]; p.level != role->second.level) {
        problem(at + "/place", "'" + place_id + "' is a " + level_text(p.level) + ", but role '" + unit.role +
                                   "' sits at a " + level_text(role->second.level));
      } else {
        unit.place = place->second;
        const auto [held, added] =
            d_.posts.emplace(LoadedDirectory::post_key(place_id, unit.role), static_cast<int>(i));
        if (!added) {
          problem(at + "/role", "/units/" + std::to_string(held->second) + " already plays '" + unit.role +
                                    "' at '" + place_id + "'");
        }
      }
      d_.units.push_back(std::move(unit));
    }
  }

  void read_people(const Json& people) {
    std::unordered_map<std::string, std::size_t> seen;
    for (std::size_t i = 0; i < people.size(); ++i) {
      const std::string at = "/people/" + std::to_string(i);
      const std::string id = people[i]["id"].get<std::string>();
      if (const auto [it, added] = seen.emplace(id, i); !added) {
        problem(at + "/id", "'" + id + "' is already the id of /people/" + std::to_string(it->second));
      }
      const Json& posts = people[i]["posts"];
      for (std::size_t j = 0; j < posts.size(); ++j) {
        const std::string unit = posts[j]["unit"].get<std::string>();
        if (!d_.unit_index.contains(unit)) {
          problem(at + "/posts/" + std::to_string(j) + "/unit", "no unit '" + unit + "' in /units");
        }
      }
    }
  }

  JsonFile& file_;
  LoadedDirectory& d_;
};

}  // namespace

OrgFile read_org_directory(std::string_view text, const std::string& file) {
  JsonFile json(text, file, schema());
  OrgFile result;
  if (json.doc() != nullptr) {
    auto directory = std::make_shared<LoadedDirectory>();
    OrgReader(json, *directory).read(*json.doc());
    if (json.problems().empty()) result.directory = std::move(directory);
  }
  result.problems = std::move(json.problems());
  return result;
}

OrgFile load_org_directory_file(const std::filesystem::path& file) {
  const auto text = read_text_file(file.string());
  if (!text) return OrgFile{nullptr, {{file.string(), 1, "", "cannot be read"}}};
  return read_org_directory(*text, file.string());
}

}  // namespace escalator
