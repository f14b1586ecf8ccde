#include "calendar_change.hpp"

#include <future>
#include <set>
#include <string>
#include <vector>

#include "deadline_carry.hpp"
#include "escalator/official_calendar.hpp"
#include "timers.hpp"

namespace escalator {
namespace {

// How many recompute commands are in flight at once: enough to keep a durable
// store's group commits full, few enough not to hold a million futures.
constexpr std::size_t kInFlight = 256;

}  // namespace

Result<CalendarsInForce> calendars_in_force(std::shared_ptr<const Calendar> base, const CaseStore& store) {
  auto imports = store.calendar_imports();
  if (!imports) return tl::unexpected(imports.error());
  auto applied = store.calendar_applied();
  if (!applied) return tl::unexpected(applied.error());
  CalendarsInForce in_force{base, base, imports->size(), std::min<std::uint64_t>(*applied, imports->size())};
  if (imports->empty()) return in_force;
  const auto* official = dynamic_cast<const OfficialCalendar*>(base.get());
  if (official == nullptr) {
    return fail(ErrorCode::kFailedPrecondition,
                "calendar: the store holds " + std::to_string(imports->size()) +
                    " calendar import(s), which replace years of the official calendar, but the engine was given "
                    "calendar '" + base->version() + "'");
  }
  auto current = calendar_with_imports(*official, *imports, in_force.version);
  if (!current) return fail(ErrorCode::kDataLoss, current.error().message);
  in_force.current = *current;
  if (in_force.applied > 0) {
    auto previous = calendar_with_imports(*official, *imports, in_force.applied);
    if (!previous) return fail(ErrorCode::kDataLoss, previous.error().message);
    in_force.previous = *previous;
  }
  return in_force;
}

CalendarRecount bring_deadlines_up_to(Engine& engine, const CalendarsInForce& calendars, CaseStore& store,
                                      const WorkflowCatalog& workflows, Timestamp now) {
  CalendarRecount recount{calendars.version, calendars.current->version()};
  // The cases first, then their commands: recomputing rewrites timers behind
  // the cursor a walk of the index would use.
  std::set<std::string> cases;
  for (std::optional<PendingTimer> after;;) {
    auto due = store.timers_due(after, Timestamp::max(), 4096);
    if (!due) {
      recount.problems.push_back(due.error().message);
      return recount;
    }
    for (const auto& timer : *due) cases.insert(timer.deadline.case_id);
    if (due->size() < 4096) break;
    after = due->back();
  }

  std::vector<std::pair<std::string, std::future<Result<Decision>>>> in_flight;
  const auto settle = [&] {
    for (auto& [id, decided] : in_flight) {
      auto d = decided.get();
      if (!d) {
        recount.problems.push_back(id + ": " + d.error().message);
      } else {
        ++recount.cases_moved;
      }
    }
    in_flight.clear();
  };
  for (const auto& id : cases) {
    auto k = engine.get(id);
    if (!k) {
      recount.problems.push_back(id + ": " + k.error().message);
      continue;
    }
    auto workflow = workflows.find(k->workflow);
    if (!workflow) {
      recount.problems.push_back(id + ": " + workflow.error().message);
      continue;
    }
    const auto running = running_deadlines(*k);
    if (running.empty()) continue;
    ++recount.cases_checked;
    cmd::RecomputeDeadlines c{calendars.current->version()};
    bool moves = false;
    for (const auto& deadline : running) {
      const auto unit = deadline_unit(**workflow, k->step, deadline.kind);
      const auto moved = carry_deadline(deadline.due, unit, *calendars.previous, now, *calendars.current, now);
      if (!moved || *moved == deadline.due) continue;
      moves = true;
      c.moved.of(deadline.kind) = moved;
    }
    if (!moves) continue;
    in_flight.emplace_back(id, engine.submit(Command{id, "calendar/v" + std::to_string(calendars.version),
                                                      k->version, "calendar", std::move(c)}));
    if (in_flight.size() >= kInFlight) settle();
  }
  settle();
  if (recount.problems.empty()) {
    if (auto recorded = store.set_calendar_applied(calendars.version); !recorded) {
      recount.problems.push_back(recorded.error().message);
    }
  }
  return recount;
}

}  // namespace escalator
