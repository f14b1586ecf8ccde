#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "escalator/engine/engine.hpp"
#include "escalator/lifecycle/history.hpp"
#include "escalator/lifecycle/paused.hpp"
#include "escalator/calendar/official_calendar.hpp"
#include "escalator/org/org_directory.hpp"
#include "escalator/store/stats_report.hpp"
#include "escalator/workflow/workflow_registry.hpp"
#include "timers.hpp"
#include "scenario.hpp"
#include "scenario_commands.hpp"
#include "state_fields.hpp"

namespace escalator::scenario {
namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : " ") + item;
  return text.empty() ? "(none)" : text;
}

class Runner {
 public:
  Runner(const Scenario& s, std::ostream* timeline, std::shared_ptr<const WorkflowCatalog> workflows,
         std::shared_ptr<CaseStore> store)
      : s_(s),
        timeline_(timeline),
        clock_(std::make_shared<ManualClock>(s.start)),
        durable_(store != nullptr),
        store_(store ? std::move(store) : memory_store()) {
    EngineOptions options;
    options.store = store_;
    options.config.limits.worker_threads = 0;  // deterministic: decide on this thread
    options.clock = clock_;
    calendar_ = shipped_calendar();
    options.calendar = calendar_;
    options.workflows = workflows ? std::move(workflows) : scenario_workflow();
    engine_ = std::move(*Engine::open(std::move(options)));
  }

  Verdict run() {
    if (!outcome_.passed) return outcome_;
    for (const auto& step : s_.steps) {
      if (step.verb != "expect" && unexpected_refusal_) report_unexpected_refusal();
      line_ = step.line;
      if (is_command(step.verb)) {
        command(step);
      } else if (step.verb == "advance" || step.verb == "at") {
        move_clock(step);
      } else if (step.verb == "expect") {
        expect(step);
      } else {
        failed("unknown step '" + step.verb + "'");
      }
    }
    if (unexpected_refusal_) report_unexpected_refusal();
    // Whatever happened must have been expected: events left unchecked fail.
    if (!pending_.empty()) failed("events nobody expected at the end: " + joined(pending_));
    if (durable_) compare_with_store();
    compare_counters_with_recount();
    return outcome_;
  }

 private:
  // The workflows the header names, read from beside the scenario; null (the
  // engine's built-in) when it names none.
  std::shared_ptr<const WorkflowCatalog> scenario_workflow() {
    if (s_.workflows.empty()) return nullptr;
    auto registry = std::make_shared<WorkflowRegistry>();
    for (const auto& name : s_.workflows) {
      const auto file = std::filesystem::path(s_.file).parent_path() / name;
      auto read = load_workflow_file(file, *sample_directory());
      for (const auto& p : read.problems) failed("workflow: " + p.text());
      if (read.workflow && !registry->publish(std::move(*read.workflow))) {
        failed("workflow: " + name + " cannot be published beside the others");
      }
    }
    return registry;
  }

  void failed(const std::string& why) {
    outcome_.passed = false;
    outcome_.failures.push_back(s_.file + ":" + std::to_string(line_) + ": " + why);
  }

  void report_unexpected_refusal() {
    const int saved = line_;
    line_ = unexpected_refusal_->first;
    failed("refused (" + std::string(to_string(unexpected_refusal_->second.code)) +
           "): " + unexpected_refusal_->second.message);
    unexpected_refusal_.reset();
    line_ = saved;
  }

  // "@b" names a case opened as `open @b`; no alias is the case opened last.
  Result<std::string> case_of(const std::string& alias) {
    if (alias.empty() || alias == "@") {
      if (current_.empty()) return fail(ErrorCode::kInvalidArgument, "no case opened yet");
      return current_;
    }
    auto it = aliases_.find(alias);
    if (it == aliases_.end()) return fail(ErrorCode::kInvalidArgument, "unknown case alias " + alias);
    return it->second;
  }

  std::string alias_word(const Step& step) {
    for (const auto& w : step.words) {
      if (!w.empty() && w[0] == '@') return w;
    }
    return "";
  }

  void record(const Result<Decision>& decided) {
    last_ = decided;
    if (!decided) return;
    // A repeated command gets the first decision back: its events are not new.
    if (decided->duplicate) return;
    for (const auto& e : decided->events) {
      pending_.push_back(std::string(event_type_name(event_type(e.payload))));
    }
    if (timeline_) write_timeline(*decided);
    check_history(decided->case_id);
    // A merge writes the primary's DuplicateMergedIn too.
    for (const auto& e : decided->events) {
      if (const auto* merged = std::get_if<ev::CaseMerged>(&e.payload)) check_history(merged->into);
    }
  }

