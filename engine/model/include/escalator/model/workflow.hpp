// The escalation rules a case follows, as data: which steps, who holds each,
// within what time. The lifecycle is fixed in code (docs/lifecycle.md); a
// workflow only answers the questions the lifecycle's guards ask ("is there a
// next step?", "reopens left?", "what is the accept deadline here?").
//
// Workflows are immutable once published: a case keeps the version it started
// on, so a catalog must keep every version a live case may still name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "escalator/model/case.hpp"
#include "escalator/util/result.hpp"
#include "escalator/util/time.hpp"

namespace escalator {

// Which cases a workflow takes. An empty list takes any; categories match by
// prefix at '/' boundaries ("物业" takes "物业/漏水").
struct WorkflowTakes {
  std::vector<std::string> categories;
  std::vector<RequestType> request_types;
  std::vector<Channel> channels;
  std::optional<bool> collective;

  bool takes(const CaseState& opened) const;
  // Whether some case could be taken by both.
  bool overlaps(const WorkflowTakes& other) const;
};

// Where a case goes when something happens at a step: the first branch whose
// `when` takes the case decides. `then` is "next" (the step above; at the last
// step, nowhere), "stay" (nowhere: a timeout marks the case overdue, an
// unresolved reply stands as the answer) or a step id of the workflow.
struct WorkflowBranch {
  WorkflowTakes when;
  std::string then;
};
using WorkflowRoute = std::vector<WorkflowBranch>;

// What a route is about.
enum class RouteTrigger : std::uint8_t { kAcceptTimeout, kResolveTimeout, kUnresolved };

// How long before each kind of deadline a 预逾期 (yellow) warning is raised;
// absent, that deadline gets none.
struct DeadlineWarnings {
  std::optional<Duration> accept;
  std::optional<Duration> resolve;
  std::optional<Duration> reply;
  std::optional<Duration> rating;
  std::optional<Duration> follow_up;

  const std::optional<Duration>& of(DeadlineKind kind) const;
};

// One rung of the ladder: "the property company of the compound", "the grid
// worker", "the street office".
struct WorkflowStep {
  std::string id;    // "property", "branch", "grid", ... unique in the workflow
  std::string name;  // "物业公司"
  Level level = Level::kCompound;
  std::string role;  // a role of the org directory at that level
  // Roles that hold the step, in order, where nobody holds `role` (nor the
  // directory's own fallback for it) for the case's place: each is looked for
  // at the step's level, then the levels above ("无物业小区由社区兜底").
  std::vector<std::string> fallback_roles;
  Duration accept_within;
  Duration resolve_within;
  // Empty routes take their defaults: timeouts go "next", an unresolved reply "stay"s.
  WorkflowRoute on_accept_timeout;
  WorkflowRoute on_resolve_timeout;
  WorkflowRoute on_unresolved;
  // An urge (催办) brings the step's running deadline forward to at most this
  // long from the urge; absent, urging changes no deadline.
  std::optional<Duration> urge_shortens_to;
  // Co-handling units (协办) the step brings in when the dispatcher names none:
  // the holders of these roles at these levels for the case's place.
  std::vector<std::pair<Level, std::string>> co_handler_roles;
  // Whether the lead may reply only once every co-handling unit has (会签).
  bool co_replies_required = false;
  // Warnings for this step's accept and resolve deadlines, in place of the workflow's.
  DeadlineWarnings warn_before;
};

struct Workflow {
  std::string id;
  int version = 1;
  std::string name;
  std::string description;
  int priority = 0;  // among workflows that take a case, the highest wins
  WorkflowTakes takes;
  std::string content_hash;  // SHA-256 of the file's canonical JSON: what makes a version
  std::string source;        // the file it was read from
  // The file's JSON as one line with its keys sorted: what content_hash is
  // the SHA-256 of, and what GET /v1/workflows/{id} answers with.
  std::string document;
  std::vector<WorkflowStep> steps;  // in escalation order; never empty
  Duration reply_within;            // from receipt to the answer owed to the resident
  Duration rating_within;           // from the follow-up to the rating
  int max_reopens = 2;
  // An unsatisfied rating once the reopens are used up: "stay" (the case
  // stays rated, for the dispatcher to close) or a step id it is reopened at,
  // once more, beyond the limit.
  std::string when_reopens_exhausted = "stay";
  bool follow_up_required = true;  // false: a case may close once answered
  // From the reply to the follow-up (回访) being asked; absent, no deadline.
  std::optional<Duration> follow_up_within;
  // What a follow-up nobody answered is recorded as.
  Rating no_answer_counts_as = Rating::kNoAnswer;
  // Warnings for every step's deadlines, unless the step says otherwise, and
  // for the reply and rating deadlines.
  DeadlineWarnings warn_before;

  // -1 when the workflow has no step of that id.
  int step_index(std::string_view step_id) const;
  // How long before the deadline of `kind` a case at `step` is warned; nullopt: no warning.
  std::optional<Duration> warning_before(int step, DeadlineKind kind) const;
  // The step a case at `step` moves to on `trigger`; nullopt when it stays.
  std::optional<int> route(int step, RouteTrigger trigger, const CaseState& k) const;
};

// Finds the workflow a new case follows, and any published version by id.
// Implementations must be thread-safe for concurrent readers; the returned
// pointers stay valid for the catalog's lifetime.
class WorkflowCatalog {
 public:
  virtual ~WorkflowCatalog() = default;
  // kNotFound when no workflow takes cases like this one.
  [[nodiscard]] virtual Result<const Workflow*> select(const CaseState& opened) const = 0;
  // kNotFound when that id and version were never published.
  [[nodiscard]] virtual Result<const Workflow*> find(const WorkflowRef& ref) const = 0;
  // Every version published, by id and then version, for those who list
  // them (GET /v1/workflows); this default: none known.
  virtual std::vector<const Workflow*> every_version() const { return {}; }
};

}  // namespace escalator
