// The retry schedule and what answers mean (docs/webhooks.md, "Retries").
#include <doctest/doctest.h>

#include <cmath>

#include "escalator/outbox/retry.hpp"

namespace escalator {
namespace {

using namespace std::chrono_literals;
using outbox::Outcome;

TEST_CASE("any 2xx delivers, 410 ends the subscription, everything else is tried again") {
  for (int status : {200, 201, 202, 204, 299}) CHECK(outbox::outcome_of(status) == Outcome::kDelivered);
  CHECK(outbox::outcome_of(410) == Outcome::kGone);
  for (int status : {0, 199, 301, 302, 400, 401, 404, 408, 409, 429, 500, 502, 503, 504}) {
    CAPTURE(status);
    CHECK(outbox::outcome_of(status) == Outcome::kRetry);
  }
}

TEST_CASE("the schedule runs over more than a day, each wait spread by a fifth either way") {
  const auto schedule = outbox::retry_schedule();
  std::chrono::seconds total{0};
  for (auto wait : schedule) total += wait;
  CHECK(total > 24h);
  CHECK(schedule.front() == 5s);
  for (std::size_t i = 1; i < schedule.size(); ++i) CHECK(schedule[i] >= schedule[i - 1]);
  for (int attempt = 1; attempt <= static_cast<int>(schedule.size()); ++attempt) {
    const auto scheduled = schedule[static_cast<std::size_t>(attempt - 1)];
    const auto low = *outbox::wait_after(attempt, 0.0), middle = *outbox::wait_after(attempt, 0.5),
               high = *outbox::wait_after(attempt, 0.999999);
    CAPTURE(attempt);
    CHECK(middle == scheduled);
    CHECK(low.count() == std::llround(0.8 * static_cast<double>(scheduled.count())));
    CHECK(high.count() == std::llround(1.2 * static_cast<double>(scheduled.count())));
  }
  CHECK(!outbox::wait_after(static_cast<int>(schedule.size()) + 1, 0.5));
  CHECK(!outbox::wait_after(0, 0.5));
}

TEST_CASE("a receiver's Retry-After is honoured when it asks for longer, up to the longest wait") {
  CHECK(*outbox::wait_after(1, 0.5, 120s) == 120s);  // 5 s scheduled: the receiver's 2 minutes win
  CHECK(*outbox::wait_after(4, 0.5, 60s) == 2h);     // shorter than the schedule: the schedule's
  CHECK(*outbox::wait_after(1, 0.5, 7 * 24h) == 10h);
  CHECK(outbox::parse_retry_after("120") == 120s);
  CHECK(outbox::parse_retry_after(" 7 ") == 7s);
  CHECK(!outbox::parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"));
  CHECK(!outbox::parse_retry_after("-1"));
  CHECK(!outbox::parse_retry_after(""));
  CHECK(!outbox::parse_retry_after("99999999999"));
}

}  // namespace
}  // namespace escalator