  // After every decision, the case as an auditor rebuilds it (its events
  // applied, docs/history.md) must be the case the engine holds, over a whole chain.
  void check_history(const std::string& id) {
    const auto history = engine_->history(id);
    const auto live = engine_->get(id);
    if (!history || !live) return failed("case " + id + " cannot be read back");
    const auto replayed = replay(*history);
    if (!replayed || !(*replayed == *live)) {
      failed("the replay of case " + id + " differs from the live case at version " + std::to_string(live->version));
    }
    for (const auto& b : chain_breaks(id, *history)) {
      failed("case " + id + " #" + std::to_string(b.seq) + ": " + b.what);
    }
  }

  // One line per event: the case as the event left it, replayed from its history.
  void write_timeline(const Decision& decided) {
    const auto history = engine_->history(decided.case_id);
    if (!history) return;
    for (const auto& e : decided.events) {
      const std::vector<Event> upto(history->begin(), history->begin() + static_cast<long>(e.seq));
      const auto k = replay(upto);
      if (!k) continue;
      auto& out = *timeline_;
      out << "  " << format_time(e.time) << "  " << decided.case_id << " #" << e.seq << "  "
          << event_type_name(event_type(e.payload)) << "  " << to_string(k->state);
      if (k->step >= 0) out << "  step=" << k->step_id << " level=" << to_string(k->level) << " holder=" << k->lead_unit;
      for (const auto& d : running_deadlines(*k)) out << "  " << to_string(d.kind) << "_by=" << format_time(d.due);
      out << "\n";
    }
  }

  void command(const Step& step) {
    const std::string alias = alias_word(step);
    CommandSite site;
    site.sequence = ++sequence_;
    site.case_of_alias = [this](const std::string& a) { return case_of(a); };
    if (step.verb != "open") {
      auto id = case_of(alias);
      if (!id) return failed(id.error().message);
      site.case_id = *id;
      if (auto state = engine_->get(*id)) site.state = *state;
    }
    auto command = build_command(step, site, s_.file);
    if (!command) {
      outcome_.passed = false;
      outcome_.failures.push_back(command.error().message);
      return;
    }
    auto decided = engine_->submit(std::move(*command)).get();
    record(decided);
    if (!decided) {
      unexpected_refusal_ = std::make_pair(step.line, decided.error());
      if (timeline_) *timeline_ << "  refused: " << decided.error().message << "\n";
      return;
    }
    if (step.verb == "open") {
      current_ = decided->case_id;
      if (!alias.empty()) aliases_[alias] = decided->case_id;
    }
  }

  void move_clock(const Step& step) {
    Timestamp target;
    if (step.verb == "at") {
      auto t = parse_time(joined(step.words));
      if (!t) return failed(t.error().message);
      target = *t;
    } else {
      std::string text = joined(step.words);
      auto d = parse_duration(text);
      if (!d) return failed(d.error().message);
      target = advanced(clock_->now(), *d);
    }
    if (target < clock_->now()) return failed("the clock does not go back");
    // Deadlines fire in order, each at its own time, as they would live.
    while (auto next = engine_->next_timer()) {
      if (*next > target) break;
      clock_->set(std::max(*next, clock_->now()));
      bool any_decided = false;
      for (const auto& decided : engine_->fire_due_timers()) {
        record(decided);
        any_decided = any_decided || decided.has_value();
        if (!decided) failed("a timer was refused: " + decided.error().message);
      }
      // A deadline whose timeout is refused keeps running; firing it again
      // would refuse again, for ever.
      if (!any_decided) break;
    }
    clock_->set(target);
  }

  // Where `advance` lands: the same time of day n days or n working days on
  // (unlike a deadline, which ends at midnight); working hours as the calendar counts them.
  Timestamp advanced(Timestamp from, const Duration& d) const {
    using namespace std::chrono;
    switch (d.unit) {
      case Duration::Unit::kHours: return from + hours{d.amount};
      case Duration::Unit::kDays: return from + days{d.amount};
      case Duration::Unit::kWorkingHours: return calendar_->deadline(from, d);
      case Duration::Unit::kWorkingDays: break;
    }
    Timestamp t = from;
    for (auto left = d.amount; left > 0;) {
      t += days{1};
      if (calendar_->is_working_day(floor<days>(t + kChinaOffset))) --left;
    }
    return t;
  }

  std::string substituted(std::string text) {
    for (std::size_t at; (at = text.find("{case}")) != std::string::npos;) {
      text.replace(at, 6, current_);
    }
    for (const auto& [alias, id] : aliases_) {
      const std::string token = "{" + alias + "}";
      for (std::size_t at; (at = text.find(token)) != std::string::npos;) text.replace(at, token.size(), id);
    }
    return text;
  }

