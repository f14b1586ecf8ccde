#include "case_id.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace escalator {
namespace {

bool all_digits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

// The sequence of a well-formed case id.
std::uint32_t sequence_of(std::string_view case_id) {
  std::uint32_t n = 0;
  for (char c : case_id.substr(16)) n = n * 10 + static_cast<std::uint32_t>(c - '0');
  return n;
}

}  // namespace

bool is_district_code(std::string_view text) { return text.size() == 6 && all_digits(text); }

bool is_case_id(std::string_view text) {
  return text.size() == 22 && text[6] == '-' && text[15] == '-' &&
         is_district_code(text.substr(0, 6)) && all_digits(text.substr(7, 8)) &&
         all_digits(text.substr(16, 6));
}

Result<std::string> CaseIdAllocator::next(std::string_view district_code, Timestamp now) {
  if (!is_district_code(district_code)) {
    return fail(ErrorCode::kInvalidArgument,
                "location.district_code: expected a 6-digit administrative division code, but got '" +
                    std::string(district_code) + "'");
  }
  const std::chrono::year_month_day day{std::chrono::floor<std::chrono::days>(now + kChinaOffset)};
  char prefix[32];
  std::snprintf(prefix, sizeof prefix, "%.*s-%04d%02u%02u", 6, district_code.data(),
                static_cast<int>(day.year()), static_cast<unsigned>(day.month()),
                static_cast<unsigned>(day.day()));
  std::uint32_t sequence = 0;
  {
    std::lock_guard lock(mutex_);
    auto found = last_.find(std::string_view(prefix));
    if (found == last_.end()) {
      auto stored = last_used_ ? last_used_(prefix) : Result<std::optional<std::string>>{};
      if (!stored) return tl::unexpected(stored.error());
      if (*stored && !(is_case_id(**stored) && (*stored)->starts_with(prefix))) {
        // Numbering on from a damaged id could reuse a number; refuse instead.
        return fail(ErrorCode::kDataLoss, "cases/" + **stored + ": not a case id of " + prefix);
      }
      found = last_.emplace(prefix, *stored ? sequence_of(**stored) : 0).first;
    }
    auto& last = found->second;
    if (last >= 999999) {
      return fail(ErrorCode::kUnavailable, std::string("No case numbers left for ") + prefix +
                                               ": all 999999 of the day are used");
    }
    sequence = ++last;
  }
  char id[40];
  std::snprintf(id, sizeof id, "%s-%06u", prefix, sequence);
  return std::string(id);
}

}  // namespace escalator
