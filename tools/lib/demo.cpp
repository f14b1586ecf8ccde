// `escalator demo`: a month of sample cases through one engine on a manual
// clock. Time moves from event to event: the next action someone has planned,
// or the engine's next deadline, whichever comes first; due deadlines are fired
// through the engine, so escalation by timeout is the engine's own.
#include "demo.hpp"
#include "new_store.hpp"

#include <filesystem>
#include <iostream>
#include <map>
#include <unordered_map>

#include "command_line.hpp"
#include "demo_plan.hpp"
#include "terminal_progress.hpp"
#include "escalator/calendar/official_calendar.hpp"

namespace escalator::tools {
namespace {

using namespace demo_parts;

constexpr const char* kDemoWhat = R"(Runs a month of sample cases (2025-11-03 to 2025-12-02) through one engine on a manual
clock: workflow "property-first", the official working-day calendar (the State Council's
notices, in the configuration's working hours) and the sample directory of district 370811
(compounds yangguang-garden, heping-li, xingfu-court). Cases are opened at working hours
through the hotline, WeChat, walk-ins and other channels; some are answered on the spot,
some escalate when a holder lets a deadline pass, some are reopened, withdrawn, merged,
returned, suspended, extended or urged. Deadlines fire through the engine's own timers.

Prints each case's timeline (unless --quiet) and a summary: received, closed, resolved on
the spot and at each level, escalated by timeout, overdue, reopened, withdrawn, merged,
satisfaction. The same seed gives the same month.)";

// The month the demo runs: the clock stops at the end of 2025-12-02.
constexpr const char* kStart = "2025-11-03T08:00:00+08:00";
constexpr const char* kEnd = "2025-12-03T00:00:00+08:00";

struct Options {
  std::optional<std::filesystem::path> data;
  std::uint32_t seed = 1;
  int cases = 60;
  bool quiet = false;
};

class Month {
 public:
  Month(const Config& config, const Options& o)
      : clock_(std::make_shared<ManualClock>(*parse_time(kStart))), calendar_(shipped_calendar()->with_working_hours(config.working_hours)) {
    EngineOptions options;
    options.config = config;
    options.clock = clock_;
    // The engine's own log, at the configured level, beside the timelines.
    options.logger = std::make_shared<JsonLinesLogger>(std::cerr, config.log_level);
    options.calendar = calendar_;
    if (o.data) {
      auto store = open_new_store(*o.data);
      if (!store) {
        error_ = store.error().message;
        return;
      }
      options.store = *store;
    }
    auto opened = Engine::open(std::move(options));
    if (!opened) {
      error_ = opened.error().message;
      return;
    }
    engine_ = std::move(*opened);
    plans_ = sample_cases(o.seed, o.cases, *calendar_);
    runs_.resize(plans_.size());
    for (auto& p : plans_) {
      runs_[p.index].rng.seed(o.seed * 7919u + static_cast<std::uint32_t>(p.index));
      schedule(p.index, Action{p.open_at, p.open.first_contact.unit, p.open});
    }
  }

  const std::string& error() const { return error_; }

  // Runs the month; `progress` hears how many of its days have passed.
  void run(TerminalProgress& progress) {
    const Timestamp start = *parse_time(kStart);
    const Timestamp end = *parse_time(kEnd);
    const auto days_in = [&](Timestamp t) {
      return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::days>(t - start).count());
    };
    while (!queue_.empty() || engine_->next_timer()) {
      progress.update("days of the month", days_in(clock_->now()), days_in(end));
      const auto timer = engine_->next_timer();
      const bool timer_first = timer && (queue_.empty() || *timer <= queue_.begin()->first.first);
      const Timestamp t = timer_first ? *timer : queue_.begin()->first.first;
      if (t >= end) break;
      clock_->set(std::max(t, clock_->now()));
      if (timer_first) {
        if (!fire_timers()) break;
        continue;
      }
      auto [index, token, action] = std::move(queue_.begin()->second);
      queue_.erase(queue_.begin());
      if (token == runs_[index].token) submit(index, std::move(action));
    }
  }

  void print(bool quiet, std::ostream& out) const {
    if (!quiet) {
      for (const auto& p : plans_) {
        if (!runs_[p.index].id.empty()) print_timeline(*engine_, p, runs_[p.index].id, out);
      }
    }
    print_summary(*engine_, plans_, runs_, refusals_, out);
  }

  bool clean() const { return refusals_.empty(); }

  // The first case the month opened; empty when it opened none.
  std::string first_case() const {
    for (const auto& run : runs_) {
      if (!run.id.empty()) return run.id;
    }
    return "";
  }

