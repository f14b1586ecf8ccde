// Errors as values. No exception crosses escalator's public API: every fallible
// function returns Result<T>, which holds either a T or an Error.
//
// Error codes follow Abseil's canonical list, trimmed to what the engine needs:
//   kInvalidArgument     the input is malformed, whatever the engine's state;
//   kNotFound            a named case, workflow, unit or file does not exist;
//   kAlreadyExists       creating something that is already there;
//   kFailedPrecondition  the input is well formed but the case is not in a state
//                        that allows it (a refusal of the lifecycle table);
//   kAborted             a concurrency conflict: expected_version did not match;
//   kUnavailable         the engine is shutting down or a resource is busy;
//   kDataLoss            stored data is corrupt or cannot be interpreted;
//   kInternal            a broken invariant inside the engine (a bug).
// Codes become HTTP statuses only in adapters/.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include <tl/expected.hpp>

namespace escalator {

enum class ErrorCode {
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,
  kAborted,
  kUnavailable,
  kDataLoss,
  kInternal,
};

// "invalid_argument", "not_found", ...: stable names for logs, files and APIs.
std::string_view to_string(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string message;

  friend bool operator==(const Error&, const Error&) = default;
};

template <typename T>
using Result = tl::expected<T, Error>;

// Shorthand for `return fail(ErrorCode::kNotFound, "...")` in functions
// returning any Result<T>.
inline tl::unexpected<Error> fail(ErrorCode code, std::string message) {
  return tl::unexpected<Error>(Error{code, std::move(message)});
}

}  // namespace escalator
