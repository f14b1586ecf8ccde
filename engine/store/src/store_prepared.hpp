// A case's write as the durable store's committer takes it: every record
// encoded on the thread that hands the write over, so the committer only
// writes (docs/decisions.md, "Deciding on the submitting thread").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "escalator/store/store.hpp"

namespace escalator {

// A write ready for the committer: every record encoded, positions not yet given.
struct Prepared {
  std::string case_id;
  std::uint64_t first_seq = 0;
  std::uint64_t last_seq = 0;
  std::string external_id;  // recorded when the write opens the case
  struct SealedEvent {
    std::uint64_t seq = 0;
    std::string key;
    std::string canonical;  // the bytes its hash is taken over
    std::string hash;
    std::string prev_hash;
  };
  std::vector<SealedEvent> events;
  CaseWrite* source = nullptr;  // given its events' positions and its timers as stored, as it is put
  std::optional<Error> unsealed;  // an event that cannot be stored as it is
  std::string personal_record;  // put when the write opens the case with personal data
  bool erases_personal = false;  // deleted when the write erases it, with the call entries
  std::vector<std::string> call_entries;  // put when the write opens the case with a caller (repeat_calls.hpp)
  std::string snapshot;
  std::string outbox_record;
  std::vector<PendingTimer> timers;
  std::string timers_record;  // the case's list under "c/"
  std::vector<std::string> lists_removed;  // case list entries the write takes the case off
  std::vector<std::string> lists_added;    // and puts it on
  stats::Marks stats;  // what its events count
  // Read when the write is handed over: a case's next write comes only after
  // its previous one is done, so these are what the committer would read.
  bool follows_stored = false;  // its first event follows the stored events
  std::vector<PendingTimer> stored_timers;
  EventStore::Done done;  // none for the writes in `together`
  Result<void> outcome;  // set by the commit
  std::vector<Prepared> together;  // the decision's writes of other cases: all or none
};

// Encodes the write; `done` is its caller's (none for a write in `together`).
Prepared prepare(const CaseWrite& write, EventStore::Done done);

}  // namespace escalator
