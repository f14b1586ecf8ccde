// Events and case snapshots as JSON objects, both ways: the writer behind to_json() in event.hpp
// and the reader the store uses to load a case's history back. Private: nlohmann
// stays out of the public headers.
//
// The format, one object per event, keys in this order:
//   {"seq":1,"time":"2025-09-30T09:00:00+08:00","type":"CaseOpened","actor":"...",
//    "key":"...","workflow":{"id":"property-first","version":1},"data":{...}}
// "data" holds the payload's fields under their snake_case names, in declaration
// order: enums by their to_string() names, instants by format_time(), durations
// by format_duration(), Location/Party/Reporter/StepAssignment as nested objects.
// A std::optional field is left out when empty; every other field is always
// written, even when empty, so that a missing one means the data is damaged.
//
// ordered_json keeps keys in the order written, so the text reads like the
// format above rather than alphabetically; a nlohmann::json converts to it
// implicitly, so readers holding either kind can call event_from_json.
#pragma once

#include <nlohmann/json.hpp>

#include "escalator/model/event.hpp"
#include "escalator/util/result.hpp"

namespace escalator {

using EventJson = nlohmann::ordered_json;

EventJson event_to_json(const Event& event);
// What the event's hash is taken over (docs/history.md): the object above
// without "position", "prev_hash" and "hash".
EventJson event_body_json(const Event& event);
// canonical_json(event_body_json(event)), written straight from the event's
// fields (canonical_event.cpp). kInvalidArgument when a text is not UTF-8.
[[nodiscard]] Result<std::string> canonical_event_text(const Event& event);
// The "data" object alone.
EventJson payload_to_json(const EventPayload& payload);

// Reads an object written by event_to_json. Reading what was written gives back
// an equal event, field for field. Unknown extra keys are ignored. Errors, all
// kDataLoss because the input is stored history:
//   a missing field, named by its path ("missing field 'data.to.lead_unit'");
//   a field of the wrong JSON type or with a value its type cannot take;
//   an unknown type name, or a reserved one this version has no reader for
//   ("event type 22 (MessageAdded) has no reader in this version").
[[nodiscard]] Result<Event> event_from_json(const EventJson& json);
// The same reading straight from JSON text, several times faster (simdjson,
// event_text.cpp): for replay and audit, which read every event. False (or
// none) wherever event_from_json would refuse the text, and also for a key no
// event has or a key given twice, which event_from_json reads: read the text
// that way for the reason, or for the event. After false, `event` is partly read.
[[nodiscard]] bool event_from_text(std::string_view text, Event& event);
std::optional<Event> event_from_text(std::string_view text);

// A case's snapshot, every CaseState field under its own name, the same rules
// as event data (optional fields left out when empty). Reading what was written
// gives back an equal CaseState; errors as for events, all kDataLoss.
EventJson case_to_json(const CaseState& state);
// case_to_json(state) as text, the way the store writes it: the bytes of its
// dump(), written directly (json_text.hpp).
std::string case_json_text(const CaseState& state);
[[nodiscard]] Result<CaseState> case_from_json(const EventJson& json);
// The same reading straight from the snapshot's text, several times faster
// (simdjson, event_text.cpp), as event_from_text is for events: false wherever
// case_from_json would refuse the text, and also for a key no snapshot has or
// a key given twice. After false, `state` is partly read.
[[nodiscard]] bool case_from_text(std::string_view text, CaseState& state);
// A snapshot as the store keeps it, read from its text: by case_from_text,
// or where that refuses, by case_from_json, which names the problem ("not
// JSON" for text that is not JSON at all). Errors kDataLoss.
[[nodiscard]] Result<CaseState> read_case_text(std::string_view text);

}  // namespace escalator
