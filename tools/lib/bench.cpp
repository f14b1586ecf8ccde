// `escalator bench`: complete lifecycles per second on one core, and what the
// engine costs over deciding and applying by hand. Figures are medians over
// runs, so one run disturbed by another process does not set them.
#include "bench.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "bench_runs.hpp"

namespace escalator::tools {
namespace {

using namespace bench_parts;

// The project's targets for the in-memory engine on one core.
constexpr double kTargetLifecyclesPerSecond = 20000;
constexpr double kTargetCpuMicrosPerCommand = 20;

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
    const auto line = [&out](const char* what, const char* format, double value, const char* target,
                             const char* verdict) {
      char number[32], text[160];
      std::snprintf(number, sizeof number, format, value);
      std::snprintf(text, sizeof text, "  %-30s %12s   %-12s %s\n", what, number, target, verdict);
      out << text;
    };
    out << "escalator bench: " << runs << " runs x " << cases
        << " lifecycles (open, dispatch, accept, reply, rate, close), one core, in memory\n\n"
        << "                                        median   target\n";
    line("lifecycles/s (wall)", "%.0f", rate, ">= 20000", rate_ok ? "PASS" : "MISS");
    line("CPU us per command (engine)", "%.2f", cpu, "< 20", cpu_ok ? "PASS" : "MISS");
    line("CPU us per command (baseline)", "%.2f", base, "", "(decide + apply, no engine)");
    line("engine / baseline", "%.2fx", cpu / base, "", "");
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
