// What administrators import into a store: calendar notices and versions of
// the org directory, each kept in the order imported, durably. A store that
// keeps none says so: these defaults hold nothing and refuse additions.
// Thread safety: implementations must be safe for concurrent use.
#pragma once

#include <cstdint>
#include <span>
#include <string>
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
};

}  // namespace escalator
