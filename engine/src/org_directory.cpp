// Reading an org directory file (org_directory.hpp) and answering routing's
// questions from it with hash lookups.
#include "escalator/org_directory.hpp"

#include <map>
#include <optional>
#include <unordered_map>

#include "embedded.hpp"
#include "escalator/address.hpp"
#include "json_file.hpp"

namespace escalator {
namespace {

using Json = nlohmann::json;

const JsonSchema& schema() {
  static const JsonSchema compiled(embedded::org_schema());
  return compiled;
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

struct Place : OrgPlace {
  int parent_at = -1;
};

struct Unit : OrgUnit {
  int place_at = -1;
};

struct Person {
  std::string id;
  std::string name;
  std::vector<std::pair<std::string, std::string>> posts;  // unit, title
};

class LoadedDirectory final : public OrgChart {
 public:
  std::string title;
  std::vector<Place> places;
  std::unordered_map<std::string, int> place_index;
  std::map<std::string, OrgRole, std::less<>> roles_by_id;
  std::vector<Unit> units;
  std::unordered_map<std::string, int> unit_index;
  // place id + '\n' + role -> the unit playing that role there
  std::unordered_map<std::string, int> posts;
  std::vector<Person> people;
  // normalised address -> the place it names (a compound or a building)
  std::unordered_map<std::string, int> address_index;

  static std::string post_key(std::string_view place, std::string_view role) {
    std::string key(place);
    key += '\n';
    key += role;
    return key;
  }

  const Place* parent_of(const Place& p) const {
    return p.parent_at < 0 ? nullptr : &places[static_cast<std::size_t>(p.parent_at)];
  }

  const Unit* post_holder(const std::string& place_id, const std::string& role) const {
    const auto it = posts.find(post_key(place_id, role));
    return it == posts.end() ? nullptr : &units[static_cast<std::size_t>(it->second)];
  }

  const std::string* fallback_of(const std::string& role) const {
    const auto it = roles_by_id.find(role);
    return it == roles_by_id.end() || it->second.fallback.empty() ? nullptr : &it->second.fallback;
  }

  // ---- OrgDirectory ----

  Result<Location> complete(const Location& partial) const override {
    auto path = path_of(partial);
    if (!path) return tl::unexpected(std::move(path.error()));
    // The directory is the authority on the places above a building or
    // compound: what a hotline order says about them may be a name or stale.
    Location full = partial;
    for (const Place* p : *path) {
      if (p->level == Level::kBuilding) full.building = p->id;
      if (p->level == Level::kCompound) full.compound = p->id;
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
    return fail(ErrorCode::kNotFound, "No unit holds role '" + step.role + "' for " + place_words(where) +
                                          ", nor any fallback");
  }

  bool has_role(Level level, const std::string& role) const override {
    for (const Unit& unit : units) {
      if (unit.role == role && places[static_cast<std::size_t>(unit.place_at)].level == level) return true;
    }
    // A fallback held at that level or above serves (a compound without a party branch).
    for (const std::string* instead = fallback_of(role); instead != nullptr; instead = fallback_of(*instead)) {
      for (const Unit& unit : units) {
        if (unit.role == *instead && places[static_cast<std::size_t>(unit.place_at)].level >= level) return true;
      }
    }
    return false;
  }

  std::optional<Level> unit_level(const std::string& unit) const override {
    const auto it = unit_index.find(unit);
    if (it == unit_index.end()) return std::nullopt;
    return places[static_cast<std::size_t>(units[static_cast<std::size_t>(it->second)].place_at)].level;
  }

  // ---- OrgChart ----

  std::string name() const override { return title; }

  const OrgPlace* place(const std::string& id) const override { return find_place(id); }

  const OrgPlace* place_of_address(std::string_view address) const override {
    const std::string normal = normalise_address(address);
    // The longest entry the address begins with, ending between characters:
    // 3号楼2单元501 is found by the entry for 3号楼, never by a near miss.
    for (std::size_t end = normal.size(); end > 0; --end) {
      if (end < normal.size() && (static_cast<unsigned char>(normal[end]) & 0xC0) == 0x80) continue;
      const auto it = address_index.find(normal.substr(0, end));
      if (it != address_index.end()) return &places[static_cast<std::size_t>(it->second)];
    }
    return nullptr;
  }

  const OrgRole* role(const std::string& id) const override {
    const auto it = roles_by_id.find(id);
    return it == roles_by_id.end() ? nullptr : &it->second;
  }

  const OrgUnit* unit(const std::string& id) const override {
    const auto it = unit_index.find(id);
    return it == unit_index.end() ? nullptr : &units[static_cast<std::size_t>(it->second)];
  }

  std::vector<const OrgRole*> roles() const override {
    std::vector<const OrgRole*> found;
    for (const auto& [id, role] : roles_by_id) found.push_back(&role);
    return found;
  }

  std::vector<const OrgPlace*> places_at(Level level) const override {
    std::vector<const OrgPlace*> found;
    for (const Place& p : places) {
      if (p.level == level) found.push_back(&p);
    }
    return found;
  }

  std::vector<const OrgPlace*> places_under(const std::string& parent) const override {
    std::vector<const OrgPlace*> found;
    for (const Place& p : places) {
      if (p.parent == parent) found.push_back(&p);
    }
    return found;
  }

  std::vector<const OrgUnit*> units_at(const std::string& place_id) const override {
    std::vector<const OrgUnit*> found;
    for (const Unit& u : units) {
      if (u.place == place_id) found.push_back(&u);
    }
    return found;
  }

  std::vector<OrgPost> posts_in(const std::string& unit_id) const override {
    std::vector<OrgPost> found;
    for (const Person& person : people) {
      for (const auto& [unit, title] : person.posts) {
        if (unit == unit_id) found.push_back({person.id, person.name, unit, title});
      }
    }
    return found;
  }

  std::vector<OrgPost> posts_of(const std::string& person_id) const override {
    std::vector<OrgPost> found;
    for (const Person& person : people) {
      if (person.id != person_id) continue;
      for (const auto& [unit, title] : person.posts) found.push_back({person.id, person.name, unit, title});
    }
    return found;
  }

 private:
  const Place* find_place(const std::string& id) const {
    const auto it = place_index.find(id);
    return it == place_index.end() ? nullptr : &places[static_cast<std::size_t>(it->second)];
  }

  static std::string place_words(const Location& where) {
    if (!where.compound.empty()) return "compound '" + where.compound + "'";
    if (!where.building.empty()) return "building '" + where.building + "'";
    return "the place of location.address";
  }

  // The places from the location's building (when the directory knows it) or
  // compound up to its district.
  Result<std::vector<const Place*>> path_of(const Location& where) const {
    if (where.district_code.empty()) return fail(ErrorCode::kInvalidArgument, "location.district_code: required");
    const Place* building = where.building.empty() ? nullptr : find_place(where.building);
    if (building != nullptr && building->level != Level::kBuilding) building = nullptr;
    const Place* district = find_place(where.district_code);
    if (district == nullptr || district->level != Level::kDistrict) {
      return fail(ErrorCode::kNotFound, "No district " + where.district_code + " in the directory");
    }
    // A building the directory knows places the case, else its compound, else
    // its address through the address table; beside a compound, any other
    // building text is the resident's own label for it ("3号楼2单元").
    const Place* compound = nullptr;
    if (building == nullptr && where.compound.empty()) {
      if (!where.address.empty()) {
        // The address is personal data: the message does not repeat it.
        const OrgPlace* named = place_of_address(where.address);
        if (named == nullptr) {
          return fail(ErrorCode::kNotFound, "location.address: matches no entry of the directory's address table");
        }
        (named->level == Level::kBuilding ? building : compound) = static_cast<const Place*>(named);
      } else if (where.building.empty()) {
        return fail(ErrorCode::kInvalidArgument,
                    "location.compound: required, unless location.building or location.address places the case");
      } else {
        return fail(ErrorCode::kNotFound,
                    "No building '" + where.building + "' in district " + where.district_code + " of the directory");
      }
    }
    if (building != nullptr) compound = parent_of(*building);
    if (compound == nullptr) compound = find_place(where.compound);
    if (building != nullptr && !where.compound.empty() && compound->id != where.compound) {
      return fail(ErrorCode::kInvalidArgument, "location.building: '" + building->id + "' is in compound '" +
                                                   compound->id + "', not in '" + where.compound + "'");
    }
    std::vector<const Place*> path;
    if (building != nullptr) path.push_back(building);
    if (compound != nullptr && compound->level == Level::kCompound) {
      for (const Place* p = compound; p != nullptr; p = parent_of(*p)) path.push_back(p);
    }
    if (path.empty() || path.back() != district) {
      return fail(ErrorCode::kNotFound, "No " + place_words(where) + " in district " + where.district_code +
                                            " of the directory");
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
    read_addresses(doc.value("addresses", Json::array()));
    d_.title = doc["name"].get<std::string>();
  }

 private:
  void problem(const std::string& pointer, const std::string& reason) { file_.problem(pointer, reason); }

  void read_roles(const Json& roles) {
    for (const auto& [id, role] : roles.items()) {
      d_.roles_by_id[id] = OrgRole{id, role["name"].get<std::string>(), *parse_level(role["level"].get<std::string>()),
                             role.value("fallback", "")};
    }
    for (const auto& [id, role] : d_.roles_by_id) {
      if (role.fallback.empty()) continue;
      const std::string at = "/roles/" + id + "/fallback";
      const auto instead = d_.roles_by_id.find(role.fallback);
      if (instead == d_.roles_by_id.end()) {
        problem(at, "no role '" + role.fallback + "' in /roles");
      } else if (instead->second.level < role.level) {
        problem(at, "'" + role.fallback + "' sits at " + level_text(instead->second.level) + ", below " +
                        level_text(role.level) + ": a fallback is looked for at the role's level and above");
      }
      const auto fallback_of = [this](const std::string& name) {
        const auto it = d_.roles_by_id.find(name);
        return it == d_.roles_by_id.end() ? std::string() : it->second.fallback;
      };
      if (const auto circle = circle_from(id, fallback_of, d_.roles_by_id.size())) {
        problem(at, "the fallbacks go round: " + *circle);
      }
    }
  }

  void read_places(const Json& places) {
    for (std::size_t i = 0; i < places.size(); ++i) {
      const Json& p = places[i];
      Place place;
      place.id = p["id"].get<std::string>();
      place.name = p["name"].get<std::string>();
      place.level = *parse_level(p["level"].get<std::string>());
      place.parent = p.value("parent", "");
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
      if (!place.parent.empty()) problem(at + "/parent", "a district has no parent in the directory");
      return;
    }
    const auto above = static_cast<Level>(static_cast<int>(place.level) + 1);
    if (place.parent.empty()) {
      problem(at, "a " + level_text(place.level) + " needs a parent (a " + level_text(above) + ")");
      return;
    }
    const auto it = d_.place_index.find(place.parent);
    if (it == d_.place_index.end()) {
      problem(at + "/parent", "no place '" + place.parent + "' in /places");
      return;
    }
    const auto parent_of = [this](const std::string& id) {
      const auto found = d_.place_index.find(id);
      return found == d_.place_index.end() ? std::string() : d_.places[static_cast<std::size_t>(found->second)].parent;
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
    place.parent_at = it->second;
  }

  void read_units(const Json& units) {
    for (std::size_t i = 0; i < units.size(); ++i) {
      const Json& u = units[i];
      const std::string at = "/units/" + std::to_string(i);
      Unit unit;
      unit.id = u["id"].get<std::string>();
      unit.name = u["name"].get<std::string>();
      unit.role = u["role"].get<std::string>();
      unit.place = u["place"].get<std::string>();
      const std::string& place_id = unit.place;
      if (const auto [it, added] = d_.unit_index.emplace(unit.id, static_cast<int>(i)); !added) {
        problem(at + "/id", "'" + unit.id + "' is already the id of /units/" + std::to_string(it->second));
      }
      const auto role = d_.roles_by_id.find(unit.role);
      const auto place = d_.place_index.find(place_id);
      if (role == d_.roles_by_id.end()) {
        problem(at + "/role", "no role '" + unit.role + "' in /roles");
      } else if (place == d_.place_index.end()) {
        problem(at + "/place", "no place '" + place_id + "' in /places");
      } else if (const Place& p = d_.places[static_cast<std::size_t>(place->second)]; p.level != role->second.level) {
        problem(at + "/place", "'" + place_id + "' is a " + level_text(p.level) + ", but role '" + unit.role +
                                   "' sits at a " + level_text(role->second.level));
      } else {
        unit.place_at = place->second;
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
      Person person{id, people[i]["name"].get<std::string>(), {}};
      const Json& posts = people[i]["posts"];
      for (std::size_t j = 0; j < posts.size(); ++j) {
        std::string unit = posts[j]["unit"].get<std::string>();
        if (!d_.unit_index.contains(unit)) {
          problem(at + "/posts/" + std::to_string(j) + "/unit", "no unit '" + unit + "' in /units");
        }
        person.posts.emplace_back(std::move(unit), posts[j]["title"].get<std::string>());
      }
      d_.people.push_back(std::move(person));
    }
  }

  void read_addresses(const Json& addresses) {
    for (std::size_t i = 0; i < addresses.size(); ++i) {
      const std::string at = "/addresses/" + std::to_string(i);
      const std::string place_id = addresses[i]["place"].get<std::string>();
      const auto place = d_.place_index.find(place_id);
      if (place == d_.place_index.end()) {
        problem(at + "/place", "no place '" + place_id + "' in /places");
        continue;
      }
      const Level level = d_.places[static_cast<std::size_t>(place->second)].level;
      if (level != Level::kCompound && level != Level::kBuilding) {
        problem(at + "/place", "'" + place_id + "' is a " + level_text(level) +
                                   ", but an address names a compound or a building");
        continue;
      }
      const std::string normal = normalise_address(addresses[i]["address"].get<std::string>());
      if (const auto [it, added] = entries_.emplace(normal, i); !added) {
        problem(at + "/address", "reads as '" + normal + "', as /addresses/" + std::to_string(it->second) +
                                     " does: one address names one place");
        continue;
      }
      d_.address_index.emplace(normal, place->second);
    }
  }

  JsonFile& file_;
  LoadedDirectory& d_;
  std::unordered_map<std::string, std::size_t> entries_;  // normalised address -> its index in /addresses
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
