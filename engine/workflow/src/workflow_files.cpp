// Reading a workflow file: the schema first (schema_check.hpp), then what the
// schema cannot say. Every problem carries the file, line and JSON pointer.
#include "escalator/workflow/workflow_files.hpp"

#include <algorithm>
#include <map>


#include "embedded.hpp"
#include "escalator/org/routing.hpp"
#include "json_file.hpp"
#include "json_lines.hpp"
#include "schema_check.hpp"
#include "sha256.hpp"

namespace escalator {
namespace {

using Json = nlohmann::json;

const JsonSchema& schema() {
  static const JsonSchema compiled(embedded::workflow_schema());
  return compiled;
}

// Collects problems with their lines, and reads values the schema has vouched for.
class Reader : public JsonFile {
 public:
  using JsonFile::JsonFile;

  Duration duration(const Json& doc, const std::string& pointer, const Duration& fallback) {
    const Json::json_pointer at(pointer);
    if (!doc.contains(at)) return fallback;
    auto d = parse_duration(doc.at(at).get<std::string>());
    if (!d) {
      problem(pointer, d.error().message);
      return fallback;
    }
    return *d;
  }
};

WorkflowTakes read_takes_object(const Json& t) {
  WorkflowTakes takes;
  if (t.contains("categories")) takes.categories = t["categories"].get<std::vector<std::string>>();
  // The schema lists the allowed names, so these parse.
  if (t.contains("request_types")) {
    for (const auto& r : t["request_types"]) takes.request_types.push_back(*parse_request_type(r.get<std::string>()));
  }
  if (t.contains("channels")) {
    for (const auto& c : t["channels"]) takes.channels.push_back(*parse_channel(c.get<std::string>()));
  }
  if (t.contains("collective")) takes.collective = t["collective"].get<bool>();
  return takes;
}

WorkflowTakes read_takes(const Json& doc) {
  return doc.contains("takes") ? read_takes_object(doc["takes"]) : WorkflowTakes{};
}

// "next", or branches with conditions; the schema has vouched for the shape.
WorkflowRoute read_route(const Json& step, const char* key) {
  WorkflowRoute route;
  if (!step.contains(key)) return route;
  const Json& r = step[key];
  if (r.is_string()) return {WorkflowBranch{{}, r.get<std::string>()}};
  for (const Json& branch : r) {
    route.push_back({branch.contains("when") ? read_takes_object(branch["when"]) : WorkflowTakes{},
                     branch["then"].get<std::string>()});
  }
  return route;
}

constexpr const char* kRouteKeys[] = {"on_accept_timeout", "on_resolve_timeout", "on_unresolved"};

WorkflowRoute& route_of(WorkflowStep& step, int which) {
  return which == 0 ? step.on_accept_timeout : which == 1 ? step.on_resolve_timeout : step.on_unresolved;
}

// Every route names "next", "stay" or a step; no route goes back to a step at
// or before its own (a loop nothing would end); every step after the first is
// reached by some route from a step that is.
void check_routes(const Json& doc, Reader& r, const Workflow& w) {
  const int n = static_cast<int>(w.steps.size());
  std::vector<bool> reached(static_cast<std::size_t>(n), false);
  reached[0] = true;
  for (int i = 0; i < n; ++i) {
    WorkflowStep step = w.steps[static_cast<std::size_t>(i)];
    for (int which = 0; which < 3; ++which) {
      const WorkflowRoute& route = route_of(step, which);
      const bool has_default = std::any_of(route.begin(), route.end(), [](const WorkflowBranch& b) {
        return b.when.categories.empty() && b.when.request_types.empty() && b.when.channels.empty() &&
               !b.when.collective;
      });
      // A route without an unconditional branch falls back to its default.
      const std::string fallback = which == 2 ? "stay" : "next";
      std::vector<std::string> targets;
      for (const auto& b : route) targets.push_back(b.then);
      if (!has_default) targets.push_back(fallback);
      for (std::size_t b = 0; b < targets.size(); ++b) {
        const std::string& then = targets[b];
        const bool written = b < route.size();
        const std::string at = "/steps/" + std::to_string(i) + "/" + kRouteKeys[which] +
                               (doc["steps"][static_cast<std::size_t>(i)].value(kRouteKeys[which], Json()).is_array()
                                    ? "/" + std::to_string(b) + "/then"
                                    : "");
        if (then == "stay") continue;
        if (then == "next") {
          if (i + 1 < n && reached[static_cast<std::size_t>(i)]) reached[static_cast<std::size_t>(i + 1)] = true;
          continue;
        }
        const int target = w.step_index(then);
        if (target < 0) {
          std::string ids;
          for (const auto& s : w.steps) ids += (ids.empty() ? "" : ", ") + s.id;
          if (written) r.problem(at, "no step '" + then + "' in this workflow (expected next, stay or one of " + ids + ")");
          continue;
        }
        if (target <= i) {
          r.problem(at, "goes back to step '" + then + "' from '" + step.id +
                            "': a loop without a limit (routes may only go to later steps)");
          continue;
        }
        if (reached[static_cast<std::size_t>(i)]) reached[static_cast<std::size_t>(target)] = true;
      }
    }
  }
  for (int i = 1; i < n; ++i) {
    if (!reached[static_cast<std::size_t>(i)]) {
      r.problem("/steps/" + std::to_string(i), "step '" + w.steps[static_cast<std::size_t>(i)].id +
                                                  "' is reached by no route: every step before it sends cases elsewhere");
    }
  }
}

// The warnings under `pointer` ("/warn_before", "/steps/0/warn_before").
DeadlineWarnings read_warnings(const Json& doc, Reader& r, const std::string& pointer) {
  DeadlineWarnings warnings;
  if (!doc.contains(Json::json_pointer(pointer))) return warnings;
  auto read = [&](const char* key, std::optional<Duration>& into) {
    if (doc.contains(Json::json_pointer(pointer + "/" + key))) into = r.duration(doc, pointer + "/" + key, {});
  };
  read("accept", warnings.accept);
  read("resolve", warnings.resolve);
  read("reply", warnings.reply);
  read("rating", warnings.rating);
  read("follow_up", warnings.follow_up);
  return warnings;
}

// A warning as long as its deadline, or longer, would be raised the moment the
// deadline starts. Only durations in one unit compare: a working day is not a
// fixed number of hours.
void check_warning(Reader& r, const std::string& pointer, const std::optional<Duration>& warning,
                   const Duration& deadline, const std::string& deadline_name) {
  if (!warning || warning->unit != deadline.unit || warning->amount < deadline.amount) return;
  r.problem(pointer, "warns " + format_duration(*warning) + " ahead of " + deadline_name + ", which is itself " +
                         format_duration(deadline) + ": the warning would come as soon as the deadline starts; it must be shorter");
}

void check_warnings(Reader& r, const Workflow& w) {
  for (std::size_t i = 0; i < w.steps.size(); ++i) {
    const WorkflowStep& step = w.steps[i];
    const std::string at = "/steps/" + std::to_string(i);
    const int index = static_cast<int>(i);
    for (const DeadlineKind kind : {DeadlineKind::kAccept, DeadlineKind::kResolve}) {
      const bool own = step.warn_before.of(kind).has_value();
      const std::string pointer = own ? at + "/warn_before/" + std::string(to_string(kind))
                                      : "/warn_before/" + std::string(to_string(kind));
      const Duration& deadline = kind == DeadlineKind::kAccept ? step.accept_within : step.resolve_within;
      check_warning(r, pointer, w.warning_before(index, kind), deadline,
                    "the " + std::string(to_string(kind)) + " deadline (step '" + step.id + "')");
    }
  }
  check_warning(r, "/warn_before/reply", w.warn_before.reply, w.reply_within, "the reply deadline");
  check_warning(r, "/warn_before/rating", w.warn_before.rating, w.rating_within, "the rating deadline");
  if (w.follow_up_within) {
    check_warning(r, "/warn_before/follow_up", w.warn_before.follow_up, *w.follow_up_within,
                  "the follow-up deadline");
  }
}

// The compounds of the directory in force today where nobody holds `step`,
// nor any of its fallbacks. A case there could only wait for a dispatcher, so
// the administrator hears of it now rather than from a stalled case
// (docs/directory.md).
std::vector<std::string> compounds_reaching_nobody(const OrgDirectory& directory, const WorkflowStep& step) {
  const Timestamp today = std::chrono::time_point_cast<Timestamp::duration>(std::chrono::system_clock::now());
  std::vector<std::string> nobody;
  for (const Location& where : directory.compounds_at(today)) {
    if (!lead_unit_for(directory, where, step, today)) nobody.push_back(where.compound);
  }
  return nobody;
}

// `directory` null: a workflow published before, whose steps were checked
// against the directory of its day and are not checked again.
void read_steps(const Json& doc, Reader& r, const OrgDirectory* directory, Workflow& w) {
  const Json& steps = doc["steps"];
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const Json& s = steps[i];
    const std::string at = "/steps/" + std::to_string(i);
    WorkflowStep step;
    step.id = s["id"].get<std::string>();
    step.name = s["name"].get<std::string>();
    step.level = *parse_level(s["level"].get<std::string>());
    step.role = s["role"].get<std::string>();
    if (s.contains("fallback_roles")) {
      step.fallback_roles = s["fallback_roles"].get<std::vector<std::string>>();
      for (std::size_t j = 0; directory && j < step.fallback_roles.size(); ++j) {
        const std::string& role = step.fallback_roles[j];
        bool held = false;
        for (int level = static_cast<int>(step.level); !held && level <= static_cast<int>(Level::kDistrict); ++level) {
          held = directory->has_role(static_cast<Level>(level), role);
        }
        if (!held) {
          r.problem(at + "/fallback_roles/" + std::to_string(j),
                    "no unit at level " + std::string(to_string(step.level)) + " or above holds role '" + role +
                        "' in the org directory");
        }
      }
    }
    step.accept_within = r.duration(doc, at + "/accept_within", {});
    step.resolve_within = r.duration(doc, at + "/resolve_within", {});
    step.on_accept_timeout = read_route(s, "on_accept_timeout");
    step.on_resolve_timeout = read_route(s, "on_resolve_timeout");
    step.on_unresolved = read_route(s, "on_unresolved");
    if (s.contains("urge_shortens_to")) step.urge_shortens_to = r.duration(doc, at + "/urge_shortens_to", {});
    step.warn_before = read_warnings(doc, r, at + "/warn_before");
    if (s.contains("co_handling")) {
      const Json& co = s["co_handling"];
      step.co_replies_required = co.value("replies", "lead") == "all";
      if (co.contains("roles")) {
        for (std::size_t j = 0; j < co["roles"].size(); ++j) {
          const Json& role = co["roles"][j];
          const Level level = *parse_level(role["level"].get<std::string>());
          const std::string name = role["role"].get<std::string>();
          if (directory && !directory->has_role(level, name)) {
            r.problem(at + "/co_handling/roles/" + std::to_string(j) + "/role",
                      "no unit at level " + std::string(to_string(level)) + " holds role '" + name +
                          "' in the org directory, nor a fallback for it");
          }
          step.co_handler_roles.emplace_back(level, name);
        }
      }
    }
    if (const int before = w.step_index(step.id); before >= 0) {
      r.problem(at + "/id", "step id '" + step.id + "' is already used by /steps/" + std::to_string(before));
    }
    if (!w.steps.empty() && step.level < w.steps.back().level) {
      const auto& prev = w.steps.back();
      r.problem(at + "/level", "step '" + step.id + "' (" + std::string(to_string(step.level)) + ") comes after '" +
                                   prev.id + "' (" + std::string(to_string(prev.level)) +
                                   "): escalation climbs the ladder, from the compound to the district");
    }
    if (!directory) {
      // checked when it was published
    } else if (!directory->has_role(step.level, step.role)) {
      r.problem(at + "/role", "no unit at level " + std::string(to_string(step.level)) + " holds role '" + step.role +
                                  "' in the org directory, nor a fallback for it");
    } else if (const auto nobody = compounds_reaching_nobody(*directory, step); !nobody.empty()) {
      std::string places;
      for (std::size_t i = 0; i < nobody.size() && i < 10; ++i) places += (i == 0 ? "" : ", ") + nobody[i];
      if (nobody.size() > 10) places += " and " + std::to_string(nobody.size() - 10) + " more";
      r.problem(at + "/role", "step '" + step.id + "' reaches nobody at " + std::to_string(nobody.size()) +
                                  (nobody.size() == 1 ? " compound" : " compounds") + " of the org directory: no unit holds role '" +
                                  step.role + "' nor any fallback for " + places +
                                  "; name a fallback_roles entry held there, or add the unit to the directory");
    }
    w.steps.push_back(std::move(step));
  }
}

}  // namespace

