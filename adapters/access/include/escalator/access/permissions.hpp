// Which role may do what (docs/access.md, "What each role may do"): one
// table of the service's operations, named by their OpenAPI operationId, that
// the service enforces, the OpenAPI document declares (x-roles) and the docs
// show. Tests walk the whole table, so a changed cell fails them.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "escalator/access/keys.hpp"

namespace escalator::access {

// What a role may do with an operation.
enum class Grant {
  kNone,      // 403 (or 404 for one case: the case does not exist for it)
  kAny,       // within the key's jurisdiction
  kHeld,      // only on a case its unit leads or co-handles now
};

// Whether a role reads the resident's personal data in clear (and so into
// the access log) or masked.
enum class Sight { kMasked, kClear };

struct Operation {
  std::string_view id;      // OpenAPI operationId: "readCase", "dispatch"
  std::string_view method;  // "GET" (HEAD too) or "POST"
  std::string_view path;    // as the OpenAPI document writes it: "/v1/cases/{id}/dispatch"
  // Whether it reads or acts on one case, whose jurisdiction then decides.
  bool on_a_case = false;
  // Whether it needs a key at all: health, readiness and the OpenAPI
  // document are answered to anyone.
  bool open = false;
  Grant intake, handler, dispatcher, supervisor, administrator, auditor;

  Grant of(Role role) const;
};

// Every operation of the service, in the OpenAPI document's order.
std::span<const Operation> operations();
// The operation of that id; null when there is none.
const Operation* operation(std::string_view id);
// The operation a request asks for, by its method (HEAD as GET) and its path
// as the document writes it; null for one the service has no route for.
const Operation* operation_at(std::string_view method, std::string_view path);

// The table as docs/access.md shows it: a Markdown table, one row per
// operation that needs a key, a column per role.
std::string permissions_markdown();

// Whether the role sees personal data in clear.
Sight sight_of(Role role);

std::string_view to_string(Grant grant);

}  // namespace escalator::access
