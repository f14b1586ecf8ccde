#include "org_commands.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli_options.hpp"
#include "escalator/org/address.hpp"
#include "escalator/org/org_directory.hpp"
#include "escalator/org/routing.hpp"
#include "escalator/org/org_directory.hpp"
#include "escalator/workflow/workflow_registry.hpp"
#include "org_import_command.hpp"

namespace escalator::tools {
namespace {

namespace fs = std::filesystem;

constexpr const char* kHelp = R"(Usage: escalator org show ID [WHICH] [--at TIME]
       escalator org route (--location ID | --address TEXT) --workflow ID [WHICH] [--workflows DIR]
                           [--at TIME]
       escalator org check FILE...
       escalator org versions [--data DIR]
       escalator org export [WHICH] [--format json|csv]
WHICH: --org FILE | --data DIR [--version N]

The org directory (docs/directory.md): places from district to building, the roles units
play, the units and the people who hold posts in them. By default the sample directory
compiled into this escalator (org/sample-district.json); --org FILE reads another (JSON,
or CSV for a name ending in .csv), and --data DIR takes the newest version the store keeps,
or version N.
Records are effective-dated: show and route answer as the directory is at --at TIME
("2027-01-05T09:00"; default now), and mark records with dates by when they hold.

  show   a unit, a place or a person by id. A unit: its role, its place and the places above,
         and the people with posts in it (and their other posts). A place: the places above and
         below it, the units there, and for a compound or building who acts for each of its
         level's roles, fallbacks included. A person: their posts.
  route  whom each step of the workflow goes to for a case at the building or compound ID, or
         at the place the address table gives for TEXT (docs/directory.md, "Addresses"):
         the lead unit and how it was found (plays the role, the directory's fallback, or the
         workflow's fallback_roles) and the co-handling units, as the engine decides them.
         Workflows are read from --workflows DIR (default ./workflows) and checked against
         the directory. Exits 1 when a step reaches nobody.
  check  reads org directory files and prints what each holds, or every problem as
         FILE:LINE: POINTER: reason. Exits 1 on any problem.
  versions  the versions the store keeps: number, when imported, from which file, the
         directory's name, records added (+), changed (~) and removed (-), and the digest.
         `escalator import org FILE` adds one.
  export the directory as a file: JSON (the default), or with --format csv the spreadsheet
         form (docs/directory.md, "The CSV file"), UTF-8 with a byte-order mark so that Excel
         opens it, ready to edit and import again.
)";

std::string named(const OrgPlace& place) { return place.id + " " + place.name; }

std::string named(const OrgUnit& unit) { return unit.id + " " + unit.name; }

// " [from 2027-01-01]" for a record with dates; nothing for one always in force.
std::string dated(const InForce& in_force) {
  return in_force.always() ? "" : " [" + in_force.words() + "]";
}

// "yangguang-1 阳光社区第一网格 → yangguang 阳光社区 → … → 370811 任城区"
std::string places_above(const OrgChart& chart, const OrgPlace& place, Timestamp at) {
  std::string text;
  for (const OrgPlace* p = chart.place(place.parent, at); p != nullptr;
       p = chart.place(p->parent, at)) {
    text += (text.empty() ? "" : " → ") + named(*p);
  }
  return text.empty() ? "-" : text;
}

std::string role_words(const OrgChart& chart, const std::string& role_id) {
  const OrgRole* role = chart.role(role_id);
  return role == nullptr ? role_id : role_id + " " + role->name;
}

// Where the place lies, as a case there would name it.
Location location_of(const OrgChart& chart, const OrgPlace& place, Timestamp at) {
  Location where;
  (place.level == Level::kBuilding ? where.building : where.compound) = place.id;
  const OrgPlace* p = &place;
  while (chart.place(p->parent, at) != nullptr) p = chart.place(p->parent, at);
  where.district_code = p->id;
  return where;
}

void show_unit(const OrgChart& chart, const OrgUnit& unit, Timestamp at, std::ostream& out) {
  const OrgPlace& place = *chart.place(unit.place, at);
  out << "unit     " << named(unit) << dated(unit.in_force) << "\n"
      << "role     " << role_words(chart, unit.role) << " (" << to_string(place.level) << ")\n"
      << "place    " << named(place) << "\n"
      << "above    " << places_above(chart, place, at) << "\n";
  const auto posts = chart.posts_in(unit.id);
  if (posts.empty()) out << "people   -\n";
  for (std::size_t i = 0; i < posts.size(); ++i) {
    out << (i == 0 ? "people   " : "         ") << posts[i].person << " " << posts[i].person_name
        << ", " << posts[i].title << dated(posts[i].in_force);
    for (const OrgPost& other : chart.posts_of(posts[i].person)) {
      if (other.unit != unit.id)
        out << "; also " << other.title << " of " << named(*chart.unit(other.unit));
    }
    out << "\n";
  }
}

void show_place(const OrgChart& chart, const OrgPlace& place, Timestamp at, std::ostream& out) {
  out << "place    " << named(place) << " (" << to_string(place.level) << ")"
      << dated(place.in_force) << "\n"
      << "above    " << places_above(chart, place, at) << "\n";
  const auto below = chart.places_under(place.id);
  out << "below    ";
  if (below.empty()) out << "-";
  for (std::size_t i = 0; i < below.size(); ++i) {
    out << (i == 0 ? "" : ", ") << named(*below[i]) << dated(below[i]->in_force);
  }
  out << "\n";
  const auto units = chart.units_at(place.id);
  if (units.empty()) out << "units    -\n";
  for (std::size_t i = 0; i < units.size(); ++i) {
    out << (i == 0 ? "units    " : "         ") << named(*units[i]) << " (" << units[i]->role << ")"
        << dated(units[i]->in_force) << "\n";
  }
  if (place.level != Level::kCompound && place.level != Level::kBuilding) return;
  // Who acts for each role of the place's level: the gaps fallbacks fill.
  bool first = true;
  for (const OrgRole* role : chart.roles()) {
    if (role->level != place.level) continue;
    WorkflowStep asked;
    asked.level = place.level;
    asked.role = role->id;
    const auto held = chart.holder(location_of(chart, place, at), asked, at);
    out << (first ? "acting   " : "         ") << role->id << " " << role->name << ": ";
    first = false;
    if (!held) {
      out << "nobody\n";
      continue;
    }
    const OrgUnit& unit = *chart.unit(*held);
    out << named(unit);
    if (unit.role != role->id) out << " (fallback: " << unit.role << ")";
    out << "\n";
  }
}

void show_person(const OrgChart& chart, const std::vector<OrgPost>& posts, Timestamp at,
                 std::ostream& out) {
  out << "person   " << posts.front().person << " " << posts.front().person_name << "\n";
  for (std::size_t i = 0; i < posts.size(); ++i) {
    const OrgUnit& unit = *chart.unit(posts[i].unit);
    out << (i == 0 ? "posts    " : "         ") << posts[i].title << " of " << named(unit) << " ("
        << role_words(chart, unit.role) << " at " << chart.place(unit.place, at)->name << ")"
        << dated(posts[i].in_force) << "\n";
  }
}

int show(const OrgChart& chart, const std::string& id, Timestamp at, std::ostream& out) {
  if (const OrgUnit* unit = chart.unit(id)) {
    show_unit(chart, *unit, at, out);
  } else if (const OrgPlace* place = chart.place(id, at)) {
    show_place(chart, *place, at, out);
  } else if (const auto posts = chart.posts_of(id); !posts.empty()) {
    show_person(chart, posts, at, out);
  } else {
    std::cerr << "no unit, place or person '" << id << "' in " << chart.name() << "\n";
    return 1;
  }
  return 0;
}

// How the lead was found: the step's own role, the directory's fallback for
// it, or one of the workflow's fallback_roles.
std::string how_found(const OrgChart& chart, const WorkflowStep& step, const OrgUnit& lead,
                      Timestamp at) {
  const std::string there = " at " + chart.place(lead.place, at)->name;
  if (lead.role == step.role) return "plays " + step.role + there;
  for (const OrgRole* r = chart.role(step.role); r != nullptr && !r->fallback.empty();
       r = chart.role(r->fallback)) {
    if (r->fallback == lead.role)
      return "the directory's fallback for " + step.role + ": " + lead.role + there;
  }
  return "the workflow's fallback_roles: " + lead.role + there;
}

int route(const OrgChart& chart, const std::map<std::string, std::string>& options, Timestamp at,
          std::ostream& out) {
  const auto location = options.find("--location");
  const auto address = options.find("--address");
  const auto workflow_id = options.find("--workflow");
  if ((location == options.end()) == (address == options.end()) || workflow_id == options.end()) {
    std::cerr << "org route: expected --location ID or --address TEXT, and --workflow ID\n\n"
              << kHelp;
    return 2;
  }
  if (address != options.end()) {
    // As a case placed only by its address is: the longest entry of the address table it begins
    // with.
    const OrgPlace* named = chart.place_of_address(address->second, at);
    if (named == nullptr) {
      std::cerr << "--address: matches no entry of the address table of " << chart.name() << "\n";
      return 1;
    }
    out << "address  " << address->second << " → " << named->id << " ("
        << normalise_address(address->second) << ")\n";
    std::map<std::string, std::string> by_place = options;
    by_place.erase("--address");
    by_place["--location"] = named->id;
    return route(chart, by_place, at, out);
  }
  const OrgPlace* place = chart.place(location->second, at);
  if (place == nullptr || (place->level != Level::kCompound && place->level != Level::kBuilding)) {
    std::cerr << "--location: expected a compound or building id of " << chart.name() << ", but "
              << (place == nullptr
                      ? "there is no place '" + location->second + "'"
                      : "'" + place->id + "' is a " + std::string(to_string(place->level)))
              << "\n";
    return 2;
  }
  const auto dir = options.find("--workflows");
  const fs::path workflows_dir =
      dir == options.end() ? fs::path("workflows") : fs::path(dir->second);
  WorkflowRegistry registry;
  const auto problems = registry.load_directory(workflows_dir, chart);
  for (const auto& p : problems) std::cerr << p.text() << "\n";
  if (!problems.empty()) return 1;
  const auto latest = registry.latest();
  const auto found = std::find_if(latest.begin(), latest.end(),
                                  [&](const Workflow* w) { return w->id == workflow_id->second; });
  if (found == latest.end()) {
    std::cerr << "--workflow: no workflow '" << workflow_id->second << "' in "
              << workflows_dir.string() << "\n";
    return 2;
  }
  const Workflow& workflow = **found;
  const Location where = location_of(chart, *place, at);
  out << "location " << named(*place) << " → " << places_above(chart, *place, at) << "\n"
      << "workflow " << workflow.id << " v" << workflow.version << " " << workflow.name << "\n";
  int nobody = 0;
  for (std::size_t i = 0; i < workflow.steps.size(); ++i) {
    const WorkflowStep& step = workflow.steps[i];
    out << "\n"
        << i + 1 << ". " << step.id << " " << step.name << " (" << to_string(step.level) << ", "
        << step.role << ")\n";
    const auto lead = lead_unit_for(chart, where, step, at);
    if (!lead) {
      out << "   lead         nobody: " << lead.error().message << "\n";
      ++nobody;
      continue;
    }
    const OrgUnit& unit = *chart.unit(*lead);
    out << "   lead         " << named(unit) << ": " << how_found(chart, step, unit, at) << "\n";
    const auto co = co_handling_units_for(chart, where, step, *lead, at);
    for (std::size_t c = 0; c < co.size(); ++c) {
      out << (c == 0 ? "   co-handling  " : "                ") << named(*chart.unit(co[c]))
          << "\n";
    }
  }
  return nobody == 0 ? 0 : 1;
}

int check(const std::vector<std::string>& files, std::ostream& out) {
  if (files.empty()) {
    std::cerr << "org check: expected a file\n\n" << kHelp;
    return 2;
  }
  int failed = 0;
  for (const std::string& file : files) {
    const OrgFile read = load_org_directory_file(file);
    for (const auto& p : read.problems) out << p.text() << "\n";
    if (!read.directory) {
      ++failed;
      continue;
    }
    const OrgChart& chart = *read.directory;
    out << file << ": " << chart.name() << ": ";
    for (int l = static_cast<int>(Level::kDistrict); l >= static_cast<int>(Level::kBuilding); --l) {
      out << to_string(static_cast<Level>(l)) << " "
          << chart.places_at(static_cast<Level>(l)).size() << ", ";
    }
    out << "role " << chart.roles().size() << "; no problems\n";
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace

std::shared_ptr<const OrgChart> org_chart_from(const std::map<std::string, std::string>& options) {
  const auto file = options.find("--org");
  if (const auto data = options.find("--data"); data != options.end()) {
    std::uint64_t version = 0;
    if (const auto v = options.find("--version"); v != options.end()) {
      const auto parsed = version_number(v->second);
      if (!parsed) return nullptr;
      version = *parsed;
    }
    auto stored = stored_chart(data->second, version);
    if (!stored) std::cerr << stored.error().message << "\n";
    return stored ? *stored : nullptr;
  }
  if (file == options.end()) return sample_directory();
  OrgFile read = load_org_directory_file(file->second);
  for (const auto& p : read.problems) std::cerr << p.text() << "\n";
  return read.directory;
}


int org_command(const std::vector<std::string>& args, const Config& config, std::ostream& out) {
  if (args.empty() || wants_help(args)) {
    std::cout << kHelp;
    return args.empty() ? 2 : 0;
  }
  const std::string sub = args.front();
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (sub == "check") return check(rest, out);
  std::vector<std::string> words;
  const auto options = options_of(rest,
                                  {"--org", "--data", "--version", "--location", "--address",
                                   "--workflow", "--workflows", "--at", "--format"},
                                  kHelp, &words);
  if (!options) return 2;
  if (sub == "versions") {
    return org_versions_command(
        options->contains("--data") ? options->at("--data") : config.data_dir.string(), out);
  }
  if (options->contains("--org") && options->contains("--data")) {
    std::cerr << "org " << sub << ": --org FILE or --data DIR, not both\n";
    return 2;
  }
  if (sub == "export" && words.empty()) return org_export_command(*options, out);
  if (sub != "show" && sub != "route") {
    std::cerr << "org: unknown command '" << sub << "'\n\n" << kHelp;
    return 2;
  }
  if ((sub == "show") != (words.size() == 1) || (sub == "route" && !words.empty())) {
    std::cerr << "org " << sub << ": "
              << (sub == "show" ? "expected one id" : "unexpected '" + words.front() + "'")
              << "\n\n"
              << kHelp;
    return 2;
  }
  Timestamp at = SystemClock().now();
  if (const auto given = options->find("--at"); given != options->end()) {
    const auto parsed = parse_time(given->second);
    if (!parsed) {
      std::cerr << "--at: " << parsed.error().message << "\n";
      return 2;
    }
    at = *parsed;
  }
  const auto chart = org_chart_from(*options);
  if (!chart) return 1;
  return sub == "show" ? show(*chart, words.front(), at, out) : route(*chart, *options, at, out);
}

}  // namespace escalator::tools
