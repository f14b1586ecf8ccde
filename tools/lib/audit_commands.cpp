#include "audit_commands.hpp"

#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "command_line.hpp"
#include "escalator/store/audit.hpp"
#include "escalator/engine/engine.hpp"
#include "escalator/lifecycle/history.hpp"
#include "escalator/store/store.hpp"
#include "event_json.hpp"
#include "new_store.hpp"
#include "terminal_progress.hpp"
#include "appliers.hpp"
#include "escalator/store/calendar_in_force.hpp"
#include "escalator/lifecycle/paused.hpp"
#include "escalator/workflow/workflow_registry.hpp"
#include "escalator/calendar/official_calendar.hpp"
#include "escalator/store/org_versions.hpp"
#include "escalator/store/stats_report.hpp"
#include "timers.hpp"

namespace escalator::tools {
namespace {

constexpr const char* kAuditWhat = R"(Checks a store as stored, record by record.

It checks every case's hash chain (each event's
hash over its own bytes, each prev_hash the hash before it), that each event's bytes are
the canonical form of what they hold, the log of every event in commit order (no gaps, the
running log_hash, each entry naming the event at its position), every snapshot against
the replay of its events, every case's personal record against the commitments its
history holds (a record may be missing only after a PersonalDataErased), the case lists,
every running deadline's stored timer, every org directory version against the digest of
what was imported, and the report counters against a recount of the events. Prints every
break it finds, naming the record and what differs, then what it checked and the log's
last position and log_hash (and, for a store upgraded from format 3, the old log's).

A store a running service has open is audited beside it, as the service had written it when
the audit began (a RocksDB secondary instance that changes nothing; it must be of this
release's format). Otherwise a store of an older format is upgraded first.)";

constexpr const char* kReplayWhat = R"(Prints the case's timeline from its stored events: each event's seq, log position, time,
type and actor, and the case as that event left it (state, step, level, holder, running
deadlines). Then the case as it stood at TIME (default: after its last event): state,
step, level, holder, co-handlers, deadlines, overdue marks and rating. The case is rebuilt
by applying its events with the same appliers as live processing, never by deciding again.
The hash chain of the events is checked too. The store must not be in use.)";

std::string deadlines_of(const CaseState& k) {
  std::string text;
  for (const auto& d : running_deadlines(k)) {
    text += (text.empty() ? "" : "  ") + std::string(to_string(d.kind)) + "_by=" + format_time(d.due);
  }
  return text;
}

// A suspended case's deadlines as paused, with the time each had left on the
// store's calendar, counted as the case's workflow counts them (one the store
// does not know, in plain time).
std::string paused_of(const CaseState& k, const Calendar& calendar, const WorkflowCatalog& workflows) {
  std::string text;
  for (const auto& p : paused_deadlines(k, workflows, calendar)) {
    text += (text.empty() ? "" : "  ") + std::string(to_string(p.kind)) + "_by " + paused_words(p);
  }
  return text;
}

// A unit by its id and, when the directory holds it, its name.
std::string unit_named(const std::string& id, const OrgChart* directory) {
  const OrgUnit* unit = directory != nullptr ? directory->unit(id) : nullptr;
  return unit != nullptr ? id + " " + unit->name : id;
}

void print_moment(const CaseState& k, const Calendar& calendar, const WorkflowCatalog& workflows,
                  const OrgChart* directory, std::ostream& out) {
  out << "  state        " << to_string(k.state) << "\n";
  if (k.step >= 0) {
    out << "  step         " << k.step_id << " (" << k.step << ")\n"
        << "  level        " << to_string(k.level) << "\n"
        << "  holder       " << unit_named(k.lead_unit, directory) << "\n";
  }
  if (!k.co_handlers.empty()) {
    out << "  co-handlers ";
    for (const auto& unit : k.co_handlers) out << " " << unit_named(unit, directory) << ";";
    out << "\n";
  }
  const auto deadlines = deadlines_of(k);
  const auto paused = paused_of(k, calendar, workflows);
  out << "  deadlines    " << (!paused.empty() ? paused : deadlines.empty() ? "none running" : deadlines) << "\n";
  if (!k.overdue.empty()) {
    out << "  overdue     ";
    for (const auto kind : k.overdue) out << " " << to_string(kind);
    out << "\n";
  }
  if (k.outcome) out << "  outcome      " << to_string(*k.outcome) << "\n";
  if (k.rating) out << "  rating       " << to_string(*k.rating) << "\n";
  if (!k.merged_into.empty()) out << "  merged into  " << k.merged_into << "\n";
}

// Checks the report's counters against a recount of the events (docs/stats.md),
// with the calendar they were counted with, adding a break per cell that
// differs: what to print about them.
// Each org directory version the store holds must rebuild, from the records
// kept for it, what was imported as it: the digest recorded with the import.
std::string check_org_versions(const CaseStore& store, std::vector<AuditBreak>& breaks) {
  auto imports = store.org_imports();
  if (!imports) {
    breaks.push_back({"org", "", 0, "cannot be read: " + imports.error().message});
    return "";
  }
  std::size_t sound = 0;
  for (std::uint64_t version = 1; version <= imports->size(); ++version) {
    if (auto rebuilt = stored_org_directory(store, version)) {
      ++sound;
    } else {
      breaks.push_back({"org/v" + std::to_string(version), "", 0, rebuilt.error().message});
    }
  }
  if (imports->empty()) return "";
  return "org directory: " + std::to_string(sound) + " of " + std::to_string(imports->size()) +
         " versions rebuild what was imported\n";
}

std::string check_counters(const std::shared_ptr<CaseStore>& store, std::vector<AuditBreak>& breaks,
                           TerminalProgress& progress) {
  auto broken = [&](const std::string& what) {
    breaks.push_back({"stats", "", 0, what});
    return std::string();
  };
  auto stamp = store->stats_stamp();
  if (!stamp) return broken(stamp.error().message);
  // Counters this release cannot recount the same way are not vouched for: a
  // stamp changed along with them must not make an edit pass unchecked.
  if (!*stamp) {
    return broken("not counted: the store has no counting stamp, so its counters cannot be checked against a "
                  "recount of the events; an engine counts them when it opens the store");
  }
  if ((*stamp)->definition != stats::kDefinition) {
    return broken("counted by definition " + std::to_string((*stamp)->definition) + ", but this release counts by " +
                  std::to_string(stats::kDefinition) +
                  ", so they cannot be checked against a recount of the events; an engine counts them again when "
                  "it opens the store");
  }
  std::vector<std::string> windows;
  std::stringstream hours((*stamp)->working_hours);
  for (std::string window; std::getline(hours >> std::ws, window, ',');) windows.push_back(window);
  auto working_hours = parse_working_hours(windows);
  if (!working_hours) return broken("meta/stats_stamp: working_hours: " + working_hours.error().message);
  auto calendars = calendars_in_force(shipped_calendar()->with_working_hours(*working_hours), *store);
  if (!calendars) return broken(calendars.error().message);
  if (calendars->current->version() != (*stamp)->calendar) {
    return broken("counted on calendar " + (*stamp)->calendar + ", but the store's calendar in force is " +
                  calendars->current->version() +
                  ", so they cannot be checked against a recount; an engine counts them again when it opens the "
                  "store, which also finishes a calendar import stopped before it recounted");
  }
  auto differences = stats::counter_differences(*store, *calendars->current, progress.callback());
  if (!differences) return broken("cannot recount: " + differences.error().message);
  for (const auto& line : *differences) {
    const auto colon = line.find(": ");
    breaks.push_back({"stats/" + line.substr(0, colon), "", 0, line.substr(colon + 2)});
  }
  if (!differences->empty()) return "";
  return "counters: every one agrees with a recount of the events\n";
}

// audit verify --json: what the text says, as one object (docs/cli.md).
void print_audit_json(const AuditReport& report, const std::string& notes, std::ostream& out) {
  nlohmann::ordered_json j;
  j["whole"] = report.breaks.empty();
  j["checked"] = {{"cases", report.cases},
                  {"events", report.events},
                  {"log_entries", report.log_entries},
                  {"snapshots", report.snapshots},
                  {"personal_records", report.personal_records},
                  {"list_entries", report.list_entries},
                  {"timers", report.timers},
                  {"access_records", report.access_records}};
  j["breaks"] = nlohmann::ordered_json::array();
  for (const auto& b : report.breaks) {
    j["breaks"].push_back({{"where", b.where}, {"case_id", b.case_id}, {"seq", b.seq}, {"what", b.what}});
  }
  j["notes"] = nlohmann::ordered_json::array();
  std::istringstream lines(notes);
  for (std::string line; std::getline(lines, line);) j["notes"].push_back(line);
  j["log"] = report.log_position == 0
                 ? nlohmann::ordered_json(nullptr)
                 : nlohmann::ordered_json{{"position", report.log_position}, {"log_hash", report.log_hash}};
  j["resealed_from_format_3"] =
      report.resealed_log_position == 0
          ? nlohmann::ordered_json(nullptr)
          : nlohmann::ordered_json{{"position", report.resealed_log_position},
                                   {"log_hash", report.resealed_log_hash}};
  out << j.dump(2) << "\n";
}

nlohmann::ordered_json deadlines_json(const CaseState& k) {
  auto list = nlohmann::ordered_json::array();
  for (const auto& d : running_deadlines(k)) list.push_back({{"kind", to_string(d.kind)}, {"due", format_time(d.due)}});
  return list;
}

// replay --json: the timeline and the case at the moment, as one object
// (docs/cli.md). Exit code as the text's.
int print_replay_json(const std::string& case_id, const std::vector<Event>& events, std::optional<Timestamp> at,
                      const Calendar& calendar, const WorkflowCatalog& workflows, std::ostream& out) {
  nlohmann::ordered_json j;
  j["case_id"] = case_id;
  j["at"] = at ? nlohmann::ordered_json(format_time(*at)) : nlohmann::ordered_json(nullptr);
  j["events"] = nlohmann::ordered_json::array();
  CaseState k;
  for (const auto& e : events) {
    if (at && e.time > *at) break;
    (void)apply(k, e);  // an event that does not apply is reported by the replay of them all
    nlohmann::ordered_json entry{{"seq", e.seq},
                                 {"position", e.position},
                                 {"time", format_time(e.time)},
                                 {"type", event_type_name(event_type(e.payload))},
                                 {"actor", e.actor},
                                 {"state", to_string(k.state)}};
    entry["step"] = k.step >= 0 ? nlohmann::ordered_json(k.step_id) : nlohmann::ordered_json(nullptr);
    entry["level"] = k.step >= 0 ? nlohmann::ordered_json(to_string(k.level)) : nlohmann::ordered_json(nullptr);
    entry["holder"] = k.step >= 0 ? nlohmann::ordered_json(k.lead_unit) : nlohmann::ordered_json(nullptr);
    entry["deadlines"] = deadlines_json(k);
    entry["prev_hash"] = e.prev_hash;
    entry["bytes"] = canonical_bytes(e).value_or("");
    entry["hash"] = e.hash;
    j["events"].push_back(std::move(entry));
  }
  auto then = at ? replay_until(events, *at) : replay(events);
  if (then) {
    auto moment = nlohmann::ordered_json::parse(case_json_text(*then));
    auto paused = nlohmann::ordered_json::array();
    for (const auto& p : paused_deadlines(*then, workflows, calendar)) {
      paused.push_back({{"kind", to_string(p.kind)},
                        {"was_due", format_time(p.was_due)},
                        {"left_seconds", p.left.count()},
                        {"working", p.working}});
    }
    j["case"] = std::move(moment);
    j["running_deadlines"] = deadlines_json(*then);
    j["paused_deadlines"] = std::move(paused);
    j["error"] = nullptr;
  } else {
    j["case"] = nullptr;
    j["running_deadlines"] = nlohmann::ordered_json::array();
    j["paused_deadlines"] = nlohmann::ordered_json::array();
    j["error"] = then.error().message;
  }
  const auto breaks = chain_breaks(case_id, events);
  j["hash_chain"] = {{"whole", breaks.empty()}, {"breaks", nlohmann::ordered_json::array()}};
  for (const auto& b : breaks) j["hash_chain"]["breaks"].push_back({{"seq", b.seq}, {"what", b.what}});
  out << j.dump(2) << "\n";
  return breaks.empty() && then ? 0 : 1;
}

}  // namespace

int audit_command(const std::vector<std::string>& args, const Config& config, std::ostream& out) {
  auto app = command_app("escalator audit", "Checks a durable store's hash chains, log, snapshots and counters.",
                         "Exits 1 if there is any break, 2 on bad arguments.");
  app->require_subcommand(1);
  auto* verify = app->add_subcommand("verify", kAuditWhat);
  std::filesystem::path data;
  bool json = false;
  add_data_option(*verify, data, config);
  add_json_flag(*verify, json);
  if (auto done = parse_command_line(*app, args, out)) return *done;
  TerminalProgress progress("audit");
  auto report = audit_store(data, progress.callback());
  if (!report) {
    std::cerr << report.error().message << "\n";
    return 1;
  }
  std::string counters;
  if (auto store = open_store_to_read(data); !store) {
    report->breaks.push_back({"store", "", 0, "cannot be opened to recount: " + store.error().message});
  } else {
    counters = check_org_versions(**store, report->breaks) + check_counters(*store, report->breaks, progress);
  }
  if (json) {
    print_audit_json(*report, counters, out);
    return report->breaks.empty() ? 0 : 1;
  }
  for (const auto& b : report->breaks) out << "BREAK " << b.where << ": " << b.what << "\n";
  out << counters;
  out << "checked " << report->cases << " cases, " << report->events << " events, " << report->log_entries
      << " log entries, " << report->snapshots << " snapshots, " << report->personal_records
      << " personal records, " << report->list_entries << " list entries, " << report->timers
      << " running deadlines' timers, " << report->access_records << " access records; " << report->breaks.size()
      << (report->breaks.size() == 1 ? " break\n" : " breaks\n");
  if (report->log_position > 0) {
    out << "log: position " << report->log_position << ", log_hash " << report->log_hash << "\n";
  }
  if (report->access_position > 0) {
    out << "access log: position " << report->access_position << ", hash " << report->access_hash << "\n";
  }
  if (report->resealed_log_position > 0) {
    out << "sealed again for format 4 from a verified format 3 log that ended at position "
        << report->resealed_log_position << ", log_hash " << report->resealed_log_hash << "\n";
  }
  return report->breaks.empty() ? 0 : 1;
}

int replay_command(const std::vector<std::string>& args, const Config& config, std::ostream& out) {
  auto app = command_app("escalator replay", kReplayWhat, "Exits 1 if the case cannot be read or its chain is broken.");
  std::filesystem::path data;
  std::string case_id;
  std::optional<Timestamp> at;
  bool bytes = false;
  add_data_option(*app, data, config);
  app->add_option("CASE_ID", case_id, "the case, e.g. 370811-20251111-000001")->required();
  add_time_option(*app, "--at", at, "the moment to show the case at (RFC 3339, e.g. 2025-11-11T12:00:00+08:00)");
  app->add_flag("--bytes", bytes,
                "under each event, its prev_hash, the canonical bytes its hash is taken over and its hash: what an "
                "auditor needs to recompute the chain in any language (docs/history.md)");
  bool json = false;
  add_json_flag(*app, json);
  if (auto done = parse_command_line(*app, args, out)) return *done;
  auto store = open_store_to_read(data);
  if (!store) {
    std::cerr << store.error().message << "\n";
    return 1;
  }
  auto loaded = (*store)->load(case_id);
  if (!loaded || !*loaded) {
    std::cerr << (loaded ? "No case " + case_id + " in " + data.string() : loaded.error().message) << "\n";
    return 1;
  }
  const auto& events = (*loaded)->events;
  if (json) {
    const auto calendars = calendars_in_force(shipped_calendar(), **store);
    return print_replay_json(case_id, events, at, calendars ? *calendars->current : *shipped_calendar(),
                             *workflows_of_store(**store), out);
  }
  out << "case " << case_id << ", " << events.size() << " events\n";
  CaseState k;
  for (const auto& e : events) {
    if (at && e.time > *at) break;
    (void)apply(k, e);  // an event that does not apply is reported below, by the replay of them all
    out << "  #" << e.seq << "  @" << e.position << "  " << format_time(e.time) << "  "
        << event_type_name(event_type(e.payload)) << "  by " << e.actor << "  " << to_string(k.state);
    if (k.step >= 0) out << "  step=" << k.step_id << " level=" << to_string(k.level) << " holder=" << k.lead_unit;
    if (const auto deadlines = deadlines_of(k); !deadlines.empty()) out << "  " << deadlines;
    out << "\n";
    if (bytes) {
      out << "      prev_hash " << e.prev_hash << "\n      bytes     " << canonical_bytes(e).value_or("(not UTF-8)")
          << "\n      hash      " << e.hash << "\n";
    }
  }
  auto then = at ? replay_until(events, *at) : replay(events);
  if (!then) {
    out << (at ? "at " + format_time(*at) : std::string("now")) << ": " << then.error().message << "\n";
  } else {
    out << (at ? "at " + format_time(*at) : std::string("after its last event")) << ", version " << then->version
        << ":\n";
    const auto calendars = calendars_in_force(shipped_calendar(), **store);
    const auto directory = directory_of_store(**store);
    print_moment(*then, calendars ? *calendars->current : *shipped_calendar(), *workflows_of_store(**store),
                 directory ? directory->get() : nullptr, out);
  }
  const auto breaks = chain_breaks(case_id, events);
  for (const auto& b : breaks) out << "BREAK #" << b.seq << ": " << b.what << "\n";
  out << "hash chain: " << (breaks.empty() ? "whole" : std::to_string(breaks.size()) + " breaks") << "\n";
  return breaks.empty() && then ? 0 : 1;
}

}  // namespace escalator::tools
