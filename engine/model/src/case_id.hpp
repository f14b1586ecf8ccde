// Case ids residents are told: the district's 6-digit administrative division
// code, the day the case was opened (China Standard Time) and a 6-digit
// sequence within that district and day: "370811-20250930-000017".
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "escalator/util/result.hpp"
#include "escalator/util/time.hpp"

namespace escalator {

// Whether `text` has the form of a case id (not whether such a case exists).
bool is_case_id(std::string_view text);
// Whether `text` is six digits.
bool is_district_code(std::string_view text);

// Hands out case ids. Thread-safe. Ids are never repeated by one allocator. A
// store outlives the process: the first time a district and day is asked for,
// `last_used` gives the greatest id already stored for it, and numbering goes on
// from there (one seek, not a probe of every number used that day).
class CaseIdAllocator {
 public:
  // The greatest stored case id starting with the prefix ("370811-20251008"), if any.
  using LastUsed = std::function<Result<std::optional<std::string>>(std::string_view prefix)>;

  explicit CaseIdAllocator(LastUsed last_used = {}) : last_used_(std::move(last_used)) {}

  // kInvalidArgument for a malformed district code; kUnavailable when the
  // district has used all 999,999 numbers of that day; last_used's error when
  // it cannot say.
  [[nodiscard]] Result<std::string> next(std::string_view district_code, Timestamp now);

 private:
  LastUsed last_used_;
  std::mutex mutex_;
  std::map<std::string, std::uint32_t, std::less<>> last_;  // "370811-20250930" -> last sequence
};

}  // namespace escalator
