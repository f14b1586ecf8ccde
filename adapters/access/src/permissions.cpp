#include "escalator/access/permissions.hpp"

#include <algorithm>
#include <array>

namespace escalator::access {
namespace {

constexpr Grant N = Grant::kNone;
constexpr Grant A = Grant::kAny;
constexpr Grant H = Grant::kHeld;

// One row per operation: intake, handler, dispatcher, supervisor,
// administrator, auditor. docs/access.md shows this table as it is here.
constexpr std::array kOperations{
    // id, method, path, on a case, open; then the grants:
    Operation{"listCases", "GET", "/v1/cases", false, false, A, A, A, A, N, A},
    Operation{"openCase", "POST", "/v1/cases", false, false, A, N, A, N, N, N},
    Operation{"readInbox", "GET", "/v1/inbox", false, false, N, A, A, A, N, A},
    Operation{"readCase", "GET", "/v1/cases/{id}", true,  false, A, A, A, A, N, A},
    Operation{"readHistory", "GET", "/v1/cases/{id}/history", true,  false, A, A, A, A, N, A},
    Operation{"dispatch", "POST", "/v1/cases/{id}/dispatch", true,  false, N, N, A, N, N, N},
    Operation{"accept", "POST", "/v1/cases/{id}/accept", true,  false, N, H, N, N, N, N},
    Operation{"replyOnSpot", "POST", "/v1/cases/{id}/reply_on_spot", true,  false, A, H, A, N, N, N},
    Operation{"reply", "POST", "/v1/cases/{id}/reply", true,  false, N, H, N, N, N, N},
    Operation{"return", "POST", "/v1/cases/{id}/return", true,  false, N, H, A, N, N, N},
    Operation{"sendBack", "POST", "/v1/cases/{id}/send_back", true,  false, N, N, A, N, N, N},
    Operation{"escalate", "POST", "/v1/cases/{id}/escalate", true,  false, N, H, A, N, N, N},
    Operation{"urge", "POST", "/v1/cases/{id}/urge", true,  false, A, N, A, A, N, N},
    Operation{"handOver", "POST", "/v1/cases/{id}/hand_over", true,  false, N, H, A, N, N, N},
    Operation{"suspend", "POST", "/v1/cases/{id}/suspend", true,  false, N, N, A, N, N, N},
    Operation{"resume", "POST", "/v1/cases/{id}/resume", true,  false, N, N, A, N, N, N},
    Operation{"requestExtension", "POST", "/v1/cases/{id}/request_extension", true,  false, N, H, N, N, N, N},
    Operation{"decideExtension", "POST", "/v1/cases/{id}/decide_extension", true,  false, N, N, A, A, N, N},
    Operation{"followUp", "POST", "/v1/cases/{id}/follow_up", true,  false, A, N, A, N, N, N},
    Operation{"rate", "POST", "/v1/cases/{id}/rate", true,  false, A, N, A, N, N, N},
    Operation{"reopen", "POST", "/v1/cases/{id}/reopen", true,  false, A, N, A, N, N, N},
    Operation{"withdraw", "POST", "/v1/cases/{id}/withdraw", true,  false, A, N, A, N, N, N},
    Operation{"merge", "POST", "/v1/cases/{id}/merge", true,  false, N, N, A, N, N, N},
    Operation{"close", "POST", "/v1/cases/{id}/close", true,  false, N, N, A, N, N, N},
    Operation{"coHandlerReply", "POST", "/v1/cases/{id}/co_handler_reply", true,  false, N, H, N, N, N, N},
    Operation{"erasePersonalData", "POST", "/v1/cases/{id}/erase_personal_data", true,  false, N, N, A, N, N, N},
    Operation{"locate", "POST", "/v1/cases/{id}/locate", true,  false, N, N, A, N, N, N},
    Operation{"discuss", "POST", "/v1/cases/{id}/discuss", true,  false, N, H, A, N, N, N},
    Operation{"addCoHandlers", "POST", "/v1/cases/{id}/add_co_handlers", true,  false, N, H, A, N, N, N},
    Operation{"readStats", "GET", "/v1/stats", false, false, N, N, A, A, N, A},
    Operation{"readCasesBehindACount", "GET", "/v1/stats/cases", false, false, N, N, A, A, N, A},
    Operation{"listBackups", "GET", "/v1/admin/backups", false, false, N, N, N, N, A, A},
    Operation{"takeBackup", "POST", "/v1/admin/backups", false, false, N, N, N, N, A, N},
    Operation{"listCalendarImports", "GET", "/v1/calendar/imports", false, false, A, A, A, A, A, A},
    Operation{"importCalendar", "POST", "/v1/calendar/imports", false, false, N, N, N, N, A, N},
    Operation{"listDirectoryVersions", "GET", "/v1/directory/versions", false, false, A, A, A, A, A, A},
    Operation{"importDirectory", "POST", "/v1/directory/versions", false, false, N, N, N, N, A, N},
    Operation{"listWorkflows", "GET", "/v1/workflows", false, false, A, A, A, A, A, A},
    Operation{"uploadWorkflow", "POST", "/v1/workflows", false, false, N, N, N, N, A, N},
    Operation{"readWorkflow", "GET", "/v1/workflows/{id}", false, false, A, A, A, A, A, A},
    Operation{"retireWorkflow", "POST", "/v1/workflows/{id}/retire", false, false, N, N, N, N, A, N},
    Operation{"reinstateWorkflow", "POST", "/v1/workflows/{id}/reinstate", false, false, N, N, N, N, A, N},
    Operation{"readOpenApi", "GET", "/v1/openapi.json", false, true,  A, A, A, A, A, A},
    Operation{"readAccessLog", "GET", "/v1/access-log", false, false, N, N, N, N, N, A},
    Operation{"readMetrics", "GET", "/metrics", false, false, N, N, N, N, A, A},
    Operation{"readHealth", "GET", "/healthz", false, true,  A, A, A, A, A, A},
    Operation{"readReadiness", "GET", "/readyz", false, true,  A, A, A, A, A, A},
};

}  // namespace

Grant Operation::of(Role role) const {
  switch (role) {
    case Role::kIntake: return intake;
    case Role::kHandler: return handler;
    case Role::kDispatcher: return dispatcher;
    case Role::kSupervisor: return supervisor;
    case Role::kAdministrator: return administrator;
    case Role::kAuditor: return auditor;
  }
  return Grant::kNone;
}

std::span<const Operation> operations() { return kOperations; }

const Operation* operation(std::string_view id) {
  const auto found = std::find_if(kOperations.begin(), kOperations.end(), [&](const Operation& o) { return o.id == id; });
  return found == kOperations.end() ? nullptr : &*found;
}

// Those who must reach the resident see who and where the resident is; those
// who oversee, administer or audit see the case without it.
const Operation* operation_at(std::string_view method, std::string_view path) {
  const std::string_view as = method == "HEAD" ? std::string_view("GET") : method;
  const auto found = std::find_if(kOperations.begin(), kOperations.end(),
                                  [&](const Operation& o) { return o.method == as && o.path == path; });
  return found == kOperations.end() ? nullptr : &*found;
}

std::string permissions_markdown() {
  std::string table = "| Operation | Route |";
  for (Role role : kAllRoles) table += " " + std::string(to_string(role)) + " |";
  table += "\n|---|---|";
  for (std::size_t i = 0; i < std::size(kAllRoles); ++i) table += "---|";
  table += "\n";
  for (const Operation& o : kOperations) {
    if (o.open) continue;
    table += "| `" + std::string(o.id) + "` | `" + std::string(o.method) + " " + std::string(o.path) + "` |";
    for (Role role : kAllRoles) table += " " + std::string(to_string(o.of(role))) + " |";
    table += "\n";
  }
  return table;
}

Sight sight_of(Role role) {
  switch (role) {
    case Role::kIntake:
    case Role::kHandler:
    case Role::kDispatcher: return Sight::kClear;
    case Role::kSupervisor:
    case Role::kAdministrator:
    case Role::kAuditor: return Sight::kMasked;
  }
  return Sight::kMasked;
}

std::string_view to_string(Grant grant) {
  switch (grant) {
    case Grant::kNone: return "—";
    case Grant::kAny: return "yes";
    case Grant::kHeld: return "held";
  }
  return "—";
}

}  // namespace escalator::access
