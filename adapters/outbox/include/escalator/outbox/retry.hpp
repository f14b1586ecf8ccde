// When a delivery is tried again (docs/webhooks.md, "Retries"): what an
// answer means for the subscriber, and how long to wait before the next
// attempt. Pure functions of the answer, the attempt and a jitter draw, so
// that tests and the deliverer agree without a clock.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string_view>

namespace escalator::outbox {

// What one attempt's answer means.
enum class Outcome {
  kDelivered,  // any 2xx
  kRetry,      // a timeout, a refused connection, 3xx (redirects are not followed), 4xx but 410, 5xx
  kGone,       // 410 Gone: the subscriber asks for nothing more; its subscription is disabled
};
// The outcome of an HTTP status; 0 for no answer at all (timeout, refused).
Outcome outcome_of(int status);

// The waits before attempts 2, 3, …: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
// 10 h — Standard Webhooks' schedule, some 27 hours after the first attempt
// in all. After the last, the delivery waits for the subscriber to be
// replayed or re-enabled.
std::span<const std::chrono::seconds> retry_schedule();

// How long to wait after failed attempt `attempt` (1 for the first), or
// nullopt when the schedule is spent. The scheduled wait is spread by
// `jitter` (a draw in [0, 1)) over ±20%, so that the deliveries a receiver
// missed while down do not all return at one instant. A Retry-After the
// receiver sent with a 429 or 503 is honoured when it asks for longer,
// up to the schedule's longest wait.
std::optional<std::chrono::seconds> wait_after(int attempt, double jitter,
                                               std::optional<std::chrono::seconds> retry_after = std::nullopt);

// A Retry-After header's seconds (RFC 9110, 10.2.3: delay-seconds); nullopt
// for an HTTP date or anything else, which then counts as not given.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view header);

}  // namespace escalator::outbox
