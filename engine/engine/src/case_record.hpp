// What the engine keeps of a case while it is in memory: its state, its
// events, and the idempotency keys it has seen with the decision each made.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "escalator/engine/decision.hpp"
#include "escalator/store/store.hpp"

namespace escalator {

struct CaseRecord {
  static constexpr std::size_t kAnyKind = static_cast<std::size_t>(-1);

  // A key's first decision, as it was: which events, and the case after them.
  struct Seen {
    std::uint64_t first_seq = 0;
    std::uint64_t last_seq = 0;
    std::size_t kind = 0;
    LifecycleState state_after = LifecycleState::kNew;
  };

  CaseState state;
  std::vector<Event> events;
  std::unordered_map<std::string, Seen> keys;
  // The case's timers as the store holds them, known when this engine wrote
  // the case since it loaded it (EventStore::commit hands them back).
  std::optional<std::vector<PendingTimer>> stored_timers;

  // Rebuilds the keys from the events, which record their command's key.
  static CaseRecord from_stored(StoredCase stored);
  // The decision of events first..last, with the case as it was after them.
  Decision decision(const Seen& seen, bool duplicate) const;
};

}  // namespace escalator
