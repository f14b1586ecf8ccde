// The durable store's records other than events and snapshots (which are
// event_json.hpp's): timers and outbox records, as JSON text both ways.
// docs/storage.md gives each format.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "escalator/model/event.hpp"
#include "escalator/util/result.hpp"
#include "escalator/model/timer.hpp"
#include "escalator/store/outbox.hpp"

namespace escalator::store_records {

// {"at":"…","warning":false,"case_id":"…","kind":"accept","due":"…","case_version":3}
std::string timer(const PendingTimer& t);
// A case's pending timers: a JSON array of timer() objects.
std::string timers(const std::vector<PendingTimer>& list);
// {"case_id":"…","first_seq":2,"last_seq":2,"types":["CaseDispatched"]}
std::string outbox(const std::string& case_id, const std::vector<Event>& events);
// Reads an outbox() object (its position is the key's); kDataLoss starting
// with `where` when it cannot.
[[nodiscard]] Result<OutboxRecord> outbox_from_json(std::string_view text, const std::string& where);

// Reads a timer() object; kDataLoss starting with `where` when it cannot.
[[nodiscard]] Result<PendingTimer> timer_from_json(const nlohmann::json& j, const std::string& where);
// Reads a timers() list; kDataLoss starting with `where` when it cannot.
[[nodiscard]] Result<std::vector<PendingTimer>> timers_from_text(std::string_view text, const std::string& where);

}  // namespace escalator::store_records
