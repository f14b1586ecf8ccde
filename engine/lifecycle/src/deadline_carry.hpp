// Carrying a running deadline across a stretch of time that must not count: a
// suspension (挂起), or a new calendar taking over from the old one. The
// deadline keeps the time it had left, measured in the terms its duration was
// written in (docs/calendar.md, "Time left").
#pragma once

#include <optional>

#include "escalator/calendar/calendar.hpp"
#include "escalator/model/case.hpp"
#include "escalator/util/time.hpp"
#include "escalator/model/workflow.hpp"

namespace escalator {

// Whether a duration in `unit` counts working time (working hours or days).
bool is_working(Duration::Unit unit);

// The unit the workflow counts a deadline of `kind` in at `step`.
Duration::Unit deadline_unit(const Workflow& workflow, int step, DeadlineKind kind);

// The deadline after a pause from `paused_at` to `resumed_at`: the time it had
// left at `paused_at` on `before`, given again from `resumed_at` on `after`.
// Plain hours and days keep the plain time left. Working units keep the working
// time left, and a deadline that ended at midnight (the close of its last
// working day) ends at the midnight closing the day that time runs out on.
// Unchanged: no deadline, one that never comes, one already due at `paused_at`.
std::optional<Timestamp> carry_deadline(const std::optional<Timestamp>& deadline, Duration::Unit unit,
                                        const Calendar& before, Timestamp paused_at, const Calendar& after,
                                        Timestamp resumed_at);

}  // namespace escalator
