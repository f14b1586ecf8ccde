// Appliers: one per event type, each turning an event into state. They do not
// validate, read the clock or do I/O: everything they need is in the event.
// Live processing, replay and audit all apply events through apply(), so a
// replayed case cannot drift from the live one.
#pragma once

#include "escalator/model/case.hpp"
#include "escalator/model/event.hpp"
#include "escalator/util/result.hpp"

namespace escalator {

// Applies one event to `state`. kDataLoss when the event's sequence number does
// not follow the state's version; `state` is then unchanged.
[[nodiscard]] Result<void> apply(CaseState& state, const Event& event);

}  // namespace escalator
