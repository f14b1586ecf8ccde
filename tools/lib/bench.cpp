// `escalator bench`: complete lifecycles per second on one core, and what the
// engine costs over deciding and applying by hand. Figures are medians over
// runs, so one run disturbed by another process does not set them.
#include "bench.hpp"
#include "command_line.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <filesystem>
#include <map>
#include <optional>

#include "bench_durable.hpp"
#include "bench_http.hpp"
#include "bench_history.hpp"
#include "bench_routing.hpp"
#include "bench_runs.hpp"
#include "bench_timers.hpp"
#include "bench_year.hpp"

namespace escalator::tools {
namespace {

using namespace bench_parts;

// The project's targets for the in-memory engine on one core.
constexpr double kTargetLifecyclesPerSecond = 20000;
constexpr double kTargetCpuMicrosPerCommand = 20;
// And for the durable store: against raw synced RocksDB writes, and start-up.
constexpr double kTargetDurableOverRaw = 0.8;
constexpr double kTargetStartupSeconds = 1.0;
// And for timers: a client's p99 while a storm of timers fires, against its idle p99.
constexpr double kTargetStormOverIdleP99 = 5.0;
// And for the history: replaying and verifying stored events against raw SHA-256 over their bytes.
constexpr double kTargetReplayOverSha256 = 0.5;
// And for routing: a case placed and routed through every step, 99th percentile.
constexpr double kTargetRoutingP99Micros = 10;
constexpr int kRoutingCasesPerRun = 50000;
// And for reports: a full-year report of one district, by unit and by category.
constexpr double kTargetYearReportMillis = 50;
constexpr int kClientCounts[] = {1, 8, 64};

constexpr const char* kBenchWhat = R"(Measures complete case lifecycles per second in memory on one core. A lifecycle is
six commands: open, dispatch, accept, reply, rate (satisfied), close, each submitted
through Engine::submit with worker_threads = 0 (decided on the calling thread), a
manual clock and no logger. Each run opens N cases (default 20000) on a fresh engine;
there are 5 runs by default and the medians are reported.

In the same runs, a baseline decides and applies the same commands directly
(lifecycle::decide + apply on a CaseState: no idempotency map, no shards, no futures);
the engine's overhead is the ratio of their CPU time per command. A second baseline
also counts each command's events for the reports, as the engine does (a counter over
the case's earlier events, its cells for the day, month and year of each dimension);
the difference of the two is what counting costs per command.

Then, on durable stores in new directories under DIR (default: the system's temporary
directory; it must be on the device being measured): for 1, 8 and 64 clients, each
taking cases from Open to Closed through Engine::submit (2 worker threads) and waiting
for each acknowledgement, about N commands per client count per run (default 2400):
commands/s, p50 and p99 latency. In the same runs, a baseline of raw RocksDB synced
WriteBatches of the same size from the same number of writers. Then start-up: a store of
--startup-cases opened cases (default 100000; 0 skips it) is opened by a new process,
which reads one case and asks for the next timer (the store holds two per case: the reply
deadline and its warning); its time and resident memory are reported.

Then a timer storm: --timer-cases cases (default 100000; 0 skips it) are dispatched on a
durable store so that their accept deadlines fall due at the same midnight. One client
opening and dispatching cases one command at a time is measured with nothing due, then
again while fire_due_timers() escalates every one of them: timers fired per second, and
the client's p50 and p99 in both.

Then the history: --history-cases lifecycles (default 20000; 0 skips it) are written to a
durable store and their event records read into memory; on one core, each run replays
and verifies every one as `audit verify` does (split the record, recompute its hash over
its stored bytes, check prev_hash, decode, apply to its case), and, in the same run,
computes SHA-256 alone over the same bytes (prev_hash's 32 and the canonical bytes):
events per second of each, and their ratio. For scale, the same runs time simdjson's
parse alone over the canonical bytes, reading no field: the first step of decoding.
Each run also audits the whole store as `audit verify` does (chains, log, snapshots,
personal records; not the counters' recount), from opening it to its report.

Then routing: a directory of one district with --routing-buildings buildings (default
100000; 0 skips it; ten to a compound, eight compounds to a grid, five grids to a
community, ten communities to a street; one compound in ten without a property company,
three in ten without a party branch, half without an owners' committee) is generated as
a file's text and read as administrators' files are. In each run, 50000 cases at random
buildings are each placed (OrgDirectory::complete) and routed through every step of
property-first (lead_unit_for), each case timed alone: p50 and p99 per case, against one
lookup per case in an unordered_map from building id to unit id, in the same loop.

Then a year of reports: --year-cases cases (default 1000000; 0 skips it) are opened over
2025 in one generated district of 20000 buildings, on a new durable store, and run
through the workflows in --workflows (default: ./workflows, the shipped ones) on a
manual clock stepped an hour at a time, due timers fired every hour. Each case's path is
drawn from a hotline's mix: late signing, returns, urgings, unresolved and partly
resolved answers, send-backs, unsatisfied ratings and reopens, no answer, withdrawals,
duplicates; every case has a caller's phone (one per building, so repeat calls occur), and
the council takes each collective matter up at a meeting. Then the full-year report by unit and by category is read from the
counters (every figure of every row computed), and the cases behind two counts from their
index (the busiest unit's handed over the year, November's overdue), medians of the runs; and, once, the
events of every case are counted again and checked against the counters, and the
counters replaced by the recount, as `escalator stats --recompute` does.

Targets: >= 20,000 lifecycles/s on one core; < 20 us CPU per command; durable commands/s
>= 0.8x the raw baseline at every client count; start-up < 1 s; during the storm, the
client's p99 <= 5x its idle p99; replay+verify >= 0.5x raw SHA-256; routing p99 <= 10 us; a full-year report < 50 ms.
--json prints the figures as one JSON object. With --http, the HTTP service is measured
instead: see below.

)" /* the HTTP bench's own text follows */;

void print_year(std::ostream& out, const YearLoad& year, int runs, bool ok) {
  char text[1200];
  std::snprintf(text, sizeof text,
                "\nreports: a year of one district, %d cases (%d units), run in %.0f s: %ld commands (%ld by "
                "timers, %.0f/s), %ld events, %ld counter cells\n"
                "  full-year report, medians of %d runs: by unit (%d rows) %.1f ms, by category (%d rows) %.1f ms  %s\n"
                "  the cases behind a count, medians of %d runs: the busiest unit's handed over the year (%ld cases) %.1f ms, "
                "November's overdue (%ld cases) %.1f ms\n"
                "  recount of every case's events %.1f s (%.0f events/s), %s the counters; recounting into the store (counters and the cases behind them) %.1f s\n",
                year.cases, year.units, year.load_seconds, year.commands, year.timer_commands,
                year.load_seconds > 0 ? double(year.commands) / year.load_seconds : 0.0, year.events, year.cells,
                runs, year.unit_groups, year.report_by_unit_ms, year.category_groups, year.report_by_category_ms,
                ok ? "PASS" : "MISS (< 50 ms, recount equal)", runs, year.unit_handed_cases, year.unit_handed_ms,
                year.november_overdue_cases, year.november_overdue_ms, year.recount_seconds,
                year.recount_seconds > 0 ? double(year.events) / year.recount_seconds : 0.0,
                year.recount_agrees ? "equal to" : "DIFFERENT from", year.replace_seconds);
  out << text;
  if (!year.error.empty()) out << "  " << year.error << "\n";
}

}  // namespace

int bench(const std::vector<std::string>& args, const Config&, std::ostream& out) {
  bool json = false;
  int cases = 20000, runs = 5, durable_commands = 2400, startup_cases = 100000, timer_cases = 100000;
  int history_cases = 20000, routing_buildings = 100000, year_cases = 1000000;
  std::filesystem::path workflows = "workflows";
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "escalator-bench";
  std::string startup_probe_dir;
  bool http = false;
  int reads = 2000;

  auto app = command_app("escalator bench", std::string(kBenchWhat) + kHttpBenchWhat,
                         "Exits 1 if any command was refused or any lifecycle did not end Closed.");
  add_json_flag(*app, json)->description("print the figures as one JSON object");
  const auto count = [&app](const char* name, int& value, const char* what, int least) {
    app->add_option(name, value, what)->option_text("N")->check(whole_number(static_cast<std::uint64_t>(least), 1u << 30))->capture_default_str();
  };
  count("--cases", cases, "lifecycles per in-memory run", 1);
  count("--runs", runs, "runs; medians are reported", 1);
  count("--durable-commands", durable_commands, "commands per client count per durable run", 1);
  count("--startup-cases", startup_cases, "cases of the start-up store (0 skips it)", 0);
  count("--timer-cases", timer_cases, "timers due at once in the storm (0 skips it)", 0);
  count("--history-cases", history_cases, "lifecycles replayed and verified (0 skips it)", 0);
  count("--routing-buildings", routing_buildings, "buildings of the routing district (0 skips it)", 0);
  count("--year-cases", year_cases, "cases of the year of reports (0 skips it)", 0);
  count("--reads", reads, "with --http: reads per connection count", 1);
  app->add_option("--dir", dir,
                  "where the durable stores go, on the device being measured (default: escalator-bench in the "
                  "system's temporary directory)")
      ->option_text("DIR");
  app->add_option("--workflows", workflows, "the workflows of the year of reports")
      ->option_text("DIR")
      ->capture_default_str();
  app->add_flag("--http", http, "measure the HTTP service instead");
  // The start-up figure's second process: opens the store at DIR and reports.
  app->add_option("--startup-probe", startup_probe_dir)->group("");
  if (auto done = parse_command_line(*app, args, out)) return *done;
  if (!startup_probe_dir.empty()) return startup_probe(startup_probe_dir);
  if (http) return http_bench(HttpBenchOptions{runs, durable_commands, reads, dir, json}, out);

  Tally tally;
  // Untimed: the first decisions build thread-local machinery and warm the allocator.
  engine_run(-1, std::min(cases, 1000), tally);
  baseline_run(std::min(cases, 1000), tally, false);
  baseline_run(std::min(cases, 1000), tally, true);

  const double commands = double(cases) * kCommandsPerLifecycle;
  std::vector<double> rates, cpu_us, base_us, counted_us;
  nlohmann::json all_runs = nlohmann::json::array();
  for (int run = 0; run < runs; ++run) {
    const Sample base = baseline_run(cases, tally, false);
    const Sample counted = baseline_run(cases, tally, true);
    const Sample eng = engine_run(run, cases, tally);
    rates.push_back(cases / eng.wall);
    cpu_us.push_back(eng.cpu / commands * 1e6);
    base_us.push_back(base.cpu / commands * 1e6);
    counted_us.push_back(counted.cpu / commands * 1e6);
    all_runs.push_back({{"wall_seconds", eng.wall},
                        {"cpu_seconds", eng.cpu},
                        {"lifecycles_per_second", rates.back()},
                        {"cpu_us_per_command", cpu_us.back()},
                        {"baseline_cpu_us_per_command", base_us.back()},
                        {"counted_baseline_cpu_us_per_command", counted_us.back()}});
  }

  // Durable: engine and raw RocksDB alternate within each run, so both see the same device.
  struct PerClients {
    std::vector<Throughput> engine, raw;
  };
  std::map<int, PerClients> durable;
  std::filesystem::create_directories(dir);
  for (int run = 0; run < runs; ++run) {
    for (int clients : kClientCounts) {
      const int lifecycles = std::max(1, durable_commands / clients / kCommandsPerLifecycle);
      auto engine = durable_engine_run(dir, run, clients, lifecycles, tally);
      durable[clients].raw.push_back(raw_rocksdb_run(dir, clients, lifecycles * kCommandsPerLifecycle,
                                                     static_cast<std::size_t>(engine.bytes_per_write)));
      durable[clients].engine.push_back(engine);
    }
  }
  const auto of = [](const std::vector<Throughput>& v, double Throughput::*field) {
    std::vector<double> values;
    for (const auto& t : v) values.push_back(t.*field);
    return median(values);
  };
  Startup startup;
  if (startup_cases > 0) startup = startup_run(dir, startup_cases);
  TimerStorm storm;
  if (timer_cases > 0) storm = timer_storm_run(dir, timer_cases, tally);
  const double storm_ratio = storm.idle_p99_us > 0 ? storm.storm_p99_us / storm.idle_p99_us : 0;
  HistoryVerify history;
  if (history_cases > 0) history = history_verify_run(dir, history_cases, runs, tally);
  const double history_ratio =
      history.raw_sha256_per_second > 0 ? history.replay_verify_per_second / history.raw_sha256_per_second : 0;
  const bool history_ok = history_cases == 0 || (history.error.empty() && history_ratio >= kTargetReplayOverSha256);
  RoutingSpeed routing;
  if (routing_buildings > 0) routing = routing_run(routing_buildings, kRoutingCasesPerRun, runs);
  const bool routing_ok = routing_buildings == 0 || (routing.error.empty() && routing.p99_us <= kTargetRoutingP99Micros);
  YearLoad year;
  if (year_cases > 0) year = year_run(dir, workflows, year_cases, runs, tally);
  const bool year_ok = year_cases == 0 || (year.error.empty() && year.recount_agrees &&
                                           year.report_by_unit_ms < kTargetYearReportMillis &&
                                           year.report_by_category_ms < kTargetYearReportMillis);
  const bool storm_ok = timer_cases == 0 || (storm.error.empty() && storm_ratio <= kTargetStormOverIdleP99);
  std::error_code ignored;
  for (int clients : kClientCounts) {
    std::filesystem::remove_all(dir / ("engine-" + std::to_string(clients)), ignored);
    std::filesystem::remove_all(dir / ("raw-" + std::to_string(clients)), ignored);
  }
  bool durable_ok = true;
  nlohmann::json durable_json = nlohmann::json::array();
  for (int clients : kClientCounts) {
    const auto& d = durable[clients];
    const double ratio = of(d.engine, &Throughput::per_second) / of(d.raw, &Throughput::per_second);
    durable_ok = durable_ok && ratio >= kTargetDurableOverRaw;
    const auto side = [&](const std::vector<Throughput>& v) {
      return nlohmann::json{{"commands_per_second_median", of(v, &Throughput::per_second)},
                            {"p50_us_median", of(v, &Throughput::p50_us)},
                            {"p99_us_median", of(v, &Throughput::p99_us)},
                            {"bytes_per_write", of(v, &Throughput::bytes_per_write)},
                            {"wal_syncs_per_write", of(v, &Throughput::syncs_per_write)}};
    };
    durable_json.push_back({{"clients", clients}, {"engine", side(d.engine)}, {"raw_rocksdb", side(d.raw)},
                            {"engine_over_raw", ratio}, {"pass", ratio >= kTargetDurableOverRaw}});
  }
  const bool startup_ok = startup_cases == 0 || (startup.error.empty() && startup.open_seconds < kTargetStartupSeconds);

  const double rate = median(rates), cpu = median(cpu_us), base = median(base_us), counted = median(counted_us);
  const bool rate_ok = rate >= kTargetLifecyclesPerSecond, cpu_ok = cpu < kTargetCpuMicrosPerCommand;
  const bool clean = tally.refused == 0 && tally.not_closed == 0;
  if (json) {
    const nlohmann::json doc = {
        {"lifecycles_per_second_median", rate},
        {"cpu_us_per_command_median", cpu},
        {"baseline_cpu_us_per_command_median", base},
        {"engine_over_baseline", cpu / base},
        {"counted_baseline_cpu_us_per_command_median", counted},
        {"counting_cpu_us_per_command", counted - base},
        {"runs", runs},
        {"cases_per_run", cases},
        {"commands_per_lifecycle", kCommandsPerLifecycle},
        {"refused", tally.refused},
        {"not_closed", tally.not_closed},
        {"targets",
         {{"lifecycles_per_second", {{"min", kTargetLifecyclesPerSecond}, {"pass", rate_ok}}},
          {"cpu_us_per_command", {{"max", kTargetCpuMicrosPerCommand}, {"pass", cpu_ok}}}}},
        {"all_runs", all_runs},
        {"durable",
         {{"directory", dir.string()},
          {"by_clients", durable_json},
          {"target_engine_over_raw", kTargetDurableOverRaw}}},
        {"startup",
         {{"cases", startup.cases},
          {"fill_seconds", startup.fill_seconds},
          {"open_seconds", startup.open_seconds},
          {"first_read_seconds", startup.first_read_seconds},
          {"next_timer_seconds", startup.next_timer_seconds},
          {"rss_kib", startup.rss_kib},
          {"target_open_seconds", kTargetStartupSeconds},
          {"pass", startup_ok},
          {"error", startup.error}}},
        {"timer_storm",
         {{"timers", storm.timers},
          {"fill_seconds", storm.fill_seconds},
          {"fire_seconds", storm.fire_seconds},
          {"fired_per_second", storm.fire_seconds > 0 ? storm.timers / storm.fire_seconds : 0},
          {"idle_p50_us", storm.idle_p50_us},
          {"idle_p99_us", storm.idle_p99_us},
          {"storm_p50_us", storm.storm_p50_us},
          {"storm_p99_us", storm.storm_p99_us},
          {"storm_commands", storm.storm_commands},
          {"storm_over_idle_p99", storm_ratio},
          {"target_storm_over_idle_p99", kTargetStormOverIdleP99},
          {"pass", storm_ok},
          {"error", storm.error}}},
        {"history",
         {{"events", history.events},
          {"bytes", history.bytes},
          {"replay_verify_events_per_second_median", history.replay_verify_per_second},
          {"raw_sha256_events_per_second_median", history.raw_sha256_per_second},
          {"parse_only_events_per_second_median", history.parse_only_per_second},
          {"audit_events_per_second_median", history.audit_per_second},
          {"replay_verify_over_raw_sha256", history_ratio},
          {"target_over_raw_sha256", kTargetReplayOverSha256},
          {"pass", history_ok},
          {"error", history.error}}},
        {"routing",
         {{"buildings", routing.buildings},
          {"compounds", routing.compounds},
          {"units", routing.units},
          {"steps_per_case", routing.steps},
          {"cases_per_run", kRoutingCasesPerRun},
          {"load_seconds", routing.load_seconds},
          {"p50_us_median", routing.p50_us},
          {"p99_us_median", routing.p99_us},
          {"hash_map_p50_us_median", routing.map_p50_us},
          {"hash_map_p99_us_median", routing.map_p99_us},
          {"target_p99_us", kTargetRoutingP99Micros},
          {"pass", routing_ok},
          {"error", routing.error}}},
        {"year",
         {{"cases", year.cases},
          {"commands", year.commands},
          {"timer_commands", year.timer_commands},
          {"events", year.events},
          {"units", year.units},
          {"load_seconds", year.load_seconds},
          {"unit_rows", year.unit_groups},
          {"category_rows", year.category_groups},
          {"report_by_unit_ms_median", year.report_by_unit_ms},
          {"report_by_category_ms_median", year.report_by_category_ms},
          {"cells", year.cells},
          {"unit_handed_cases", year.unit_handed_cases},
          {"unit_handed_ms_median", year.unit_handed_ms},
          {"november_overdue_cases", year.november_overdue_cases},
          {"november_overdue_ms_median", year.november_overdue_ms},
          {"recount_seconds", year.recount_seconds},
          {"replace_seconds", year.replace_seconds},
          {"recount_agrees", year.recount_agrees},
          {"target_report_ms", kTargetYearReportMillis},
          {"pass", year_ok},
          {"error", year.error}}}};
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
    line("CPU us per command (counted)", "%.2f", counted, "", "(baseline + counting, as the engine counts)");
    line("counting, CPU us per command", "%.2f", counted - base, "", "(counted - baseline)");
    out << "\n  lifecycles/s per run:";
    for (double r : rates) out << " " << static_cast<long>(r);
    out << "\n\ndurable, under " << dir.string() << ": commands acknowledged on disk, medians of " << runs
        << " runs\n\n  clients   engine cmd/s  p50 us  p99 us  syncs/cmd   raw cmd/s  p50 us  p99 us   engine/raw\n";
    for (const auto& entry : durable_json) {
      const auto& e = entry["engine"];
      const auto& r = entry["raw_rocksdb"];
      char text[200];
      std::snprintf(text, sizeof text, "  %7d %14.0f %7.0f %7.0f %10.3f %11.0f %7.0f %7.0f %9.2fx %s\n",
                    entry["clients"].get<int>(), e["commands_per_second_median"].get<double>(),
                    e["p50_us_median"].get<double>(), e["p99_us_median"].get<double>(),
                    e["wal_syncs_per_write"].get<double>(), r["commands_per_second_median"].get<double>(),
                    r["p50_us_median"].get<double>(), r["p99_us_median"].get<double>(),
                    entry["engine_over_raw"].get<double>(), entry["pass"].get<bool>() ? "PASS" : "MISS (>= 0.8x)");
      out << text;
    }
    if (startup_cases > 0) {
      char text[240];
      std::snprintf(text, sizeof text,
                    "\nstart-up over %llu stored cases (filled in %.1f s): open %.3f s, first read %.4f s, "
                    "next timer %.4f s, resident %ld MiB  %s\n",
                    static_cast<unsigned long long>(startup.cases), startup.fill_seconds, startup.open_seconds,
                    startup.first_read_seconds, startup.next_timer_seconds, startup.rss_kib / 1024,
                    startup_ok ? "PASS" : "MISS (< 1 s)");
      out << text;
      if (!startup.error.empty()) out << "  " << startup.error << "\n";
    }
    if (timer_cases > 0) {
      char text[400];
      std::snprintf(text, sizeof text,
                    "\ntimer storm: %d accept deadlines due at one midnight (dispatched in %.1f s), fired in %.1f s: "
                    "%.0f timers/s\n  a client's commands: idle p50 %.0f us, p99 %.0f us; during the storm "
                    "(%d commands) p50 %.0f us, p99 %.0f us: %.2fx  %s\n",
                    storm.timers, storm.fill_seconds, storm.fire_seconds,
                    storm.fire_seconds > 0 ? storm.timers / storm.fire_seconds : 0, storm.idle_p50_us,
                    storm.idle_p99_us, storm.storm_commands, storm.storm_p50_us, storm.storm_p99_us, storm_ratio,
                    storm_ok ? "PASS" : "MISS (<= 5x)");
      out << text;
      if (!storm.error.empty()) out << "  " << storm.error << "\n";
    }
    if (history_cases > 0) {
      char text[300];
      std::snprintf(text, sizeof text,
                    "\nhistory: %llu stored events (%.0f bytes hashed each), one core, medians of %d runs: "
                    "replay+verify %.0f events/s, raw SHA-256 %.0f events/s: %.2fx  %s\n",
                    static_cast<unsigned long long>(history.events),
                    history.events ? double(history.bytes) / double(history.events) : 0.0, runs,
                    history.replay_verify_per_second, history.raw_sha256_per_second, history_ratio,
                    history_ok ? "PASS" : "MISS (>= 0.5x)");
      out << text;
      std::snprintf(text, sizeof text,
                    "  for scale: JSON parsing alone (simdjson, no field read) %.0f events/s: %.2fx raw SHA-256\n",
                    history.parse_only_per_second,
                    history.raw_sha256_per_second > 0
                        ? history.parse_only_per_second / history.raw_sha256_per_second
                        : 0.0);
      out << text;
      std::snprintf(text, sizeof text,
                    "  audit verify of the whole store (chains, log, snapshots, personal records): "
                    "%.0f events/s\n",
                    history.audit_per_second);
      out << text;
      if (!history.error.empty()) out << "  " << history.error << "\n";
    }
    if (routing_buildings > 0) {
      char text[400];
      std::snprintf(text, sizeof text,
                    "\nrouting: %d buildings, %d compounds, %d units (read and checked in %.2f s); per case, "
                    "placed and routed through %d steps, medians of %d runs of %d cases:\n"
                    "  p50 %.2f us, p99 %.2f us  %s\n  for scale: one hash-map lookup p50 %.3f us, p99 %.3f us\n",
                    routing.buildings, routing.compounds, routing.units, routing.load_seconds, routing.steps, runs,
                    kRoutingCasesPerRun, routing.p50_us, routing.p99_us, routing_ok ? "PASS" : "MISS (<= 10 us)",
                    routing.map_p50_us, routing.map_p99_us);
      out << text;
      if (!routing.error.empty()) out << "  " << routing.error << "\n";
    }
    if (year_cases > 0) print_year(out, year, runs, year_ok);
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
