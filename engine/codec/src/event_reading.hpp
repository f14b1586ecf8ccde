// What the two readers of stored events share: event_json.cpp reads them
// from nlohmann objects and names every problem, event_text.cpp reads their
// text fast and only says whether it could. Both walk the same field lists
// (record_fields.hpp) with the same value parsers, so they cannot disagree.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "escalator/model/case.hpp"
#include "escalator/model/event.hpp"
#include "escalator/util/result.hpp"

namespace escalator::event_reading {

// The stored names of the two enums case.hpp has no parse_* for; the stored
// form is only ever the to_string() name, so that is all this accepts.
template <typename E>
[[nodiscard]] Result<E> parse_by_name(std::string_view text, E first, E last, std::string_view what) {
  for (auto i = static_cast<int>(first); i <= static_cast<int>(last); ++i) {
    if (to_string(static_cast<E>(i)) == text) return static_cast<E>(i);
  }
  return fail(ErrorCode::kInvalidArgument,
              "Expected " + std::string(what) + ", found '" + std::string(text) + "'");
}

inline Result<RequestType> parse_enum(std::string_view s, RequestType*) { return parse_request_type(s); }
inline Result<Channel> parse_enum(std::string_view s, Channel*) { return parse_channel(s); }
inline Result<Outcome> parse_enum(std::string_view s, Outcome*) { return parse_outcome(s); }
inline Result<Rating> parse_enum(std::string_view s, Rating*) { return parse_rating(s); }
inline Result<LifecycleState> parse_enum(std::string_view s, LifecycleState*) { return parse_lifecycle_state(s); }
inline Result<Level> parse_enum(std::string_view s, Level*) {
  return parse_by_name(s, Level::kBuilding, Level::kDistrict, "a level");
}
inline Result<DeadlineKind> parse_enum(std::string_view s, DeadlineKind*) {
  return parse_deadline_kind(s);
}

// The payload alternative named `type_name`, default-constructed. kDataLoss
// for a name no event has, or a reserved type this version cannot read.
[[nodiscard]] Result<EventPayload> blank_payload(std::string_view type_name);
// The same in place: false where blank_payload() fails, with `payload` as it was.
[[nodiscard]] bool make_blank_payload(std::string_view type_name, EventPayload& payload);

// The envelope's fields, the same for either reader.
template <class Read>
void read_envelope(Read& reader, Event& event, std::string& type_name) {
  reader("seq", event.seq);
  reader("time", event.time);
  reader("type", type_name);
  reader("actor", event.actor);
  reader("key", event.idempotency_key);
  reader("workflow", event.workflow);
  // Absent unless true; the chain's fields are absent before the chain (store
  // formats 1 and 2) and in the hashed body.
  std::optional<bool> provisional;
  std::optional<std::string> prev_hash, hash;
  std::optional<std::uint64_t> position;
  reader("provisional", provisional);
  reader("prev_hash", prev_hash);
  reader("hash", hash);
  reader("position", position);
  event.provisional = provisional.value_or(false);
  event.prev_hash = prev_hash.value_or("");
  event.hash = hash.value_or("");
  event.position = position.value_or(0);
}

}  // namespace escalator::event_reading
