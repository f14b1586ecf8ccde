#include "org_commands.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <limits>
#include <memory>

#include "command_line.hpp"
#include "escalator/org/address.hpp"
#include "escalator/org/org_directory.hpp"
#include "escalator/org/routing.hpp"
#include "escalator/org/org_directory.hpp"
#include "escalator/workflow/workflow_registry.hpp"
#include "json_file.hpp"
#include "org_csv.hpp"
#include "org_import_command.hpp"
#include "org_json.hpp"

namespace escalator::tools {
namespace {

namespace fs = std::filesystem;

constexpr const char* kOrgWhat = R"(The org directory (docs/directory.md): places from district to building, the roles units
play, the units and the people who hold posts in them. By default the sample directory
compiled into this escalator (org/sample-district.json); --org FILE reads another (JSON,
or CSV for a name ending in .csv), and --data DIR takes the newest version a store keeps,
or version N. Records are effective-dated: show and route answer as the directory is at
--at TIME (default now), and mark records with dates by when they hold.)";

constexpr const char* kShowWhat = R"(A unit, a place or a person, by id.

A unit: its role, its place and the places above, and
the people with posts in it (and their other posts). A place: the places above and below
it, the units there, and for a compound or building who acts for each of its level's roles,
fallbacks included. A person: their posts. Exits 1 for an id the directory does not hold.)";

constexpr const char* kRouteWhat = R"(Whom each step of a workflow goes to, for a case at a place.

Whom each step of the workflow goes to for a case at the building or compound ID, or at the
place the address table gives for TEXT (docs/directory.md, "Addresses"): the lead unit and
how it was found (plays the role, the directory's fallback, or the workflow's
fallback_roles) and the co-handling units, as the engine decides them. The workflows are
the shipped ones, compiled in, or those of --workflows DIR, checked against the directory.
Exits 1 when a step reaches nobody.)";

constexpr const char* kCheckWhat = R"(Checks org directory files.

Reads org directory files and prints what each holds, or every problem as
FILE:LINE: POINTER: reason. Exits 1 on any problem.)";

constexpr const char* kVersionsWhat = R"(The directory versions a store keeps.

The versions the store keeps: number, when imported, from which file, the directory's
name, records added (+), changed (~) and removed (-), and the digest. `escalator import org
FILE` adds one.)";

constexpr const char* kExportWhat = R"(The directory as a JSON or CSV file, to edit and import again.

The directory as a file: JSON (the default), or with --format csv the spreadsheet form
(docs/directory.md, "The CSV file"), UTF-8 with a byte-order mark so that Excel opens it,
ready to edit and import again.)";

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
    const OrgUnit* unit = acting_for(chart, place, *role, at);
    out << (first ? "acting   " : "         ") << role->id << " " << role->name << ": ";
    first = false;
    if (unit == nullptr) {
      out << "nobody\n";
      continue;
    }
    out << named(*unit);
    if (unit->role != role->id) out << " (fallback: " << unit->role << ")";
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

