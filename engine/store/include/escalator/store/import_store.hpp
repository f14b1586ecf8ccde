// What administrators import into a store: calendar notices, versions of the
// org directory and changes to the workflows, each kept in the order made,
// durably. A store that
// keeps none says so: these defaults hold nothing and refuse additions.
// Thread safety: implementations must be safe for concurrent use.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "escalator/calendar/official_calendar.hpp"
#include "escalator/util/result.hpp"
#include "escalator/util/time.hpp"

namespace escalator {

// One import of the org directory into a store (docs/directory.md,
// "Versions"): version 1, 2, … in the order imported.
struct OrgImport {
  std::uint64_t version = 0;
  Timestamp imported_at{};
  std::string source;  // the file's name, or "sample" for the one compiled in
  std::string name;    // the directory's own name
  // SHA-256 (lowercase hex) of the directory at this version, as canonical
  // JSON (RFC 8785) rebuilt from its records: what loading it checks.
  std::string digest;
  std::uint64_t added = 0;    // records new in this version
  std::uint64_t changed = 0;  // records this version replaced with others under the same key
  std::uint64_t removed = 0;  // records this version no longer holds

  friend bool operator==(const OrgImport&, const OrgImport&) = default;
};

// One record of the stored org directory: a place, unit, role, person,
// address entry or the name, as canonical JSON, under a key that names it
// ("unit/heping-li.property"). Records are never copied whole per version:
// each is held from the version that wrote it (`since`) to the one that
// replaced or removed it (`until`; 0 while it still holds).
struct StoredOrgRecord {
  std::string key;
  std::uint64_t since = 0;
  std::uint64_t until = 0;
  std::string json;

  friend bool operator==(const StoredOrgRecord&, const StoredOrgRecord&) = default;
};

// One change to the workflows cases are opened on (docs/workflows.md,
// "Versions"): a version published, or a workflow retired or reinstated.
// Changes are numbered 1, 2, … in the order made and never rewritten, so the
// catalog of any moment can be rebuilt and every version a case names stays
// readable.
struct WorkflowChange {
  enum class Kind : std::uint8_t { kPublished, kRetired, kReinstated };
  std::uint64_t number = 0;
  Kind kind = Kind::kPublished;
  Timestamp at{};
  std::string workflow_id;
  // kPublished: the version it made; otherwise the latest version then.
  int workflow_version = 0;
  // kPublished: "shipped" for a workflow the release carries, recorded the
  // first time an engine opened the store with it; "uploaded" for one an
  // administrator sent (POST /v1/workflows).
  std::string origin;
  std::string source;    // kPublished: the file or upload it was read from
  std::string document;  // kPublished: the workflow's JSON, keys sorted (Workflow::document)

  friend bool operator==(const WorkflowChange&, const WorkflowChange&) = default;
};
std::string_view to_string(WorkflowChange::Kind kind);

class ImportStore {
 public:
  virtual ~ImportStore() = default;

  // Calendar imports, oldest first.
  [[nodiscard]] virtual Result<std::vector<CalendarImport>> calendar_imports() const {
    return std::vector<CalendarImport>{};
  }
  // Adds an import, durably. kFailedPrecondition when its version is not the
  // last one's plus one, or the store cannot keep imports.
  [[nodiscard]] virtual Result<void> add_calendar_import(const CalendarImport&) {
    return fail(ErrorCode::kFailedPrecondition, "this store cannot keep calendar imports");
  }
  // The newest import whose recomputation of running deadlines has finished
  // (0: none), and recording it, durably.
  [[nodiscard]] virtual Result<std::uint64_t> calendar_applied() const { return std::uint64_t{0}; }
  [[nodiscard]] virtual Result<void> set_calendar_applied(std::uint64_t) { return {}; }

  // Org directory imports, oldest first, and every record any of them wrote,
  // by key then since.
  [[nodiscard]] virtual Result<std::vector<OrgImport>> org_imports() const { return std::vector<OrgImport>{}; }
  [[nodiscard]] virtual Result<std::vector<StoredOrgRecord>> org_records() const {
    return std::vector<StoredOrgRecord>{};
  }
  // Adds an import with the records it writes (new ones, and old ones now
  // given their `until`), durably and all at once. kFailedPrecondition when
  // its version is not the last one's plus one, or the store cannot keep imports.
  [[nodiscard]] virtual Result<void> add_org_import(const OrgImport&, std::span<const StoredOrgRecord>) {
    return fail(ErrorCode::kFailedPrecondition, "this store cannot keep org directory imports");
  }

  // Changes to the workflows, oldest first.
  [[nodiscard]] virtual Result<std::vector<WorkflowChange>> workflow_changes() const {
    return std::vector<WorkflowChange>{};
  }
  // Adds a change, durably. kFailedPrecondition when its number is not the
  // last one's plus one, or the store cannot keep workflow changes.
  [[nodiscard]] virtual Result<void> add_workflow_change(const WorkflowChange&) {
    return fail(ErrorCode::kFailedPrecondition, "this store cannot keep workflow changes");
  }
};

}  // namespace escalator
