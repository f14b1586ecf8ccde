// Where the engine keeps cases: each case's events, in order, and its snapshot
// (the state the events make). The engine caches cases it has loaded and
// writes every decided command through to the store before it answers.
//
// Implementations must be thread-safe. The engine never appends to one case
// from two threads at once, but appends to different cases concurrently and
// reads from any thread. This version ships memory_store(); the durable store
// implements the same interface.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "escalator/case.hpp"
#include "escalator/event.hpp"
#include "escalator/result.hpp"

namespace escalator {

struct StoredCase {
  CaseState snapshot;
  std::vector<Event> events;
};

class CaseStore {
 public:
  virtual ~CaseStore() = default;
  // The case, or nullopt when it was never stored. kDataLoss when stored data
  // cannot be read.
  [[nodiscard]] virtual Result<std::optional<StoredCase>> load(const std::string& case_id) const = 0;
  // Appends `events` (their seq continuing the stored ones) and replaces the
  // snapshot, both or neither. The first append of a case creates it and
  // records its external id. kFailedPrecondition when the first seq does not
  // follow the stored events; kUnavailable when the store cannot write.
  [[nodiscard]] virtual Result<void> append(const std::string& case_id,
                                            const std::vector<Event>& events,
                                            const CaseState& snapshot) = 0;
  // The case opened with this external id (hotline order number, WeChat MsgId).
  virtual std::optional<std::string> case_of_external_id(const std::string& external_id) const = 0;
  // Every case id, in the order the cases were first stored.
  virtual std::vector<std::string> case_ids() const = 0;
};

// Cases in memory: gone when the process ends.
std::shared_ptr<CaseStore> memory_store();

}  // namespace escalator
