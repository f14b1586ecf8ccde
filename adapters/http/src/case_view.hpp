// What the service answers about cases, as JSON text (docs/http.md): a case
// as the engine holds it, a command's decision, a case's history.
#pragma once

#include <string>
#include <vector>

#include "escalator/engine/decision.hpp"
#include "escalator/lifecycle/paused.hpp"
#include "escalator/model/case.hpp"
#include "escalator/model/event.hpp"

namespace escalator::http {

// Every field of the case under the names its snapshot uses, the resident's
// words and contact included (docs/http.md, "A case"); the commitments the
// history keeps in their place are left out.
// A suspended case's deadlines read as `paused` (their time left), not as the
// instants they stood at: pass paused_deadlines() of it. `masked`: the
// resident's name, phone, account, door and words as docs/access.md masks them.
std::string case_json(const CaseState& state, const std::vector<PausedDeadline>& paused = {}, bool masked = false);
// {"case_id", "version", "state", "duplicate", "events": [...]}: the events
// the command added, as the history holds them.
std::string decision_json(const Decision& decision);
// {"case_id", "version", "events": [...]}, every event with its position and hashes.
std::string history_json(const std::string& case_id, const std::vector<Event>& events);
// The case's version as an entity tag: "\"7\"".
std::string etag_of(std::uint64_t version);

}  // namespace escalator::http
