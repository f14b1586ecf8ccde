// A suspended case's deadlines as people read them (挂起): not running, each
// with the time it had left when the case was suspended, which it gets back
// when the case resumes (docs/lifecycle.md, "suspend / resume"). The stored instants
// are where the deadlines stood, not when anything is due.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "escalator/calendar/calendar.hpp"
#include "escalator/model/case.hpp"
#include "escalator/model/workflow.hpp"

namespace escalator {

struct PausedDeadline {
  DeadlineKind kind = DeadlineKind::kReply;
  Timestamp was_due{};               // where the deadline stood when the case was suspended
  std::chrono::seconds left{0};      // the time it had left then; 0 if it had passed
  bool working = false;              // counted in working time, as the workflow counts that deadline
};

// The deadlines a suspended case holds, accept, resolve and reply in that
// order; none for a case that is not suspended. The case's workflow, found
// in `workflows`, says which are counted in working time, on `calendar` (the
// one in force); one not found there counts them all in plain time.
std::vector<PausedDeadline> paused_deadlines(const CaseState& k, const WorkflowCatalog& workflows,
                                             const Calendar& calendar);

// "paused, 21h30m of working time left", "paused, 2d3h left", "paused, none left".
std::string paused_words(const PausedDeadline& paused);

}  // namespace escalator