  void expect(const Step& step) {
    const std::string what = step.words.empty() ? "" : step.words.front();
    if (what == "events") {
      std::vector<std::string> wanted(step.words.begin() + 1, step.words.end());
      if (wanted != pending_) failed("expected events " + joined(wanted) + ", got " + joined(pending_));
      pending_.clear();
    } else if (what == "refusal") {
      expect_refusal(step);
    } else if (what == "duplicate") {
      if (!last_ || !*last_ || !(*last_)->duplicate) failed("expected a repeated command's first decision");
    } else if (what == "event") {
      expect_event(step);
    } else if (what == "stats") {
      expect_stats(step);
    } else if (step.words.empty() || step.words.front()[0] == '@') {
      expect_fields(step);
    } else {
      failed("unknown expectation '" + what + "'");
    }
  }

  void expect_refusal(const Step& step) {
    if (!unexpected_refusal_) return failed("expected a refusal, but the last command was decided");
    const Error got = unexpected_refusal_->second;
    unexpected_refusal_.reset();
    if (step.words.size() < 2) return failed("expect refusal CODE \"message\"");
    if (to_string(got.code) != step.words[1]) {
      failed("expected refusal " + step.words[1] + ", got " + std::string(to_string(got.code)) + ": " + got.message);
    }
    if (step.words.size() > 2 && substituted(step.words[2]) != got.message) {
      failed("expected refusal message\n    " + substituted(step.words[2]) + "\n  got\n    " + got.message);
    }
  }

  void expect_event(const Step& step) {
    std::vector<std::string> types;
    for (std::size_t i = 1; i < step.words.size(); ++i) {
      if (step.words[i][0] != '@') types.push_back(step.words[i]);
    }
    if (types.size() != 1) return failed("expect event [@case] TYPE field=value ...");
    const std::string& type = types.front();
    auto id = case_of(alias_word(step));
    if (!id) return failed(id.error().message);
    auto history = engine_->history(*id);
    if (!history) return failed(history.error().message);
    auto found = std::find_if(history->rbegin(), history->rend(), [&](const Event& e) {
      return event_type_name(event_type(e.payload)) == type;
    });
    if (found == history->rend()) return failed("no " + type + " event in the history of " + *id);
    // The envelope's members by name (who issued it, with which key, when),
    // the data's by dotted path.
    const auto whole = nlohmann::json::parse(to_json(*found));
    const auto& data = whole.at("data");
    for (const auto& [path, wanted] : step.ordered_args) {
      const std::string got = is_envelope_member(path) ? text_of(&whole.at(path)) : text_of(at_path(data, path));
      if (got != substituted(wanted)) failed(type + " " + path + ": expected " + substituted(wanted) + ", got " + got);
    }
  }

  static bool is_envelope_member(std::string_view name) {
    return name == "actor" || name == "key" || name == "time" || name == "seq";
  }
  // `to.step_id`, `units.0`: members by name, array elements by index.
  static const nlohmann::json* at_path(const nlohmann::json& data, const std::string& path) {
    const nlohmann::json* node = &data;
    std::istringstream parts(path);
    for (std::string part; node && std::getline(parts, part, '.');) {
      if (node->is_array()) {
        const bool index = !part.empty() && part.find_first_not_of("0123456789") == std::string::npos &&
                           part.size() < 6 && std::stoul(part) < node->size();
        node = index ? &(*node)[std::stoul(part)] : nullptr;
      } else {
        node = node->is_object() && node->contains(part) ? &(*node)[part] : nullptr;
      }
    }
    return node;
  }
  // A string as it is, a list of strings comma-separated as `expect` writes lists, anything else as JSON.
  static std::string text_of(const nlohmann::json* node) {
    if (!node) return "(absent)";
    if (node->is_string()) return node->get<std::string>();
    if (node->is_array() && std::all_of(node->begin(), node->end(), [](const auto& e) { return e.is_string(); })) {
      std::string joined;
      for (const auto& e : *node) joined += (joined.empty() ? "" : ",") + e.get<std::string>();
      return joined;
    }
    return node->dump();
  }

  void expect_fields(const Step& step) {
    auto id = case_of(alias_word(step));
    if (!id) return failed(id.error().message);
    auto state = engine_->get(*id);
    if (!state) return failed(state.error().message);
    // A suspended case's deadlines read as paused, with the time each had left.
    const auto paused = paused_deadlines(*state, *engine_->workflows(), *engine_->calendar());
    for (const auto& [field, wanted] : step.ordered_args) {
      auto got = state_field(*state, field);
      for (const auto& p : paused) {
        if (field == std::string(to_string(p.kind)) + "_by") got = paused_words(p);
      }
      if (!got) {
        failed(got.error().message);
      } else if (*got != substituted(wanted)) {
        failed(field + ": expected " + substituted(wanted) + ", got " + *got);
      }
    }
  }