namespace {

WorkflowFile read_workflow_against(std::string_view text, const std::string& file, const OrgDirectory* directory) {
  WorkflowFile result;
  Reader r(text, file, schema());
  if (r.doc() == nullptr) {
    result.problems = std::move(r.problems());
    return result;
  }
  const Json* doc = r.doc();
  Workflow w;
  w.id = (*doc)["id"].get<std::string>();
  w.name = (*doc)["name"].get<std::string>();
  w.description = doc->value("description", "");
  w.priority = doc->value("priority", 0);
  w.takes = read_takes(*doc);
  read_steps(*doc, r, directory, w);
  if (r.problems().empty()) check_routes(*doc, r, w);
  w.reply_within = r.duration(*doc, "/reply_within", {});
  w.rating_within = r.duration(*doc, "/follow_up/rating_within", Duration{3, Duration::Unit::kDays});
  w.follow_up_required = doc->contains("follow_up") ? (*doc)["follow_up"].value("required", true) : true;
  if (doc->contains(Json::json_pointer("/follow_up/ask_within"))) {
    w.follow_up_within = r.duration(*doc, "/follow_up/ask_within", {});
  }
  w.max_reopens = doc->contains("reopen") ? (*doc)["reopen"].value("limit", 2) : 2;
  w.when_reopens_exhausted = doc->contains("reopen") ? (*doc)["reopen"].value("when_exhausted", "stay") : "stay";
  if (w.when_reopens_exhausted != "stay" && w.step_index(w.when_reopens_exhausted) < 0) {
    r.problem("/reopen/when_exhausted", "no step '" + w.when_reopens_exhausted +
                                            "' in this workflow (expected stay or a step id)");
  }
  if (doc->contains("follow_up") && (*doc)["follow_up"].contains("no_answer")) {
    w.no_answer_counts_as = *parse_rating((*doc)["follow_up"]["no_answer"].get<std::string>());
  }
  w.warn_before = read_warnings(*doc, r, "/warn_before");
  check_warnings(r, w);
  w.document = doc->dump();
  w.content_hash = to_hex(sha256(w.document));
  w.source = file;
  result.problems = std::move(r.problems());
  if (result.problems.empty()) result.workflow = std::move(w);
  return result;
}

}  // namespace

