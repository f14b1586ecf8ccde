// The outbox (docs/storage.md, "The outbox record"): one record per
// acknowledged command, written in the command's own write, naming the case
// and the events it added. Subscribers are told what it lists, in commit
// order, so that nothing is told that was not stored and nothing stored is
// left untold (docs/webhooks.md).
// Thread safety: implementations must be safe for concurrent use.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "escalator/util/result.hpp"

namespace escalator {

struct OutboxRecord {
  std::uint64_t position = 0;  // in commit order, from 0
  std::string case_id;
  std::uint64_t first_seq = 0;  // the command's events are first_seq to last_seq of the case
  std::uint64_t last_seq = 0;
  std::vector<std::string> types;  // "CaseDispatched", …, one per event

  friend bool operator==(const OutboxRecord&, const OutboxRecord&) = default;
};

class Outbox {
 public:
  virtual ~Outbox() = default;
  // Up to `limit` records from position `from` on, in commit order; none
  // from a store that keeps no outbox. kDataLoss naming a record that cannot be read.
  [[nodiscard]] virtual Result<std::vector<OutboxRecord>> outbox_records(std::uint64_t /*from*/,
                                                                         std::size_t /*limit*/) const {
    return std::vector<OutboxRecord>{};
  }
};

}  // namespace escalator
