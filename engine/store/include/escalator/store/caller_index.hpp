// Who called about what: the index that finds a caller's previous case
// (重复来电, docs/stats.md "Repeat calls"), the cases of a resident, and
// removing what an erasure deleted from the files (docs/history.md,
// "Erasure"). All of it is personal data. Thread safety: implementations must
// be safe for concurrent use.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "escalator/util/result.hpp"
#include "escalator/util/time.hpp"

namespace escalator {

class CallerIndex {
 public:
  virtual ~CallerIndex() = default;

  // A case a caller opened before.
  struct Call {
    std::string case_id;
    Timestamp opened_at{};
  };
  // The latest case opened at or before `at` whose caller, place and category
  // give one of `digests` (personal data, so an erased case is not found).
  // kDataLoss when the index cannot be read.
  [[nodiscard]] virtual Result<std::optional<Call>> previous_call(std::span<const std::string> digests,
                                                                  Timestamp at) const = 0;

  // The cases whose reporter's phone or account is `resident`, exactly as
  // recorded, by case id: whose data `escalator erase --resident` erases.
  // Cases whose data is erased are not found.
  [[nodiscard]] virtual Result<std::vector<std::string>> cases_of_resident(std::string_view resident) const = 0;
  // Rewrites the store's files so that nothing deleted or overwritten stays
  // in them, nor in a write-ahead log: the last step of an erasure, but for
  // RocksDB's manifest, which may still name a deleted key of the callers'
  // index until the store is opened again. In memory there is nothing to do.
  [[nodiscard]] virtual Result<void> purge_deleted() { return {}; }
  // Whether opening the store finished a purge that an erasure killed before
  // it rewrote the files had left pending (the erasure's write records it).
  virtual bool finished_a_purge_when_opened() const { return false; }
};

}  // namespace escalator
