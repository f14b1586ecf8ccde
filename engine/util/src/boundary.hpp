// Where exceptions stop. No exception crosses the engine's API (style.md,
// "Errors are values"): what a collaborator, a library or an allocation
// throws is caught once, here, and becomes an Error naming what was being
// done and what was thrown.
#pragma once

#include <exception>
#include <string>
#include <string_view>
#include <type_traits>

#include "escalator/util/logger.hpp"
#include "escalator/util/result.hpp"

namespace escalator {

// The thrown object's what(), or a word for one that is not a std::exception.
std::string describe(const std::exception_ptr& thrown);

// Runs `body`, which returns a Result, and returns what it returns; when it
// throws, kInternal "<doing> threw: <what>".
template <class Body>
auto without_throwing(std::string_view doing, Body&& body) noexcept -> std::invoke_result_t<Body> {
  try {
    return body();
  } catch (...) {
    try {
      return fail(ErrorCode::kInternal, std::string(doing) + " threw: " + describe(std::current_exception()));
    } catch (...) {
      return tl::unexpected(Error{ErrorCode::kInternal, {}});  // not even the message could be made
    }
  }
}

// Logs what `record()` makes with `logger`, if there is one. A logger that
// throws (or a record that cannot be made) loses that record, and nothing
// else: what it describes has happened either way.
template <class MakeRecord>
void log_or_lose(Logger* logger, MakeRecord&& record) noexcept {
  if (logger == nullptr) return;
  const auto logged = without_throwing("Logging", [&]() -> Result<void> {
    logger->log(record());
    return {};
  });
  (void)logged;
}

}  // namespace escalator
