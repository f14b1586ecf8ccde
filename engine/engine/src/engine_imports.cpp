// Engine's imports while cases run: stored first, then put in force whole,
// between two commands' reads of what they are decided with.
#include <future>
#include <set>

#include "engine_impl.hpp"
#include "escalator/calendar/official_calendar.hpp"
#include "timers.hpp"

namespace escalator {

Result<OrgImportResult> Engine::import_directory(std::string_view text, const std::string& source,
                                                 OrgFileFormat format) {
  if (!impl_->directory_from_store) {
    return fail(ErrorCode::kFailedPrecondition,
                "this engine routes by the directory its embedder gave (EngineOptions::directory), which an import "
                "does not replace");
  }
  std::lock_guard lock(impl_->directory_import_mutex);
  auto& store = *impl_->options.store;
  auto imported = import_org_directory(store, text, source, impl_->options.clock->now(), format);
  if (!imported || !imported->stored) return imported;
  auto newest = stored_org_directory(store);
  if (!newest) return tl::unexpected(newest.error());
  {
    std::lock_guard in_force(impl_->in_force_mutex);
    impl_->options.directory = std::move(*newest);
  }
  if (impl_->options.logger) {
    const std::string version = std::to_string(imported->stored->version);
    impl_->options.logger->log({LogLevel::kInfo, "directory imported", "", {{"version", version}, {"source", source}}});
  }
  return imported;
}

Result<std::vector<OrgImport>> Engine::directory_imports() const { return impl_->options.store->org_imports(); }

namespace {

// How many carries the recount has in flight at once.
constexpr std::size_t kCarriesInFlight = 256;

}  // namespace

Result<Engine::CalendarImportResult> Engine::import_calendar(std::string_view text, const std::string& source) {
  auto& impl = *impl_;
  const auto* base = dynamic_cast<const OfficialCalendar*>(impl.base_calendar.get());
  if (base == nullptr) {
    return fail(ErrorCode::kFailedPrecondition,
                "this engine counts on a calendar its embedder gave, which takes no imported notice");
  }
  std::lock_guard importing(impl.calendar_import_mutex);  // and timer rounds wait
  {
    // A case an earlier import could not carry would miss that carry.
    std::lock_guard in_force(impl.in_force_mutex);
    if (impl.cutover) {
      return fail(ErrorCode::kFailedPrecondition,
                  "calendar import " + std::to_string(impl.cutover->version) +
                      " has cases it could not carry over yet; they are carried at their next command and when the "
                      "store next opens, and another import waits until then");
    }
  }
  auto& store = *impl.options.store;
  auto year = parse_calendar_year(text, source);
  if (!year) return tl::unexpected(year.error());
  auto imports = store.calendar_imports();
  if (!imports) return tl::unexpected(imports.error());
  CalendarImportResult result;
  result.year = year->year;
  // The same text again while it is its year's import in force: nothing to do.
  for (auto it = imports->rbegin(); it != imports->rend(); ++it) {
    const auto earlier = parse_calendar_year(it->text, it->source);
    if (!earlier || earlier->year != year->year) continue;
    if (it->text == text) {
      result.same_as = it->version;
      result.calendar = impl.calendar_now()->version();
      return result;
    }
    break;
  }
  // Tried with every import before it: one that clashes with another year's
  // must never reach the store, which could not open after it.
  CalendarImport import{imports->size() + 1, impl.options.clock->now(), source, std::string(text)};
  imports->push_back(import);
  if (auto tried = calendar_with_imports(*base, *imports, import.version); !tried) return tl::unexpected(tried.error());
  if (auto added = store.add_calendar_import(import); !added) return tl::unexpected(added.error());
  auto calendars = calendars_in_force(impl.base_calendar, store);
  if (!calendars) return tl::unexpected(calendars.error());
  result.stored = import;
  result.calendar = calendars->current->version();
  result.recount = CalendarRecount{import.version, result.calendar};

  // From here every command is decided on the new calendar, each case carried
  // over first unless done (DecidingWith::carry_from).
  {
    std::lock_guard in_force(impl.in_force_mutex);
    impl.cutover = Impl::CalendarCutover{impl.options.calendar, import.version, {}};
    impl.options.calendar = calendars->current;
  }
  auto& recount = result.recount;
  // The cases to carry: those whose writes decided before the swap are
  // still on their way to the store (each shard's mutex, taken once, waits
  // out a decision in progress), then every case the store holds timers for.
  std::set<std::string> to_carry;
  for (const auto& shard : impl.shards) {
    std::lock_guard lock(shard->mutex);
    for (const auto& entry : shard->busy) to_carry.insert(entry.first);
  }
  auto cases = cases_with_timers(store);
  if (!cases) recount.problems.push_back(cases.error().message);
  if (cases) to_carry.insert(cases->begin(), cases->end());
  const std::string key = calendar_carry_key(import.version);
  std::vector<std::pair<std::string, std::future<Result<Decision>>>> in_flight;
  const auto settle = [&] {
    for (auto& [id, decided] : in_flight) {
      auto d = decided.get();
      if (d) {
        ++recount.cases_checked;
        if (!d->duplicate) ++recount.cases_moved;
      } else if (d.error().code == ErrorCode::kFailedPrecondition) {
        ++recount.cases_checked;  // none of its deadlines moves
      } else {
        recount.problems.push_back(id + ": " + d.error().message);
      }
    }
    in_flight.clear();
  };
  for (const auto& id : to_carry) {
    in_flight.emplace_back(id, submit(Command{id, key, std::nullopt, "calendar",
                                              cmd::RecomputeDeadlines{result.calendar, {}}}));
    if (in_flight.size() >= kCarriesInFlight) settle();
  }
  settle();
  if (!recount.problems.empty()) return result;  // carried at the next open, or at each case's next command
  if (auto applied = store.set_calendar_applied(import.version); !applied) {
    recount.problems.push_back(applied.error().message);
    return result;
  }
  std::lock_guard in_force(impl.in_force_mutex);
  impl.cutover.reset();
  if (impl.options.logger) {
    impl.options.logger->log({LogLevel::kInfo, "calendar imported", "",
                              {{"version", std::to_string(import.version)}, {"calendar", result.calendar}},
                              {{"cases_moved", static_cast<double>(recount.cases_moved)}}});
  }
  return result;
}

Result<std::vector<CalendarImport>> Engine::calendar_imports() const { return impl_->options.store->calendar_imports(); }

}  // namespace escalator
