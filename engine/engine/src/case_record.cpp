#include "case_record.hpp"

#include "appliers.hpp"

namespace escalator {

CaseRecord CaseRecord::from_stored(StoredCase stored) {
  CaseRecord record;
  record.state = std::move(stored.snapshot);
  record.events = std::move(stored.events);
  // Replaying the states is cheap beside loading; it gives each key its state after.
  CaseState replayed;
  bool applies = true;
  for (const Event& e : record.events) {
    // An event that does not apply is audit's to report (audit verify
    // replays every case); from it on, each key is given the case's state.
    if (applies) applies = apply(replayed, e).has_value();
    if (!applies) replayed.state = record.state.state;
    auto& seen = record.keys[e.idempotency_key];
    if (seen.first_seq == 0) seen.first_seq = e.seq;
    seen.last_seq = e.seq;
    seen.kind = kAnyKind;  // stored history does not say which command it was
    seen.state_after = replayed.state;
  }
  return record;
}

Decision CaseRecord::decision(const Seen& seen, bool duplicate) const {
  Decision d{state.id, seen.last_seq, seen.state_after, {}, duplicate};
  for (auto seq = seen.first_seq; seq <= seen.last_seq && seq > 0; ++seq) {
    d.events.push_back(events.at(seq - 1));
  }
  return d;
}

}  // namespace escalator
