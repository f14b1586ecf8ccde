// Case ids residents are told: the district's 6-digit administrative division
// code, the day the case was opened (China Standard Time) and a 6-digit
// sequence within that district and day: "370811-20250930-000017".
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "escalator/result.hpp"
#include "escalator/time.hpp"

namespace escalator {

// Whether `text` has the form of a case id (not whether such a case exists).
bool is_case_id(std::string_view text);
// Whether `text` is six digits.
bool is_district_code(std::string_view text);

// Hands out case ids. Thread-safe. Ids are never repeated by one allocator; the
// engine also skips any id its store already holds, so a store that outlives the
// process keeps ids unique across runs.
class CaseIdAllocator {
 public:
  // kInvalidArgument for a malformed district code; kUnavailable when the
  // district has used all 999,999 numbers of that day.
  [[nodiscard]] Result<std::string> next(std::string_view district_code, Timestamp now);

 private:
  std::mutex mutex_;
  std::map<std::string, std::uint32_t, std::less<>> last_;  // "370811-20250930" -> last sequence
};

}  // namespace escalator
