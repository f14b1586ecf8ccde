// The org directory kept in a store, versioned (docs/directory.md,
// "Versions"): each import that changes something is the next version; a
// record is stored once and held from the version that wrote it to the one
// that replaced or removed it, never copied whole per version. Each dispatch
// names the version it was routed by, so an auditor can rebuild exactly the
// directory that decided it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "escalator/util/file_problem.hpp"
#include "escalator/org/org_directory.hpp"
#include "escalator/store/import_store.hpp"

namespace escalator {

struct OrgImportResult {
  std::vector<FileProblem> problems;  // the file's; when there are any, nothing was stored
  std::optional<OrgImport> stored;    // the version stored; none when refused or when nothing changed
  std::uint64_t in_force = 0;         // the store's newest version afterwards
  bool converted_from_gb18030 = false;  // a CSV that was not UTF-8, read as GB18030 (GBK)
};

// Reads `text` as an org directory file in `format` and, when it has no problem and
// differs from the store's newest version, stores it as the next version,
// named `source`, at `now`. The store's errors (kFailedPrecondition from a
// store that keeps no imports, kUnavailable, kDataLoss) as errors; a file's
// problems as the result's.
[[nodiscard]] Result<OrgImportResult> import_org_directory(ImportStore& store, std::string_view text,
                                                           const std::string& source, Timestamp now,
                                                           OrgFileFormat format = OrgFileFormat::kJson);

// The directory as version `version` of the store has it (0: the newest),
// its version() that version. kNotFound when the store holds no such version;
// kDataLoss when its records do not rebuild what was imported (the digest
// differs) or no longer read as a directory.
[[nodiscard]] Result<std::shared_ptr<const OrgChart>> stored_org_directory(const ImportStore& store,
                                                                           std::uint64_t version = 0);

// Version `version` (0: the newest) as a directory file, JSON, each list in
// the order of its ids: what `escalator org export --data` writes. Errors as
// stored_org_directory's, but a file that no longer reads is returned as is.
[[nodiscard]] Result<std::string> stored_org_directory_file(const ImportStore& store, std::uint64_t version = 0);

// The directory an engine routes by when its embedder names none: the
// store's newest version; when the store holds none yet, `first_file` (JSON or
// CSV, the configuration's org_file) or else the sample directory
// (sample_directory(), org_directory.hpp), imported as version 1 at `now` so that dispatches name a
// version. A store that keeps no imports gets it unversioned. A first file
// with problems is kInvalidArgument listing them all, and nothing is stored.
[[nodiscard]] Result<std::shared_ptr<const OrgChart>> directory_in_force(ImportStore& store, Timestamp now,
                                                                         const std::filesystem::path& first_file = {});

}  // namespace escalator
