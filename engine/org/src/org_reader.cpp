// Reading an org directory file (org_directory.hpp): the schema first, then
// what the schema cannot say, every problem located by its JSON pointer.
#include <algorithm>
#include <charconv>
#include <optional>
#include <unordered_map>

#include "embedded.hpp"
#include "escalator/org/address.hpp"
#include "json_file.hpp"
#include "gb18030.hpp"
#include "json_text.hpp"
#include "org_csv.hpp"
#include "org_chart.hpp"

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

bool both_always(const InForce& a, const InForce& b) { return a.always() && b.always(); }

// 00:00 China Standard Time on the day "YYYY-MM-DD" (the schema vouches for
// the form); none when there is no such day.
std::optional<Timestamp> midnight_of(const std::string& date) {
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  std::from_chars(date.data(), date.data() + 4, y);
  std::from_chars(date.data() + 5, date.data() + 7, m);
  std::from_chars(date.data() + 8, date.data() + 10, d);
  const std::chrono::year_month_day day{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!day.ok()) return std::nullopt;
  return Timestamp{std::chrono::sys_days{day}} - kChinaOffset;
}

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

  InForce in_force(const Json& record, const std::string& at) {
    InForce when;
    when.valid_from = record.value("valid_from", "");
    when.valid_to = record.value("valid_to", "");
    if (!when.valid_from.empty()) {
      if (const auto begins = midnight_of(when.valid_from)) {
        when.begins = *begins;
      } else {
        problem(at + "/valid_from", "there is no day " + when.valid_from);
      }
    }
    if (!when.valid_to.empty()) {
      if (const auto last = midnight_of(when.valid_to)) {
        when.ends = *last + std::chrono::days{1};
      } else {
        problem(at + "/valid_to", "there is no day " + when.valid_to);
      }
    }
    if (when.ends <= when.begins) {
      problem(at + "/valid_to", when.valid_to + " is before valid_from " + when.valid_from);
    }
    return when;
  }

  // Whether `id`'s records cover `when` without a gap: a record may be in
  // force only while what it names is.
  bool place_covers(const std::string& id, const InForce& when) const {
    Timestamp from = when.begins;
    for (const int i : d_.place_index.at(id)) {
      const InForce& span = d_.places[static_cast<std::size_t>(i)].in_force;
      if (span.begins <= from && from < span.ends) from = span.ends;
      if (from >= when.ends) return true;
    }
    return false;
  }

  std::string place_span(const std::string& id) const {
    std::string spans;
    for (const int i : d_.place_index.at(id)) {
      spans += (spans.empty() ? "" : ", ") + d_.places[static_cast<std::size_t>(i)].in_force.words();
    }
    return spans;
  }

  // Checks that a record in force `when` names a place that is then.
  void check_place_covers(const std::string& pointer, const std::string& what, const InForce& when,
                          const std::string& place_id) {
    if (!place_covers(place_id, when)) {
      problem(pointer, what + " is in force " + when.words() + ", but '" + place_id + "' is there only " +
                           place_span(place_id));
    }
  }

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
      const std::string at = "/places/" + std::to_string(i);
      OrgPlace place;
      place.id = p["id"].get<std::string>();
      place.name = p["name"].get<std::string>();
      place.level = *parse_level(p["level"].get<std::string>());
      place.parent = p.value("parent", "");
      place.in_force = in_force(p, at);
      // One id, several records: each in force at other times, at one level.
      auto& records = d_.place_index[place.id];
      for (const int other : records) {
        const OrgPlace& earlier = d_.places[static_cast<std::size_t>(other)];
        const std::string there = "/places/" + std::to_string(other);
        if (earlier.level != place.level) {
          problem(at + "/level", "'" + place.id + "' is a " + level_text(earlier.level) + " in " + there);
        } else if (earlier.in_force.overlaps(place.in_force)) {
          problem(at + "/id", "'" + place.id + "' is already the id of " + there +
                                  (both_always(earlier.in_force, place.in_force)
                                       ? std::string()
                                       : ", in force " + earlier.in_force.words() +
                                             ": a place's records must follow one another in time"));
        }
      }
      records.push_back(static_cast<int>(i));
      d_.places.push_back(std::move(place));
    }
    for (auto& [id, records] : d_.place_index) {
      std::sort(records.begin(), records.end(), [this](int a, int b) {
        return d_.places[static_cast<std::size_t>(a)].in_force.begins <
               d_.places[static_cast<std::size_t>(b)].in_force.begins;
      });
    }
    for (std::size_t i = 0; i < d_.places.size(); ++i) link_parent(i);
    d_.sole_parent.assign(d_.places.size(), -1);
    for (std::size_t i = 0; i < d_.places.size(); ++i) {
      const auto parent = d_.place_index.find(d_.places[i].parent);
      if (parent != d_.place_index.end() && parent->second.size() == 1) d_.sole_parent[i] = parent->second.front();
    }
  }

  void link_parent(std::size_t i) {
    const OrgPlace& place = d_.places[i];
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
      return found == d_.place_index.end() ? std::string()
                                           : d_.places[static_cast<std::size_t>(found->second.front())].parent;
    };
    if (const auto cycle = circle_from(place.id, parent_of, d_.places.size())) {
      problem(at + "/parent", "the parents go round: " + *cycle);
      return;
    }
    const OrgPlace& parent = d_.places[static_cast<std::size_t>(it->second.front())];
    if (parent.level != above) {
      problem(at + "/parent", "'" + parent.id + "' is a " + level_text(parent.level) + ", but a " +
                                  level_text(place.level) + "'s parent must be a " + level_text(above));
      return;
    }
    check_place_covers(at + "/parent", "'" + place.id + "'", place.in_force, place.parent);
  }

  void read_units(const Json& units) {
    for (std::size_t i = 0; i < units.size(); ++i) {
      const Json& u = units[i];
      const std::string at = "/units/" + std::to_string(i);
      OrgUnit unit;
      unit.id = u["id"].get<std::string>();
      unit.name = u["name"].get<std::string>();
      unit.role = u["role"].get<std::string>();
      unit.place = u["place"].get<std::string>();
      unit.in_force = in_force(u, at);
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
      } else if (const OrgPlace& p = d_.places[static_cast<std::size_t>(place->second.front())];
                 p.level != role->second.level) {
        problem(at + "/place", "'" + place_id + "' is a " + level_text(p.level) + ", but role '" + unit.role +
                                   "' sits at a " + level_text(role->second.level));
      } else {
        check_place_covers(at + "/place", "'" + unit.id + "'", unit.in_force, place_id);
        add_player(at, i, unit);
      }
      d_.units.push_back(std::move(unit));
    }
    for (auto& [key, players] : d_.players) {
      std::sort(players.begin(), players.end(), [this](int a, int b) {
        return d_.units[static_cast<std::size_t>(a)].in_force.begins <
               d_.units[static_cast<std::size_t>(b)].in_force.begins;
      });
    }
  }

  // At most one unit plays a role at a place at any moment.
  void add_player(const std::string& at, std::size_t i, const OrgUnit& unit) {
    auto& players = d_.players[LoadedDirectory::player_key(unit.place, unit.role)];
    for (const int other : players) {
      const OrgUnit& earlier = d_.units[static_cast<std::size_t>(other)];
      if (earlier.in_force.overlaps(unit.in_force)) {
        problem(at + "/role", "/units/" + std::to_string(other) + " already plays '" + unit.role + "' at '" +
                                  unit.place + "'" +
                                  (both_always(earlier.in_force, unit.in_force)
                                       ? std::string()
                                       : ", in force " + earlier.in_force.words() +
                                             ": one unit plays a role at a place at a time"));
        return;
      }
    }
    players.push_back(static_cast<int>(i));
  }

  void read_people(const Json& people) {
    std::unordered_map<std::string, std::size_t> seen;
    for (std::size_t i = 0; i < people.size(); ++i) {
      const std::string at = "/people/" + std::to_string(i);
      const std::string id = people[i]["id"].get<std::string>();
      if (const auto [it, added] = seen.emplace(id, i); !added) {
        problem(at + "/id", "'" + id + "' is already the id of /people/" + std::to_string(it->second));
      }
      OrgPerson person{id, people[i]["name"].get<std::string>(), {}};
      const Json& posts = people[i]["posts"];
      for (std::size_t j = 0; j < posts.size(); ++j) {
        const std::string post_at = at + "/posts/" + std::to_string(j);
        OrgPost post{id, person.name, posts[j]["unit"].get<std::string>(), posts[j]["title"].get<std::string>(),
                     in_force(posts[j], post_at)};
        const auto unit = d_.unit_index.find(post.unit);
        if (unit == d_.unit_index.end()) {
          problem(post_at + "/unit", "no unit '" + post.unit + "' in /units");
        } else if (const InForce& held = d_.units[static_cast<std::size_t>(unit->second)].in_force;
                   !post.in_force.within(held)) {
          problem(post_at + "/unit", "the post is in force " + post.in_force.words() + ", but '" + post.unit +
                                         "' is there only " + held.words());
        }
        person.posts.push_back(std::move(post));
      }
      d_.people.push_back(std::move(person));
    }
  }

  void read_addresses(const Json& addresses) {
    for (std::size_t i = 0; i < addresses.size(); ++i) {
      const std::string at = "/addresses/" + std::to_string(i);
      const std::string place_id = addresses[i]["place"].get<std::string>();
      const InForce when = in_force(addresses[i], at);
      const auto place = d_.place_index.find(place_id);
      if (place == d_.place_index.end()) {
        problem(at + "/place", "no place '" + place_id + "' in /places");
        continue;
      }
      const Level level = d_.places[static_cast<std::size_t>(place->second.front())].level;
      if (level != Level::kCompound && level != Level::kBuilding) {
        problem(at + "/place", "'" + place_id + "' is a " + level_text(level) +
                                   ", but an address names a compound or a building");
        continue;
      }
      check_place_covers(at + "/place", "the entry", when, place_id);
      const std::string normal = normalise_address(addresses[i]["address"].get<std::string>());
      auto& same = entries_[normal];
      for (const auto& [other, other_when] : same) {
        if (other_when.overlaps(when)) {
          problem(at + "/address", "reads as '" + normal + "', as /addresses/" + std::to_string(other) +
                                       " does: one address names one place" +
                                       (both_always(other_when, when) ? "" : " at a time"));
          break;
        }
      }
      same.emplace_back(i, when);
      d_.address_index[normal].emplace_back(place_id, when);
    }
  }

  JsonFile& file_;
  LoadedDirectory& d_;
  // normalised address -> the entries reading so: index in /addresses, when in force
  std::unordered_map<std::string, std::vector<std::pair<std::size_t, InForce>>> entries_;
};

}  // namespace

