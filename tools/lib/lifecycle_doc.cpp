#include "lifecycle_doc.hpp"

#include <array>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "appliers.hpp"
#include "cell_scenarios.hpp"
#include "command_line.hpp"
#include "commands.hpp"
#include "scenario_commands.hpp"
#include "escalator/calendar/official_calendar.hpp"
#include "escalator/engine/engine.hpp"
#include "escalator/org/org_directory.hpp"
#include "escalator/workflow/workflow_registry.hpp"
#include "lifecycle.hpp"

namespace escalator::tools {
namespace {

std::string title(std::optional<LifecycleState> s) { return s ? std::string(title_of(*s)) : "(no case)"; }

// The command of each kind that the table is walked with: well formed, so that
// only the case's state and the guards decide.
CommandPayload sample_command(int kind, const std::string& other_case) {
  switch (kind) {
    case 0: {
      cmd::Open o;
      o.request_type = RequestType::kComplaint;
      o.category = "物业/漏水";
      o.location.district_code = "370811";
      o.location.compound = "yangguang-garden";
      o.content = "楼上卫生间漏水";
      o.first_contact = Party{"hotline.12345", ""};
      return o;
    }
    case 1: return cmd::Dispatch{};
    case 2: return cmd::Accept{};
    case 3: return cmd::ReplyOnSpot{Outcome::kResolved, "已现场处理"};
    case 4: return cmd::Reply{Outcome::kResolved, "已维修完毕"};
    case 5: return cmd::Return{"不属于本单位管辖"};
    case 6: return cmd::SendBack{"property", "答复不充分"};
    case 7: return cmd::Escalate{"本级无法解决"};
    case 8: return cmd::Urge{"请尽快处理"};
    case 9: return cmd::HandOver{Party{"yangguang-1.station", ""}, "交网格员跟进"};
    case 10: return cmd::Suspend{"等待业主配合入户"};
    case 11: return cmd::Resume{};
    case 12: return cmd::RequestExtension{Duration{2, Duration::Unit::kWorkingDays}, "需要采购配件"};
    case 13: return cmd::DecideExtension{true, ""};
    case 14: return cmd::FollowUp{};
    case 15: return cmd::Rate{Rating::kSatisfied, ""};
    case 16: return cmd::Reopen{"问题复发"};
    case 17: return cmd::Withdraw{"居民自行解决"};
    case 18: return cmd::Merge{other_case};
    case 19: return cmd::Close{""};
    case 20: return cmd::AcceptTimeout{};
    case 21: return cmd::ResolveTimeout{};
    case 22: return cmd::ReplyTimeout{};
    case 23: return cmd::RatingTimeout{};
    case 24: return cmd::CoHandlerReply{"yangguang.office", Outcome::kResolved, "社区已协调"};
    case 25: return cmd::RaiseWarning{};
    case 26: return cmd::FollowUpTimeout{};
    case 27: return cmd::RecomputeDeadlines{"sample"};
    case 28: return cmd::ErasePersonalData{"保存期满"};
    case 29: return cmd::Locate{"heping-li", "", "居民所报小区有误"};
    case 30: return cmd::Discuss{"议定处理办法"};
    default: return cmd::AddCoHandlers{{"yangguang.volunteers"}, "议事会议定设立护学岗"};
  }
}

// A timeout is walked at the deadline it names, the one running in the case.
void aim_timeout(CommandPayload& command, const CaseState& k, Timestamp& now) {
  auto aim = [&](Timestamp& due, const std::optional<Timestamp>& running) {
    if (running) due = *running;
    if (running) now = *running;
  };
  if (auto* c = std::get_if<cmd::AcceptTimeout>(&command)) aim(c->due, k.accept_by);
  if (auto* c = std::get_if<cmd::ResolveTimeout>(&command)) aim(c->due, k.resolve_by);
  if (auto* c = std::get_if<cmd::ReplyTimeout>(&command)) aim(c->due, k.reply_by);
  if (auto* c = std::get_if<cmd::RatingTimeout>(&command)) aim(c->due, k.rating_by);
  if (auto* c = std::get_if<cmd::FollowUpTimeout>(&command)) aim(c->due, k.follow_up_by);
  // A recomputation moves every running deadline a day later.
  if (auto* c = std::get_if<cmd::RecomputeDeadlines>(&command)) {
    c->moved = scenario::a_day_later(k);
  }
  // A warning is walked a second before the first deadline running in the case.
  if (auto* c = std::get_if<cmd::RaiseWarning>(&command)) {
    for (const DeadlineKind kind : {DeadlineKind::kAccept, DeadlineKind::kResolve, DeadlineKind::kReply,
                                    DeadlineKind::kRating, DeadlineKind::kFollowUp}) {
      if (const auto due = running_deadline(k, kind)) {
        *c = cmd::RaiseWarning{kind, *due};
        now = *due - std::chrono::seconds{1};
        break;
      }
    }
  }
}

struct Fixtures {
  std::shared_ptr<ManualClock> clock;
  std::unique_ptr<Engine> engine;
  std::map<int, CaseState> by_state;  // LifecycleState -> a case in it
  std::string other_case;
};

Fixtures make_fixtures() {
  Fixtures f;
  f.clock = std::make_shared<ManualClock>(*parse_time("2025-09-30T09:00:00+08:00"));
  EngineOptions options;
  options.config.limits.worker_threads = 0;
  options.clock = f.clock;
  f.engine = std::move(*Engine::open(std::move(options)));
  int key = 0;
  auto send = [&](const std::string& id, CommandPayload p) {
    Command c{id, "fixture-" + std::to_string(++key), std::nullopt, "fixture", std::move(p)};
    return *f.engine->submit(std::move(c)).get();
  };
  auto walk = [&](const std::vector<int>& kinds, CommandPayload last = cmd::Urge{}) {
    const std::string id = send("", sample_command(0, "")).case_id;
    for (int kind : kinds) send(id, sample_command(kind, ""));
    if (!std::holds_alternative<cmd::Urge>(last)) send(id, std::move(last));
    const CaseState k = *f.engine->get(id);
    f.by_state[static_cast<int>(k.state)] = k;
    return id;
  };
  f.other_case = send("", sample_command(0, "")).case_id;  // what merges go into
  walk({});                                   // New
  walk({1});                                  // Dispatched
  walk({1, 2});                               // Accepted
  walk({1, 2, 4});                            // Replied
  walk({1, 2, 4, 14});                        // AwaitingRating
  walk({1, 2, 4, 14, 15});                    // Rated
  walk({1, 2, 4, 14, 15, 19});                // Closed
  walk({1, 2, 10});                           // Suspended
  walk({17});                                 // Withdrawn
  walk({}, cmd::Merge{f.other_case});         // Merged
  walk({5});                                  // Returned
  return f;
}

// What the engine answers to a command on a case in a state: a refusal, or
// the state it moves to (or stays in) and the events it records.
struct Cell {
  std::optional<Error> refused;
  std::string not_applied;  // the events did not apply: a bug the table shows
  bool stays = false;
  LifecycleState next = LifecycleState::kNew;
  std::vector<std::string> events;

