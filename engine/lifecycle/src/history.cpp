#include "escalator/lifecycle/history.hpp"

#include "appliers.hpp"
#include "event_json.hpp"
#include "personal_data.hpp"
#include "sha256.hpp"

namespace escalator {

Result<std::string> canonical_bytes(const Event& event) { return canonical_event_text(event); }

Result<std::string> chained_hash(std::string_view prev_hash, std::string_view canonical) {
  const auto prev = digest_from_hex(prev_hash);
  if (!prev) {
    return fail(ErrorCode::kInvalidArgument,
                "prev_hash: expected 64 hex digits, found '" + std::string(prev_hash.substr(0, 80)) + "'");
  }
  thread_local Sha256 hasher;
  return to_hex(hasher.update(*prev).update(canonical).finish());
}

Result<std::string> seal(Event& event, std::string_view prev_hash) {
  auto bytes = canonical_bytes(event);
  if (!bytes) return tl::unexpected(bytes.error());
  auto hash = chained_hash(prev_hash, *bytes);
  if (!hash) return tl::unexpected(hash.error());
  event.prev_hash = std::string(prev_hash);
  event.hash = std::move(*hash);
  return bytes;
}

std::vector<HistoryBreak> chain_breaks(std::string_view case_id, const std::vector<Event>& events) {
  std::vector<HistoryBreak> breaks;
  std::string expected_prev(kGenesisHash);
  for (std::size_t i = 0; i < events.size(); ++i) {
    const Event& event = events[i];
    const std::uint64_t seq = i + 1;
    if (event.seq != seq) breaks.push_back({seq, "holds event #" + std::to_string(event.seq)});
    if (i == 0) {
      const auto* opened = std::get_if<ev::CaseOpened>(&event.payload);
      if (opened == nullptr) {
        breaks.push_back({seq, "the first event is " + std::string(event_type_name(event_type(event.payload))) +
                                   ", not CaseOpened"});
      } else {
        if (opened->case_id != case_id) {
          breaks.push_back({seq, "opens case " + opened->case_id + ", not " + std::string(case_id)});
        }
        for (auto& mismatch : personal_data::mismatches(*opened)) breaks.push_back({seq, std::move(mismatch)});
      }
    }
    if (event.prev_hash != expected_prev) {
      breaks.push_back({seq, "prev_hash " + event.prev_hash.substr(0, 12) + "… is not the hash before it, " +
                                 expected_prev.substr(0, 12) + "…"});
    }
    auto bytes = canonical_bytes(event);
    auto hash = bytes ? chained_hash(event.prev_hash, *bytes) : tl::unexpected(bytes.error());
    if (!hash) {
      breaks.push_back({seq, hash.error().message});
    } else if (*hash != event.hash) {
      breaks.push_back({seq, "hash " + event.hash.substr(0, 12) + "… does not match its bytes, which hash to " +
                                 hash->substr(0, 12) + "…"});
    }
    expected_prev = event.hash;
  }
  return breaks;
}

Result<CaseState> replay_until(const std::vector<Event>& events, Timestamp at) {
  if (events.empty() || events.front().time > at) {
    return fail(ErrorCode::kNotFound, "The case was not yet opened at " + format_time(at));
  }
  CaseState state;
  for (const auto& event : events) {
    if (event.time > at) break;
    if (auto applied = apply(state, event); !applied) return tl::unexpected(applied.error());
  }
  return state;
}

}  // namespace escalator
