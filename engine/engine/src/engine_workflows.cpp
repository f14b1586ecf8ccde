// Engine's changes to its workflows while cases run: each stored before the
// registry that cases are opened on changes, one at a time.
#include "engine_impl.hpp"

namespace escalator {
namespace {

Result<void> takes_changes(const std::shared_ptr<WorkflowRegistry>& registry) {
  if (registry) return {};
  return fail(ErrorCode::kFailedPrecondition,
              "this engine's workflows come from a catalog that lists no versions, so they take no changes");
}

}  // namespace

Result<WorkflowUpload> Engine::publish_workflow(std::string_view text, const std::string& source) {
  auto& registry = impl_->workflow_registry;
  if (auto taken = takes_changes(registry); !taken) return tl::unexpected(taken.error());
  std::lock_guard lock(impl_->workflow_changes_mutex);
  return upload_workflow(*impl_->options.store, *registry, text, source, *impl_->directory_now(),
                         impl_->options.clock->now());
}

Result<bool> Engine::set_workflow_retired(const std::string& id, bool retired) {
  auto& registry = impl_->workflow_registry;
  if (auto taken = takes_changes(registry); !taken) return tl::unexpected(taken.error());
  std::lock_guard lock(impl_->workflow_changes_mutex);
  return escalator::set_workflow_retired(*impl_->options.store, *registry, id, retired, impl_->options.clock->now());
}

bool Engine::workflow_retired(const std::string& id) const {
  return impl_->workflow_registry && impl_->workflow_registry->retired(id);
}

Result<std::vector<WorkflowChange>> Engine::workflow_changes() const { return impl_->options.store->workflow_changes(); }

}  // namespace escalator