  // expect stats [by=DIM] [group=NAME] [from=DAY] [to=DAY] [repeat_window_days=N] figure=value ...:
  // the figures of the group over the days (the scenario's, by default). A
  // rate is a fraction or a percentage; "~N" is a time within the histogram's error.
  void expect_stats(const Step& step) {
    stats::Query query{stats::local_day(s_.start), stats::local_day(clock_->now()), stats::Dimension::kAll};
    stats::Formulas formulas;
    std::string group;
    for (const auto& [key, value] : step.ordered_args) {
      if (key == "by") {
        auto by = stats::parse_dimension(value);
        if (!by) return failed(by.error().message);
        query.by = *by;
      } else if (key == "from" || key == "to") {
        auto day = stats::parse_day(value);
        if (!day) return failed(key + ": " + day.error().message);
        (key == "from" ? query.from : query.to) = *day;
      } else if (key == "group") {
        group = substituted(value);
      } else if (key == "repeat_window_days") {
        formulas.repeat_window_days = std::atoi(value.c_str());
        if (formulas.repeat_window_days < 1 || formulas.repeat_window_days > stats::kRepeatDays) {
          return failed("repeat_window_days: expected 1 to " + std::to_string(stats::kRepeatDays) + ", got " + value);
        }
      }
    }
    auto report = stats::read_report(*store_, query);
    if (!report) return failed(report.error().message);
    auto found = std::find_if(report->groups.begin(), report->groups.end(),
                              [&](const stats::Group& g) { return g.name == group; });
    const stats::Tally none;
    const stats::Tally& tally = found == report->groups.end() ? none : found->tally;
    for (const auto& [key, wanted] : step.ordered_args) {
      if (key == "by" || key == "from" || key == "to" || key == "group" || key == "repeat_window_days") continue;
      const auto& all = stats::figures();
      auto figure = std::find_if(all.begin(), all.end(), [&](const stats::Figure& f) { return f.name == key; });
      if (figure == all.end()) {
        failed("stats: no figure '" + key + "'");
        continue;
      }
      const auto got = stats::value_of(*figure, tally, report->total, formulas);
      if (auto mismatch = stats_mismatch(wanted, got)) failed("stats " + key + ": " + *mismatch);
    }
  }

  static std::optional<std::string> stats_mismatch(const std::string& wanted, std::optional<double> got) {
    std::ostringstream shown_text;
    shown_text.precision(10);
    if (got) shown_text << *got;
    const std::string shown = got ? shown_text.str() : "none";
    if (wanted == "none") {
      if (got) return "expected none, got " + shown;
      return std::nullopt;
    }
    const bool near = wanted.starts_with("~");
    const bool percent = wanted.ends_with("%");
    double value = 0;
    try {
      value = std::stod(wanted.substr(near ? 1 : 0));
    } catch (const std::exception&) {
      return "expected a number, none, ~N or N%, not '" + wanted + "'";
    }
    if (percent) value /= 100.0;
    const double allowed = near ? value * stats::kBucketError : 1e-9;
    if (!got || std::abs(*got - value) > allowed) return "expected " + wanted + ", got " + shown;
    return std::nullopt;
  }

  // The counters the engine kept as it went must be what counting the
  // stored events afresh gives.
  void compare_counters_with_recount() {
    auto differences = stats::counter_differences(*store_, *engine_->calendar());
    if (!differences) return failed("recounting: " + differences.error().message);
    for (const auto& line : *differences) failed("counters differ from a recount of the events: " + line);
  }

  // What the store holds must be what the engine answered with.
  void compare_with_store() {
    for (const auto& id : engine_->case_ids()) {
      auto stored = store_->load(id);
      if (!stored || !*stored) {
        failed("the store cannot give back case " + id + (stored ? "" : ": " + stored.error().message));
        continue;
      }
      auto live = engine_->get(id);
      if (!live || !(*live == (*stored)->snapshot) || (*stored)->events.size() != live->version) {
        failed("the store holds case " + id + " other than the engine answered with");
      }
    }
  }

  const Scenario& s_;
  std::ostream* timeline_;
  std::shared_ptr<ManualClock> clock_;
  bool durable_ = false;  // the store was given: compare what it holds
  std::shared_ptr<CaseStore> store_;
  std::shared_ptr<const Calendar> calendar_;
  std::unique_ptr<Engine> engine_;
  Verdict outcome_;
  int line_ = 0;
  int sequence_ = 0;
  std::string current_;
  std::map<std::string, std::string> aliases_;
  std::vector<std::string> pending_;
  std::optional<Result<Decision>> last_;
  std::optional<std::pair<int, Error>> unexpected_refusal_;
};

}  // namespace

Verdict run(const Scenario& scenario, std::ostream* timeline, std::shared_ptr<const WorkflowCatalog> workflows,
            std::shared_ptr<CaseStore> store) {
  return Runner(scenario, timeline, std::move(workflows), std::move(store)).run();
}

}  // namespace escalator::scenario