  std::string text() const {
    if (refused) return "refused (" + std::string(to_string(refused->code)) + "): " + refused->message;
    if (!not_applied.empty()) return "does not apply: " + not_applied;
    std::string names;
    for (const auto& e : events) names += (names.empty() ? "" : ", ") + e;
    return (stays ? "stays " : "→ ") + title(next) + ": " + names;
  }

  nlohmann::ordered_json json() const {
    if (refused) return {{"refused", {{"code", to_string(refused->code)}, {"message", refused->message}}}};
    if (!not_applied.empty()) return {{"does_not_apply", not_applied}};
    return {{"next", to_string(next)}, {"stays", stays}, {"events", events}};
  }
};

Cell cell(const Fixtures& f, const std::optional<CaseState>& k, int kind) {
  const auto catalog = builtin_workflows();
  const Workflow* workflow = *catalog->find(WorkflowRef{"property-first", 1});
  const CaseState absent = [] {
    CaseState a;
    a.id = "370811-20250930-000099";
    return a;
  }();
  const CaseState& current = k ? *k : absent;
  auto command = sample_command(kind, f.other_case);
  Timestamp now = f.clock->now();
  aim_timeout(command, current, now);
  const auto calendar = shipped_calendar();
  const auto directory = sample_directory();
  const lifecycle::Situation context{current, k.has_value(), *workflow, *calendar, *directory,
                                           now, "walk"};
  Cell answer;
  auto decided = lifecycle::decide(context, command);
  if (!decided) {
    answer.refused = decided.error();
    return answer;
  }
  CaseState after = current;
  for (auto& payload : *decided) {
    answer.events.emplace_back(event_type_name(event_type(payload)));
    if (auto applied = apply(after, Event{after.version + 1, now, "walk", "walk", {}, std::move(payload)}); !applied) {
      answer.not_applied = applied.error().message;
      return answer;
    }
  }
  answer.stays = k && after.state == k->state && after.step == k->step;
  answer.next = after.state;
  return answer;
}

// lifecycle --json: the transition table and every cell, as one object.
std::string lifecycle_json() {
  nlohmann::ordered_json j;
  const auto state_or_null = [](std::optional<LifecycleState> s) {
    return s ? nlohmann::ordered_json(to_string(*s)) : nlohmann::ordered_json(nullptr);
  };
  j["transitions"] = nlohmann::ordered_json::array();
  for (const auto& r : lifecycle::table()) {
    j["transitions"].push_back({{"from", state_or_null(r.from)},
                                {"command", command_name(r.command_kind)},
                                {"to", state_or_null(r.to)},
                                {"or_to", state_or_null(r.or_to)},
                                {"action", r.action},
                                {"guard", r.guard.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.guard)}});
  }
  j["cells"] = nlohmann::ordered_json::array();
  const Fixtures f = make_fixtures();
  for (int s = -1; s < kLifecycleStateCount; ++s) {
    std::optional<CaseState> k;
    if (s >= 0) k = f.by_state.at(s);
    for (int kind = 0; kind < kCommandKindCount; ++kind) {
      nlohmann::ordered_json entry{{"state", state_or_null(s < 0 ? std::nullopt : std::optional(LifecycleState(s)))},
                                   {"command", command_name(kind)}};
      entry.update(cell(f, k, kind).json());
      j["cells"].push_back(std::move(entry));
    }
  }
  return j.dump(2) + "\n";
}

}  // namespace

