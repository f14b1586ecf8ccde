// The two measurements of `escalator bench` (bench.cpp): the engine, and the
// decider and appliers alone.
#include "bench_runs.hpp"

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "appliers.hpp"
#include "escalator/engine/engine.hpp"
#include "escalator/calendar/calendar.hpp"
#include "escalator/org/org_directory.hpp"
#include "escalator/workflow/workflow_registry.hpp"
#include "lifecycle.hpp"
#include "stats_count.hpp"

namespace escalator::tools::bench_parts {

double seconds_since(BenchClock::time_point t0) {
  return std::chrono::duration<double>(BenchClock::now() - t0).count();
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  return sorted[static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1))];
}
namespace {

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

}  // namespace

// Built inside the timed loops: a caller pays for its commands too.
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

std::string step_key(int step) { return kKeys[step]; }

// Tearing the engine down is not timed either: an embedder's engine lives on.
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
Sample baseline_run(int cases, Tally& tally, bool counted) {
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
      const lifecycle::Situation context{state, step > 0, *workflow, *calendar,
                                               *directory, now, key};
      auto payloads = lifecycle::decide(context, command);
      if (!payloads) {
        tally.refuse(payloads.error());
        break;
      }
      // As the engine counts a command's write: a counter over the case's earlier events.
      stats::Marks marks;
      std::optional<stats::CaseCounter> counter;
      if (counted) counter.emplace(*calendar, std::span<const Event>(events), marks);
      for (auto& payload : *payloads) {
        Event event{state.version + 1, now, "bench", key, {workflow->id, workflow->version},
                    std::move(payload)};
        const auto before = stats::CaseCounter::Before::of(state);
        if (auto applied = apply(state, event); !applied) tally.refuse(applied.error());
        if (counter) counter->count(before, event, state);
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

}  // namespace escalator::tools::bench_parts
