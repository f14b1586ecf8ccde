// What an Engine is opened with: its configuration, clock and collaborators.
// Every collaborator but the clock may be left null for the default named
// beside it. Collaborators are shared with the engine, which may call them
// from any thread at once.
#pragma once

#include <memory>

#include "escalator/calendar/calendar.hpp"
#include "escalator/engine/config.hpp"
#include "escalator/model/workflow.hpp"
#include "escalator/org/directory.hpp"
#include "escalator/store/store.hpp"
#include "escalator/util/logger.hpp"
#include "escalator/util/progress.hpp"
#include "escalator/util/time.hpp"

namespace escalator {

struct EngineOptions {
  Config config;
  std::shared_ptr<const Clock> clock;             // required
  std::shared_ptr<Logger> logger;                 // null: log nothing
  std::shared_ptr<const WorkflowCatalog> workflows;  // null: builtin_workflows()
  // null: shipped_calendar(), the official one. Either way, the calendar
  // imports the store holds replace their years (they need an OfficialCalendar).
  std::shared_ptr<const Calendar> calendar;
  // null: the store's newest org directory version; a store that holds none
  // gets config.org_file, or else the sample directory, as version 1
  // (org_versions.hpp).
  std::shared_ptr<const OrgDirectory> directory;
  std::shared_ptr<CaseStore> store;                  // null: memory_store()
  // How far the work Engine::open does before it returns has got, for a
  // command line to show: recounting the report counters on a calendar they
  // were not counted on, recomputing running deadlines on a new calendar
  // (both as "cases"). Empty: not told.
  Progress progress;
};
// Collaborators and the logger should not throw; if one does, the command it
// was serving fails with kInternal and the exception goes no further.

}  // namespace escalator
