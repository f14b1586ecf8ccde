// Errors as RFC 9457 problem details (application/problem+json), the one
// table that maps what went wrong to an HTTP status (docs/http.md, "Problems"):
// a stable `type` per kind, a Chinese `title`, a `detail` that names the
// field and the reason, the field's JSON `pointer` where there is one, and
// the engine's error `code` where the engine refused.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "escalator/model/case.hpp"
#include "escalator/util/file_problem.hpp"
#include "escalator/util/result.hpp"
#include "exchange.hpp"

namespace escalator::http {

enum class ProblemKind {
  kBadRequest,            // 400: not an HTTP request the parser can read
  kMalformedJson,         // 400: not JSON at all
  kInvalidUtf8,           // 400: bytes that are not UTF-8
  kTooDeep,               // 400: nesting beyond the limit
  kDuplicateKey,          // 400: one object names a key twice
  kBadHeader,             // 400: a header the service reads is malformed
  kBadQuery,              // 400: a query parameter is malformed
  kWrongType,             // 422: a field of the wrong JSON type
  kUnknownField,          // 422: a field the route does not take
  kMissingField,          // 422: a required field is absent
  kInvalidField,          // 422: a value the engine refuses (kInvalidArgument)
  kUnknownReference,      // 422: a unit, step or workflow the command names does not exist
  kInvalidWorkflow,       // 422: an uploaded workflow `escalator validate` would refuse; `errors` lists why
  kInvalidDirectory,      // 422: an org directory `escalator import org` would refuse; `errors` lists why
  kInvalidCalendar,       // 422: a calendar notice `escalator calendar import` would refuse
  kBodyTooLarge,          // 413
  kHeaderTooLarge,        // 431
  kUnsupportedMediaType,  // 415
  kUnauthenticated,       // 401 + WWW-Authenticate: no key, or not a key the service holds
  kForbidden,             // 403: the key's role may not do this, or its unit does not hold the case
  kTooManyRequests,       // 429 + Retry-After: the key's rate, or the address's bad keys
  kRouteNotFound,         // 404: no such route
  kCaseNotFound,          // 404
  kWorkflowNotFound,      // 404: no workflow of that id (or version)
  kMethodNotAllowed,      // 405
  kRefusedTransition,     // 409: the lifecycle table refuses the command in this state
  kWorkflowConflict,      // 409: reinstating a workflow would take another's cases
  kImportRefused,         // 409: the engine takes no import of this (an embedder's own directory)
  kStaleVersion,          // 412: If-Match names a version the case no longer has
  kRequestTimeout,        // 408: the request did not arrive in time
  kOverloaded,            // 503 + Retry-After: too many commands in flight, or connections
  kUnavailable,           // 503 + Retry-After: the store cannot write, numbers used up, stopping
  kDataLoss,              // 500: the store holds the case but cannot read it
  kInternal,              // 500
};

struct Problem {
  Problem() = default;
  Problem(ProblemKind k, std::string why, std::string at = {}, std::string engine_code = {})
      : kind(k), detail(std::move(why)), pointer(std::move(at)), code(std::move(engine_code)) {}

  ProblemKind kind = ProblemKind::kInternal;
  std::string detail;
  std::string pointer;  // RFC 6901, "/location/compound"; empty when no field is at fault
  std::string code;     // the engine's ErrorCode name, when the engine refused
  std::string engine_detail;  // the engine's own words, when the engine refused
  // Each fault of a file a body carries (an uploaded workflow), written as
  // the problem's `errors` member: [{"detail","pointer","line"}].
  std::vector<FileProblem> errors{};
  // Retry-After, in whole seconds, where more than the 1 a 503 says.
  int retry_after_seconds = 0;
};

// What the service knows about a refused request, so that the problem's
// detail can say it in the user's language.
struct RefusalContext {
  std::string case_id;
  std::string command;                  // the route's command name; "open" for POST /v1/cases
  std::optional<CaseState> current;     // the case as it is now, when it exists
};

int status_of(ProblemKind kind);
// "invalid-field": the last segment of the type URI, stable across versions.
std::string_view slug_of(ProblemKind kind);
std::string_view title_of(ProblemKind kind);
// "https://escalator.example/problems/invalid-field"
std::string type_of(ProblemKind kind);

Response problem_response(const Problem& problem);
// The engine's refusal as a problem, its detail in Chinese naming the case,
// its state and the command, and the engine's words in engine_detail.
// kNotFound is kCaseNotFound when the context has no current case;
// otherwise something the command names is missing.
Problem engine_problem(const Error& error, const RefusalContext& context = {});
// 派单, 签收, ...: a command as Chinese users name it; the name itself when it has none.
std::string command_label(std::string_view command);
// A search's refusal: its kInvalidArgument names a query parameter (a
// cursor, a limit), so it is a bad-query problem; others as engine_problem.
Problem bad_query_or(const Error& error);

}  // namespace escalator::http
