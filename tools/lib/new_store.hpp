// Durable stores as the tools open them: a new one for the demo and simulate,
// which write their made-up cases only into stores of their own, never into a
// city's; an existing one for every tool that reads or adds to a city's.
#pragma once

#include <filesystem>
#include <memory>

#include "escalator/org/org_directory.hpp"
#include "escalator/store/store.hpp"

namespace escalator::tools {

// kFailedPrecondition when `path` exists; otherwise the new store (parents made).
[[nodiscard]] Result<std::shared_ptr<CaseStore>> open_new_store(const std::filesystem::path& path);

// The store at `path`, never created: a mistyped --data is an error, not a new empty store.
[[nodiscard]] Result<std::shared_ptr<CaseStore>> open_existing_store(const std::filesystem::path& path);

// The store at `path` to read: as open_existing_store opens it, or, when a
// running service has it open, as a reader beside it that sees what the
// service had written when it opened (DurableStoreOptions::read_only), which
// it says on stderr. Writes to it are refused.
[[nodiscard]] Result<std::shared_ptr<CaseStore>> open_store_to_read(const std::filesystem::path& path);

// The org directory the store routes by: its newest version, or the sample
// for a store that holds none yet (an engine stores it when it first opens).
[[nodiscard]] Result<std::shared_ptr<const OrgChart>> directory_of_store(const CaseStore& store);

// The shipped workflows (workflows/*.json, compiled in), checked against the
// sample directory: every workflow a case of a store served by
// `escalator serve` may name, for reading its deadlines as it counts them.
std::shared_ptr<const WorkflowCatalog> shipped_workflow_catalog();
// Every workflow version the store's cases may name: its workflow changes
// with the shipped workflows taken in, nothing written (workflows_in_force).
// The shipped ones alone when the store's changes cannot be read.
std::shared_ptr<const WorkflowCatalog> workflows_of_store(CaseStore& store);

}  // namespace escalator::tools