WorkflowFile read_workflow(std::string_view text, const std::string& file, const OrgDirectory& directory) {
  return read_workflow_against(text, file, &directory);
}

WorkflowFile read_published_workflow(std::string_view document, const std::string& source) {
  return read_workflow_against(document, source, nullptr);
}

WorkflowFile load_workflow_file(const std::filesystem::path& file, const OrgDirectory& directory) {
  const auto text = read_text_file(file.string());
  if (!text) return WorkflowFile{std::nullopt, {{file.string(), 1, "", "cannot be read"}}};
  return read_workflow(*text, file.string(), directory);
}

namespace {
// The line of `pointer` in the file a workflow came from; 1 when it cannot be read.
int line_in(const std::string& file, const std::string& pointer) {
  const auto text = read_text_file(file);
  return text ? line_of(json_pointer_lines(*text), pointer) : 1;
}
}  // namespace

std::vector<WorkflowProblem> check_workflow_set(const std::vector<Workflow>& workflows) {
  std::vector<WorkflowProblem> problems;
  for (std::size_t i = 0; i < workflows.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      const Workflow& a = workflows[j];
      const Workflow& b = workflows[i];
      if (a.id == b.id) {
        problems.push_back({b.source, line_in(b.source, "/id"), "/id",
                            "workflow id '" + b.id + "' is also the id of " + a.source});
      } else if (a.priority == b.priority && a.takes.overlaps(b.takes)) {
        problems.push_back({b.source, line_in(b.source, "/takes"), "/takes",
                            "takes cases that " + a.source + " (workflow " + a.id + ") takes too, at the same priority " +
                                std::to_string(a.priority) + ": give one of them a higher priority"});
      }
    }
  }
  return problems;
}

}  // namespace escalator