OrgFile read_org_directory(std::string_view text, const std::string& file, std::uint64_t version) {
  JsonFile json(text, file, schema());
  OrgFile result;
  if (json.doc() != nullptr) {
    auto directory = std::make_shared<LoadedDirectory>();
    directory->stored_version = version;
    OrgReader(json, *directory).read(*json.doc());
    if (json.problems().empty()) result.directory = std::move(directory);
  }
  result.problems = std::move(json.problems());
  return result;
}

OrgFileRead read_org_file(std::string_view text, const std::string& file, OrgFileFormat format,
                          std::uint64_t version) {
  if (format == OrgFileFormat::kJson) return {read_org_directory(text, file, version), std::string(text)};
  // A Chinese Excel saves "CSV" in GB18030 (GBK) unless told "CSV UTF-8": read
  // it as that rather than refuse it, and refuse only what is neither. A sheet
  // whose header (Chinese column names) is UTF-8 was saved as UTF-8, and a bad
  // byte further down is told by its line rather than read as GB18030.
  std::string converted;
  const std::string_view header = text.substr(0, text.find('\n'));
  const bool utf8_header =
      is_utf8(header) && std::any_of(header.begin(), header.end(), [](char c) { return (c & 0x80) != 0; });
  if (!utf8_header && !is_utf8(text)) {
    auto utf8 = gb18030_to_utf8(text);
    if (!utf8) {
      const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(utf8.error()), '\n'));
      return {OrgFile{nullptr,
                      {{file, line, "",
                        "is neither UTF-8 nor GB18030 (GBK) at byte " + std::to_string(utf8.error()) +
                            ": save the sheet as CSV UTF-8 (逗号分隔)"}}},
              ""};
    }
    converted = std::move(*utf8);
    text = converted;
  }
  const OrgCsvSheet sheet = OrgCsvSheet::read(text, file);
  if (!sheet.problems().empty()) return {OrgFile{nullptr, sheet.problems()}, "", !converted.empty()};
  OrgFile read = read_org_directory(sheet.json(), file, version);
  for (FileProblem& problem : read.problems) problem = sheet.located(problem);
  std::stable_sort(read.problems.begin(), read.problems.end(),
                   [](const FileProblem& a, const FileProblem& b) { return a.line < b.line; });
  return {std::move(read), sheet.json(), !converted.empty()};
}

OrgFile read_org_directory_csv(std::string_view text, const std::string& file, std::uint64_t version) {
  return read_org_file(text, file, OrgFileFormat::kCsv, version).file;
}

OrgFileFormat org_file_format(const std::filesystem::path& file) {
  std::string extension = file.extension().string();
  for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return extension == ".csv" ? OrgFileFormat::kCsv : OrgFileFormat::kJson;
}

OrgFile read_org_directory(std::string_view text, const std::string& file, OrgFileFormat format) {
  return format == OrgFileFormat::kCsv ? read_org_directory_csv(text, file) : read_org_directory(text, file);
}

OrgFile load_org_directory_file(const std::filesystem::path& file) {
  const auto text = read_text_file(file.string());
  if (!text) return OrgFile{nullptr, {{file.string(), 1, "", "cannot be read"}}};
  return read_org_directory(*text, file.string(), org_file_format(file));
}

}  // namespace escalator