int show(const OrgChart& chart, const std::string& id, Timestamp at, bool json, std::ostream& out) {
  if (json) {
    const auto shown = shown_json(chart, id, at);
    if (shown.is_null()) {
      std::cerr << "no unit, place or person '" << id << "' in " << chart.name() << "\n";
      return 1;
    }
    out << shown.dump(2) << "\n";
    return 0;
  }
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

// What `org route` is asked: a place (or an address), a workflow, and where
// the workflows come from.
struct RouteQuestion {
  std::string location;
  std::string address;
  std::string workflow;
  std::string workflows_dir;  // empty: the shipped workflows, compiled in
  bool json = false;
  std::string placed_by_address;  // the address `location` was found for
};

// route --json: the place, the workflow and each step's lead and co-handlers.
int print_route_json(const OrgChart& chart, const RouteQuestion& question, const OrgPlace& place,
                     const Workflow& workflow, Timestamp at, std::ostream& out) {
  const Location where = location_of(chart, place, at);
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  int nobody = 0;
  for (const WorkflowStep& step : workflow.steps) {
    nlohmann::ordered_json entry{
        {"id", step.id}, {"name", step.name}, {"level", to_string(step.level)}, {"role", step.role}};
    const auto lead = lead_unit_for(chart, where, step, at);
    if (!lead) {
      entry["lead"] = nullptr;
      entry["nobody"] = lead.error().message;
      entry["co_handling"] = nlohmann::ordered_json::array();
      ++nobody;
    } else {
      const OrgUnit& unit = *chart.unit(*lead);
      entry["lead"] = {{"id", unit.id}, {"name", unit.name}, {"how", how_found(chart, step, unit, at)}};
      entry["nobody"] = nullptr;
      entry["co_handling"] = nlohmann::ordered_json::array();
      for (const auto& co : co_handling_units_for(chart, where, step, *lead, at)) {
        entry["co_handling"].push_back(unit_ref(chart, co));
      }
    }
    steps.push_back(std::move(entry));
  }
  nlohmann::ordered_json j;
  j["address"] = question.placed_by_address.empty()
                     ? nlohmann::ordered_json(nullptr)
                     : nlohmann::ordered_json{{"text", question.placed_by_address},
                                              {"normalised", normalise_address(question.placed_by_address)}};
  j["location"] = {{"id", place.id},
                   {"name", place.name},
                   {"level", to_string(place.level)},
                   {"above", above_json(chart, place, at)}};
  j["workflow"] = {{"id", workflow.id}, {"version", workflow.version}, {"name", workflow.name}};
  j["at"] = format_time(at);
  j["steps"] = std::move(steps);
  out << j.dump(2) << "\n";
  return nobody == 0 ? 0 : 1;
}

int route(const OrgChart& chart, const RouteQuestion& question, Timestamp at, std::ostream& out) {
  if (!question.address.empty()) {
    // As a case placed only by its address is: the longest entry of the address table it begins
    // with.
    const OrgPlace* named = chart.place_of_address(question.address, at);
    if (named == nullptr) {
      std::cerr << "escalator org route: --address: matches no entry of the address table of " << chart.name()
                << "\n";
      return 1;
    }
    if (!question.json) {
      out << "address  " << question.address << " → " << named->id << " (" << normalise_address(question.address)
          << ")\n";
    }
    RouteQuestion by_place = question;
    by_place.placed_by_address = question.address;
    by_place.address.clear();
    by_place.location = named->id;
    return route(chart, by_place, at, out);
  }
  const OrgPlace* place = chart.place(question.location, at);
  if (place == nullptr || (place->level != Level::kCompound && place->level != Level::kBuilding)) {
    return usage_error("escalator org route",
                       "--location: expected a compound or building id of " + chart.name() + ", but " +
                           (place == nullptr ? "there is no place '" + question.location + "'"
                                             : "'" + place->id + "' is a " + std::string(to_string(place->level))));
  }
  WorkflowRegistry registry;
  const auto problems = question.workflows_dir.empty() ? registry.load_shipped(chart)
                                                       : registry.load_directory(question.workflows_dir, chart);
  for (const auto& p : problems) std::cerr << p.text() << "\n";
  if (!problems.empty()) return 1;
  const auto latest = registry.latest();
  const auto found = std::find_if(latest.begin(), latest.end(),
                                  [&](const Workflow* w) { return w->id == question.workflow; });
  if (found == latest.end()) {
    std::string known;
    for (const Workflow* w : latest) known += (known.empty() ? "" : ", ") + w->id;
    return usage_error("escalator org route",
                       "--workflow: no workflow '" + question.workflow + "' in " +
                           (question.workflows_dir.empty() ? "the shipped workflows" : question.workflows_dir) +
                           "; there are " + known);
  }
  const Workflow& workflow = **found;
  if (question.json) return print_route_json(chart, question, *place, workflow, at, out);
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
  int failed = 0;
  for (const std::string& file : files) {
    const auto text = read_text_file(file);
    const OrgFileRead sheet = text ? read_org_file(*text, file, org_file_format(file))
                                   : OrgFileRead{OrgFile{nullptr, {{file, 1, "", "cannot be read"}}}, ""};
    const OrgFile& read = sheet.file;
    if (sheet.converted_from_gb18030) out << file << ": not UTF-8; read as GB18030 (GBK)\n";
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

void DirectoryChoice::add_to(CLI::App& app) {
  auto* file = app.add_option("--org", org, "read this org directory file (JSON, or CSV by its name)")
                   ->option_text("FILE");
  auto* store = app.add_option("--data", data, "take the directory a store keeps")->option_text("DIR");
  app.add_option("--version", version, "that version of the store's directory (default: the newest)")
      ->option_text("N")
      ->check(whole_number(1, std::numeric_limits<std::uint32_t>::max()))
      ->needs(store);
  file->excludes(store);
}

std::shared_ptr<const OrgChart> DirectoryChoice::chart() const {
  if (!data.empty()) {
    auto stored = stored_chart(data, version);
    if (!stored) std::cerr << stored.error().message << "\n";
    return stored ? *stored : nullptr;
  }
  if (org.empty()) return sample_directory();
  OrgFile read = load_org_directory_file(org);
  for (const auto& p : read.problems) std::cerr << p.text() << "\n";
  return read.directory;
}

int org_command(const std::vector<std::string>& args, const Config& config, std::ostream& out) {
  auto app = command_app("escalator org", kOrgWhat, "Exits 2 on bad arguments.");
  app->require_subcommand(1);
  DirectoryChoice directory;
  std::optional<Timestamp> at;
  const auto add_moment = [&at](CLI::App& sub) {
    add_time_option(sub, "--at", at, "answer as the directory is at TIME (default: now)");
  };

  auto* show_app = app->add_subcommand("show", kShowWhat);
  std::string id;
  bool show_json = false;
  show_app->add_option("ID", id, "a unit, place or person id")->required();
  directory.add_to(*show_app);
  add_moment(*show_app);
  add_json_flag(*show_app, show_json);

  auto* route_app = app->add_subcommand("route", kRouteWhat);
  RouteQuestion question;
  auto* location = route_app->add_option("--location", question.location, "a building or compound id")
                       ->option_text("ID");
  auto* address = route_app->add_option("--address", question.address, "an address the address table places")
                      ->option_text("TEXT");
  location->excludes(address);
  route_app->add_option("--workflow", question.workflow, "the workflow's id, e.g. property-first")
      ->option_text("ID")
      ->required();
  route_app->add_option("--workflows", question.workflows_dir,
                        "read the workflows of this directory (default: the shipped ones, compiled in)")
      ->option_text("DIR");
  directory.add_to(*route_app);
  add_moment(*route_app);
  add_json_flag(*route_app, question.json);

  auto* check_app = app->add_subcommand("check", kCheckWhat);
  std::vector<std::string> files;
  check_app->add_option("FILE", files, "org directory files")->required();

  auto* versions_app = app->add_subcommand("versions", kVersionsWhat);
  std::filesystem::path data;
  bool json = false;
  add_data_option(*versions_app, data, config);
  add_json_flag(*versions_app, json);

  auto* export_app = app->add_subcommand("export", kExportWhat);
  std::string format = "json";
  export_app->add_option("--format", format, "json, or csv for a spreadsheet")
      ->check(CLI::IsMember({"json", "csv"}))
      ->capture_default_str();
  directory.add_to(*export_app);

  if (auto done = parse_command_line(*app, args, out)) return *done;
  if (check_app->parsed()) return check(files, out);
  if (versions_app->parsed()) return org_versions_command(data.string(), json, out);
  if (export_app->parsed()) return org_export_command(directory, format == "csv", out);
  if (route_app->parsed() && question.location.empty() && question.address.empty()) {
    return usage_error("escalator org route", "name the place, --location ID or --address TEXT");
  }
  const auto chart = directory.chart();
  if (!chart) return 1;
  const Timestamp moment = at.value_or(SystemClock().now());
  return show_app->parsed() ? show(*chart, id, moment, show_json, out) : route(*chart, question, moment, out);
}

}  // namespace escalator::tools
