// A case's history as an auditor reads it: the canonical bytes each event's
// hash is taken over, the chain that links a case's events, and the case as
// it stood at any moment (docs/history.md). Pure functions over values, safe
// from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "escalator/model/case.hpp"
#include "escalator/model/event.hpp"
#include "escalator/util/result.hpp"

namespace escalator {

// The event as RFC 8785 canonical JSON, without "position", "prev_hash" and
// "hash". kInvalidArgument when a text of the event is not UTF-8 (intake
// refuses such text, so only an event made elsewhere can have one).
[[nodiscard]] Result<std::string> canonical_bytes(const Event& event);
// SHA-256 of prev_hash's 32 bytes followed by `canonical`, as lowercase hex.
// kInvalidArgument when prev_hash is not 64 hex digits.
[[nodiscard]] Result<std::string> chained_hash(std::string_view prev_hash, std::string_view canonical);
// Sets the event's prev_hash and its hash over its canonical bytes, and
// returns those bytes, so that whoever stores the event need not make them again.
[[nodiscard]] Result<std::string> seal(Event& event, std::string_view prev_hash);

// The commitment the history keeps for a piece of personal data: SHA-256 of
// the salt's 32 bytes followed by the value's UTF-8 bytes, as lowercase hex;
// empty for an empty value. kInvalidArgument when salt is not 64 hex digits.
[[nodiscard]] Result<std::string> personal_commitment(std::string_view salt, std::string_view value);
// Gives each personal value the event holds a fresh random salt (OpenSSL's
// RAND_bytes) and its commitment; a value not given gets neither.
// kInternal when the random generator fails.
[[nodiscard]] Result<void> commit_personal_data(ev::CaseOpened& opened);

// A place where a case's history is not what it should be.
struct HistoryBreak {
  std::uint64_t seq = 0;  // the event's position in the case (1-based); 0: the case as a whole
  std::string what;       // "hash does not match its bytes", ...
};
// Checks a case's decoded events: seq 1..n, each prev_hash the hash before it
// (kGenesisHash first), each hash recomputed from the event, the first event a
// CaseOpened of `case_id`, each personal value it holds matching its
// commitment. Every break, not only the first.
std::vector<HistoryBreak> chain_breaks(std::string_view case_id, const std::vector<Event>& events);

// Replays events through the same appliers as live processing, never
// re-deciding. kDataLoss naming the sequence number when an event cannot be
// applied (an unknown or reserved type, or one out of order).
[[nodiscard]] Result<CaseState> replay(const std::vector<Event>& events);

// The case as it stood at `at`: the events that happened at or before it,
// applied as live processing applied them. kDataLoss as replay() when an event
// does not apply; kNotFound when the case did not exist yet.
[[nodiscard]] Result<CaseState> replay_until(const std::vector<Event>& events, Timestamp at);

}  // namespace escalator
