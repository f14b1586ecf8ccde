// `escalator bench`: complete lifecycles per second on one core, and what the
// engine costs over deciding and applying by hand. docs/performance.md records
// the figures; the targets below are the ones it states.
#include "bench.hpp"

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "appliers.hpp"
#include "escalator/engine.hpp"
#include "escalator/standins.hpp"
#include "lifecycle.hpp"

namespace escalator::tools {
namespace {

constexpr double kTargetLifecyclesPerSecond = 20000;
constexpr double kTargetCpuMicrosPerCommand = 20;
constexpr int kCommandsPerLifecycle = 6;

constexpr const char* kHelp = R"(Usage: escalator bench [--json] [--cases N] [--runs N]

Measures complete case lifecycles per second in memory on one core. A lifecycle is
six commands: open, dispatch, accept, reply, rate (satisfied), close, each submitted
through Engine::submit with worker_threads = 0 (decided on the calling thread), a
manual clock and no logger. Each run opens N cases (default 20000) on a fresh engine;
there are 5 runs by default and the medians are reported.

In the same runs, a baseline decides and applies the same commands directly
(lifecycle::decide + apply on a CaseState: no idempotency map, no shards, no futures);
the engine's overhead is the ratio of their CPU time per command.

Targets: >= 20,000 lifecycles/s on one core; < 20 us CPU per command.
Exits 1 if any command was refused or any lifecycle did not end Closed.
--json prints the figures as one JSON object.
)";

double cpu_seconds() {
  timespec ts{};
  // The process clock, not the thread's: were the engine to hand work to
  // another thread, that CPU would count too and show as cpu > wall.
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

const char* const kCompounds[] = {"yangguang-garden", "heping-li", "xingfu-court"};
const char* const kKeys[] = {"", "dispatch", "accept", "reply", "rate", "close"};

// Step `step` of lifecycle `i`. Built inside the timed loop on both sides: a
// caller pays for its commands too.
CommandPayload lifecycle_step(int i, int step) {
  switch (step) {
    case 0: {
      cmd::Open o;
      o.request_type = RequestType::kComplaint;
      o.category = "物业/公共设施/楼道灯";
      o.location.district_code = "370811";
      o.location.compound = kCompounds[i % 3];
      o.location.address = "3号楼2单元";
      o.content = "3号楼2单元楼道灯不亮，老人夜间上下楼不便";
      o.first_contact = Party{"hotline.12345", ""};
      return o;
    }
    case 1: return cmd::Dispatch{};
    case 2: return cmd::Accept{};
    case 3: return cmd::Reply{Outcome::kResolved, "已更换楼道灯具，恢复照明"};
    case 4: return cmd::Rate{Rating::kSatisfied, ""};
    default: return cmd::Close{"已回访，办结"};
  }
}

std::string order_number(int run, int i) { return "GD-" + std::to_string(run) + "-" + std::to_string(i); }

struct Sample {
  double wall = 0;
  double cpu = 0;
};

struct Tally {
  long refused = 0;
  long not_closed = 0;
  std::string first_refusal;
  void refuse(const Error& e) {
    if (refused++ == 0) first_refusal = e.message;
  }
};

// `cases` lifecycles through a fresh engine. Only the submissions are timed;
// checking the cases and tearing the engine down are not.
Sample engine_run(int run, int cases, Tally& tally) {
  EngineOptions options;
  options.config.limits.worker_threads = 0;
  options.clock = std::make_shared<ManualClock>(*parse_time("2025-10-08T09:00:00+08:00"));
  auto engine = std::move(*Engine::open(std::move(options)));

  const double wall0 = wall_seconds(), cpu0 = cpu_seconds();
  for (int i = 0; i < cases; ++i) {
    std::string id;
    for (int step = 0; step < kCommandsPerLifecycle; ++step) {
      Command c{id, step == 0 ? order_number(run, i) : kKeys[step], std::nullopt, "bench",
                lifecycle_step(i, step)};
      auto decided = engine->submit(std::move(c)).get();
      if (!decided) {
        tally.refuse(decided.error());
        break;
      }
      if (step == 0) id = decided->case_id;
    }
  }
  const Sample s{wall_seconds() - wall0, cpu_seconds() - cpu0};

  const auto ids = engine->case_ids();
  tally.not_closed += cases - static_cast<long>(ids.size());
  for (const auto& id : ids) {
    auto state = engine->get(id);
    if (!state || state->state != LifecycleState::kClosed) ++tally.not_closed;
  }
  return s;
}

// The same lifecycles decided and applied by hand. Cases and their events are
// kept, as the engine keeps them, so the two differ only in the engine's machinery.
Sample baseline_run(int cases, Tally& tally) {
  const auto workflows = builtin_workflows();
  const auto calendar = weekday_calendar();
  const auto directory = sample_directory();
  const Timestamp now = *parse_time("2025-10-08T09:00:00+08:00");
  std::vector<std::pair<CaseState, std::vector<Event>>> kept;
  kept.reserve(cases);

  const double wall0 = wall_seconds(), cpu0 = cpu_seconds();
  for (int i = 0; i < cases; ++i) {
    auto& [state, events] = kept.emplace_back();
    char id[32];
    std::snprintf(id, sizeof id, "370811-20251008-%06d", i % 1000000);
    state.id = id;
    const Workflow* workflow = nullptr;
    for (int step = 0; step < kCommandsPerLifecycle; ++step) {
      const CommandPayload command = lifecycle_step(i, step);
      if (step == 0) workflow = *workflows->select(state);
      const std::string key = step == 0 ? order_number(0, i) : kKeys[step];
      const lifecycle::DecisionContext context{state, step > 0, *workflow, *calendar,
                                               *directory, now, key};
      auto payloads = lifecycle::decide(context, command);
      if (!payloads) {
        tally.refuse(payloads.error());
        break;
      }
      for (auto& payload : *payloads) {
        Event event{state.version + 1, now, "bench", key, {workflow->id, workflow->version},
                    std::move(payload)};
        if (auto applied = apply(state, event); !applied) tally.refuse(applied.error());
        events.push_back(std::move(event));
      }
    }
  }
  const Sample s{wall_seconds() - wall0, cpu_seconds() - cpu0};
  for (const auto& [state, events] : kept) {
    if (state.state != LifecycleState::kClosed) ++tally.not_closed;
  }
  return s;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const auto n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::optional<int> positive(const std::string& text) {
  try {
    std::size_t used = 0;
    const int n = std::stoi(text, &used);
    if (used == text.size() && n > 0) return n;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

}  // namespace

int bench(const std::vector<std::string>& args, std::ostream& out) {
  bool json = false;
  int cases = 20000, runs = 5;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      out << kHelp;
      return 0;
    } else if (a == "--json") {
      json = true;
    } else if ((a == "--cases" || a == "--runs") && i + 1 < args.size() && positive(args[i + 1])) {
      (a == "--cases" ? cases : runs) = *positive(args[++i]);
    } else {
      std::cerr << "escalator bench: unexpected '" << a << "' (--cases and --runs take a positive number)\n\n"
                << kHelp;
      return 2;
    }
  }

  Tally tally;
  // Untimed: the first decisions build thread-local machinery and warm the allocator.
  engine_run(-1, std::min(cases, 1000), tally);
  baseline_run(std::min(cases, 1000), tally);

  const double commands = double(cases) * kCommandsPerLifecycle;
  std::vector<double> rates, cpu_us, base_us;
  nlohmann::json all_runs = nlohmann::json::array();
  for (int run = 0; run < runs; ++run) {
    const Sample base = baseline_run(cases, tally);
    const Sample eng = engine_run(run, cases, tally);
    rates.push_back(cases / eng.wall);
    cpu_us.push_back(eng.cpu / commands * 1e6);
    base_us.push_back(base.cpu / commands * 1e6);
    all_runs.push_back({{"wall_seconds", eng.wall},
                        {"cpu_seconds", eng.cpu},
                        {"lifecycles_per_second", rates.back()},
                        {"cpu_us_per_command", cpu_us.back()},
                        {"baseline_cpu_us_per_command", base_us.back()}});
  }

  const double rate = median(rates), cpu = median(cpu_us), base = median(base_us);
  const bool rate_ok = rate >= kTargetLifecyclesPerSecond, cpu_ok = cpu < kTargetCpuMicrosPerCommand;
  const bool clean = tally.refused == 0 && tally.not_closed == 0;
  if (json) {
    const nlohmann::json doc = {
        {"lifecycles_per_second_median", rate},
        {"cpu_us_per_command_median", cpu},
        {"baseline_cpu_us_per_command_median", base},
        {"engine_over_baseline", cpu / base},
        {"runs", runs},
        {"cases_per_run", cases},
        {"commands_per_lifecycle", kCommandsPerLifecycle},
        {"refused", tally.refused},
        {"not_closed", tally.not_closed},
        {"targets",
         {{"lifecycles_per_second", {{"min", kTargetLifecyclesPerSecond}, {"pass", rate_ok}}},
          {"cpu_us_per_command", {{"max", kTargetCpuMicrosPerCommand}, {"pass", cpu_ok}}}}},
        {"all_runs", all_runs}};
    out << doc.dump() << "\n";
  } else {
    char line[160];
    out << "escalator bench: " << runs << " runs x " << cases
        << " lifecycles (open, dispatch, accept, reply, rate, close), one core, in memory\n\n";
    std::snprintf(line, sizeof line, "  %-30s %12s   %-12s %s\n", "", "median", "target", "");
    out << line;
    std::snprintf(line, sizeof line, "  %-30s %12.0f   %-12s %s\n", "lifecycles/s (wall)", rate,
                  ">= 20000", rate_ok ? "PASS" : "MISS");
    out << line;
    std::snprintf(line, sizeof line, "  %-30s %12.2f   %-12s %s\n", "CPU us per command (engine)", cpu,
                  "< 20", cpu_ok ? "PASS" : "MISS");
    out << line;
    std::snprintf(line, sizeof line, "  %-30s %12.2f   (decide + apply, no engine)\n",
                  "CPU us per command (baseline)", base);
    out << line;
    std::snprintf(line, sizeof line, "  %-30s %12.2fx\n", "engine / baseline", cpu / base);
    out << line;
    out << "\n  lifecycles/s per run:";
    for (double r : rates) out << " " << static_cast<long>(r);
    out << "\n";
  }
  if (!clean) {
    std::cerr << "escalator bench: " << tally.refused << " commands refused, " << tally.not_closed
              << " lifecycles not Closed";
    if (!tally.first_refusal.empty()) std::cerr << "; first refusal: " << tally.first_refusal;
    std::cerr << "\n";
    return 1;
  }
  return 0;
}

}  // namespace escalator::tools