std::string lifecycle_markdown() {
  std::ostringstream md;
  const auto& rows = lifecycle::table();
  md << "### The transition table\n\n"
     << "As written in `engine/lifecycle/src/lifecycle.cpp` (" << rows.size() << " rows): the machine's table of\n"
     << "moves between states, then the in-place table of commands a state answers without leaving it.\n\n"
     << "| Start | Command | Next | Action | Guard |\n|---|---|---|---|---|\n";
  for (const auto& r : rows) {
    const std::string next = r.to ? title(r.to) : std::string("(stays)");
    md << "| " << title(r.from) << " | " << command_name(r.command_kind) << " | "
       << (r.or_to ? next + " or " + title(r.or_to) + " (nobody holds the step)" : next) << " | " << r.action << " | "
       << (r.guard.empty() ? "" : r.guard) << " |\n";
  }
  md << "\n### Which state takes which command\n\n"
     << "A cell names the next state (`=` stays); `·` is a refusal.\n\n| Command | (no case) ";
  for (int s = 0; s < kLifecycleStateCount; ++s) md << "| " << title_of(LifecycleState(s)) << " ";
  md << "|\n|---|---";
  for (int s = 0; s < kLifecycleStateCount; ++s) md << "|---";
  md << "|\n";
  for (int kind = 0; kind < kCommandKindCount; ++kind) {
    md << "| " << command_name(kind) << " ";
    for (int s = -1; s < kLifecycleStateCount; ++s) {
      std::string targets;
      for (const auto& r : rows) {
        const bool from_here = s < 0 ? !r.from.has_value() : r.from == LifecycleState(s);
        if (!from_here || r.command_kind != kind) continue;
        const std::string t = r.to ? title(r.to) : "=";
        if (targets.find(t) == std::string::npos) targets += (targets.empty() ? "" : " / ") + t;
      }
      md << "| " << (targets.empty() ? "·" : targets) << " ";
    }
    md << "|\n";
  }
  md << "\n### Every cell, walked\n\n"
     << "Each command below was decided on a sample case in that state (built by the commands of\n"
     << "the happy path from 2025-09-30 09:00, a Tuesday); timeouts are decided at the deadline\n"
     << "running in the case. This is what the engine answers, refusals word for word.\n";
  const Fixtures f = make_fixtures();
  for (int s = -1; s < kLifecycleStateCount; ++s) {
    std::optional<CaseState> k;
    if (s >= 0) k = f.by_state.at(s);
    md << "\n#### " << title(s < 0 ? std::nullopt : std::optional<LifecycleState>(LifecycleState(s)))
       << "\n\n| Command | Result |\n|---|---|\n";
    for (int kind = 0; kind < kCommandKindCount; ++kind) {
      md << "| " << command_name(kind) << " | " << cell(f, k, kind).text() << " |\n";
    }
  }
  return md.str();
}

int lifecycle_command(const std::vector<std::string>& args, const Config&, std::ostream& out) {
  auto app = command_app("escalator lifecycle",
                         "Prints the lifecycle table as markdown: the transition table as written, which state\n"
                         "takes which command, and every state x command cell decided on a sample case.\n"
                         "docs/lifecycle.md holds this text between its generated-table markers.");
  std::string update;
  std::string scenarios;
  auto* update_option =
      app->add_option("--update", update, "replace the text between those markers in FILE")->option_text("FILE");
  app->add_option("--scenarios", scenarios,
                  "write one scenario per state into DIR, trying every command on a case in that state and "
                  "expecting what the engine answers now")
      ->option_text("DIR")
      ->excludes(update_option);
  bool json = false;
  add_json_flag(*app, json)->excludes(update_option);
  if (auto done = parse_command_line(*app, args, out)) return *done;
  if (json) {
    out << lifecycle_json();
    return 0;
  }
  if (!update.empty()) return replace_between_markers(update, kBeginMarker, kEndMarker, lifecycle_markdown(), out);
  if (!scenarios.empty()) return write_cell_scenarios(scenarios, out) > 0 ? 0 : 1;
  out << lifecycle_markdown();
  return 0;
}

}  // namespace escalator::tools
