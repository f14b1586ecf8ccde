#include "new_store.hpp"

#include <iostream>

#include "escalator/store/org_versions.hpp"
#include "escalator/store/workflows_in_force.hpp"
#include "escalator/workflow/workflow_registry.hpp"

namespace escalator::tools {

Result<std::shared_ptr<CaseStore>> open_new_store(const std::filesystem::path& path) {
  std::error_code error;
  if (std::filesystem::exists(path, error)) {
    return fail(ErrorCode::kFailedPrecondition, path.string() + " already exists; cases are written to a new store only");
  }
  std::filesystem::create_directories(path.parent_path(), error);
  DurableStoreOptions options;
  options.path = path;
  return open_durable_store(options);
}

Result<std::shared_ptr<CaseStore>> open_existing_store(const std::filesystem::path& path) {
  DurableStoreOptions options;
  options.path = path;
  options.create_if_missing = false;
  return open_durable_store(options);
}

Result<std::shared_ptr<CaseStore>> open_store_to_read(const std::filesystem::path& path) {
  auto store = open_existing_store(path);
  if (store || !in_use_elsewhere(store.error())) return store;
  DurableStoreOptions options;
  options.path = path;
  options.create_if_missing = false;
  options.read_only = true;
  auto beside = open_durable_store(options);
  if (beside) {
    std::cerr << "escalator: " << path.string()
              << " is open in a running service; reading what it had written a moment ago\n";
  }
  return beside;
}

Result<std::shared_ptr<const OrgChart>> directory_of_store(const CaseStore& store) {
  auto imports = store.org_imports();
  if (!imports) return tl::unexpected(imports.error());
  if (imports->empty()) return sample_directory();
  return stored_org_directory(store);
}

std::shared_ptr<const WorkflowCatalog> shipped_workflow_catalog() {
  static const std::shared_ptr<const WorkflowCatalog> kShipped = [] {
    auto registry = std::make_shared<WorkflowRegistry>();
    (void)registry->load_shipped(*sample_directory());  // checked by every build's tests
    return registry;
  }();
  return kShipped;
}

std::shared_ptr<const WorkflowCatalog> workflows_of_store(CaseStore& store) {
  const auto now = std::chrono::time_point_cast<Timestamp::duration>(std::chrono::system_clock::now());
  auto in_force = workflows_in_force(store, *shipped_workflow_catalog(), now, /*record=*/false);
  if (!in_force) return shipped_workflow_catalog();
  return in_force->registry;
}

}  // namespace escalator::tools