 private:
  struct Scheduled {
    int index;
    std::uint64_t token;
    Action action;
  };

  // A case has one planned action at a time: planning anew makes older ones stale.
  void schedule(int index, Action action) {
    const Timestamp at = std::max(action.at, clock_->now());
    queue_.emplace(std::pair{at, ++sequence_}, Scheduled{index, ++runs_[index].token, std::move(action)});
  }

  void replan(int index) {
    ++runs_[index].token;
    auto state = engine_->get(runs_[index].id);
    if (!state) return;
    if (auto next = next_action(plans_[index], runs_[index], *state, runs_, clock_->now(), *calendar_)) {
      schedule(index, std::move(*next));
    }
  }

  void submit(int index, Action action) {
    CaseRun& run = runs_[index];
    const CasePlan& plan = plans_[index];
    Command c;
    c.case_id = run.id;
    c.actor = action.actor;
    c.payload = std::move(action.payload);
    const std::string name(command_name(c.payload));
    c.idempotency_key = run.id.empty() ? plan.external_id
                                       : plan.external_id + "/" + name + "/" + std::to_string(++commands_);
    auto decided = engine_->submit(std::move(c)).get();
    if (!decided) {
      refusals_.push_back({run.id.empty() ? plan.external_id : run.id, name, clock_->now(), decided.error().message});
      return;
    }
    if (run.id.empty()) {
      run.id = decided->case_id;
      index_of_[run.id] = index;
    }
    replan(index);
  }

  // False when a timer was refused: its deadline would stay due for ever.
  bool fire_timers() {
    bool ok = true;
    for (const auto& decided : engine_->fire_due_timers()) {
      if (!decided) {
        refusals_.push_back({"", "timeout", clock_->now(), decided.error().message});
        ok = false;
      } else if (auto found = index_of_.find(decided->case_id); found != index_of_.end()) {
        replan(found->second);
      }
    }
    return ok;
  }

  std::shared_ptr<ManualClock> clock_;
  std::shared_ptr<const Calendar> calendar_;
  std::unique_ptr<Engine> engine_;
  std::string error_;
  std::vector<CasePlan> plans_;
  std::vector<CaseRun> runs_;
  std::unordered_map<std::string, int> index_of_;
  // Ordered by time, then by when it was planned: ties go first come, first served.
  std::map<std::pair<Timestamp, std::uint64_t>, Scheduled> queue_;
  std::uint64_t sequence_ = 0;
  std::uint64_t commands_ = 0;
  std::vector<Refusal> refusals_;
};

// Where the month's store is, and three commands an auditor or supervisor
// would run on it, spelled with this program's own path so they paste as is.
void print_what_to_try(const std::filesystem::path& data, const std::string& case_id, std::ostream& out) {
  std::error_code error;
  auto program = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) program = "escalator";
  const std::string store = data.string();
  out << "\nThe month's cases are in the store " << store << ". Try:\n"
      << "  " << program.string() << " stats --data " << store << " --from 2025-11-03 --to 2025-12-02 --by level\n"
      << "  " << program.string() << " audit verify --data " << store << "\n";
  if (!case_id.empty()) out << "  " << program.string() << " replay --data " << store << " " << case_id << "\n";
}

}  // namespace

int demo(const std::vector<std::string>& args, const Config& config, std::ostream& out) {
  auto app = command_app("escalator demo", kDemoWhat,
                         "Exits 1 if the engine refused any command the demo submitted (a bug in one or the other).");
  Options options;
  app->add_option("--data", options.data,
                  "keep the month's cases in a new durable store (RocksDB) at DIR; a DIR that exists is refused. "
                  "Without it, cases are kept in memory")
      ->option_text("DIR");
  add_config_option(*app);
  app->add_option("--seed", options.seed, "the month's random seed")
      ->option_text("N")
      ->check(whole_number(0, 0xFFFFFFFFu))
      ->capture_default_str();
  app->add_option("--cases", options.cases, "how many cases to open")
      ->option_text("N")
      ->check(whole_number(0, 5000))
      ->capture_default_str();
  app->add_flag("--quiet", options.quiet, "print only the summary");
  if (auto done = parse_command_line(*app, args, out)) return *done;
  Month month(config, options);
  if (!month.error().empty()) {
    std::cerr << "escalator demo: " << month.error() << "\n";
    return 1;
  }
  {
    TerminalProgress progress("demo");
    month.run(progress);
  }
  month.print(options.quiet, out);
  if (options.data) print_what_to_try(*options.data, month.first_case(), out);
  return month.clean() ? 0 : 1;
}

}  // namespace escalator::tools
