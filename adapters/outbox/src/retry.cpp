#include "escalator/outbox/retry.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace escalator::outbox {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr std::array<seconds, 7> kSchedule{seconds(5),  minutes(5), minutes(30), hours(2),
                                           hours(5),    hours(10),  hours(10)};
constexpr double kJitter = 0.2;

}  // namespace

Outcome outcome_of(int status) {
  if (status >= 200 && status < 300) return Outcome::kDelivered;
  if (status == 410) return Outcome::kGone;
  return Outcome::kRetry;
}

std::span<const seconds> retry_schedule() { return kSchedule; }

std::optional<seconds> wait_after(int attempt, double jitter, std::optional<seconds> retry_after) {
  if (attempt < 1 || static_cast<std::size_t>(attempt) > kSchedule.size()) return std::nullopt;
  const double scheduled = static_cast<double>(kSchedule[static_cast<std::size_t>(attempt - 1)].count());
  const double spread = std::clamp(jitter, 0.0, 1.0) * 2.0 - 1.0;  // -1 to 1
  auto wait = seconds(static_cast<std::int64_t>(std::llround(scheduled * (1.0 + kJitter * spread))));
  if (retry_after && *retry_after > wait) wait = std::min(*retry_after, kSchedule.back());
  return std::max(wait, seconds(1));
}

std::optional<seconds> parse_retry_after(std::string_view header) {
  while (!header.empty() && header.front() == ' ') header.remove_prefix(1);
  while (!header.empty() && header.back() == ' ') header.remove_suffix(1);
  if (header.empty() || header.size() > 9) return std::nullopt;
  std::int64_t value = 0;
  for (char c : header) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return seconds(value);
}

}  // namespace escalator::outbox
