// Helpers the actions (actions.cpp) and the guards (guards.cpp) share.
#pragma once

#include <optional>
#include <string>

#include "actions.hpp"

namespace escalator::lifecycle::actions {

const std::string& case_id(const Scratch& s);
// Leaves a failed-precondition refusal; returns false, for guards to return.
bool refuse(Scratch& s, std::string message);
// The step the case is at; 0 before its first dispatch.
int current_step(const Scratch& s);
bool is_last_step(const Scratch& s);
// The refusal for escalating past the workflow's last step.
bool no_next_step_refusal(Scratch& s);
// Whether the timer's deadline is the one running, and has passed.
bool timer_matches(Scratch& s, DeadlineKind kind, const std::optional<Timestamp>& running, Timestamp due);
// The step a dispatch goes to: the one it names, else the case's current one.
int dispatch_step(const Scratch& s, const cmd::Dispatch& c);

}  // namespace escalator::lifecycle::actions
