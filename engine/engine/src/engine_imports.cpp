// Engine's imports while cases run: stored first, then put in force whole,
// between two commands' reads of what they are decided with.
#include "engine_impl.hpp"

namespace escalator {

Result<OrgImportResult> Engine::import_directory(std::string_view text, const std::string& source,
                                                 OrgFileFormat format) {
  if (!impl_->directory_from_store) {
    return fail(ErrorCode::kFailedPrecondition,
                "this engine routes by the directory its embedder gave (EngineOptions::directory), which an import "
                "does not replace");
  }
  std::lock_guard lock(impl_->directory_import_mutex);
  auto& store = *impl_->options.store;
  auto imported = import_org_directory(store, text, source, impl_->options.clock->now(), format);
  if (!imported || !imported->stored) return imported;
  auto newest = stored_org_directory(store);
  if (!newest) return tl::unexpected(newest.error());
  {
    std::lock_guard in_force(impl_->in_force_mutex);
    impl_->options.directory = std::move(*newest);
  }
  if (impl_->options.logger) {
    const std::string version = std::to_string(imported->stored->version);
    impl_->options.logger->log({LogLevel::kInfo, "directory imported", "", {{"version", version}, {"source", source}}});
  }
  return imported;
}

Result<std::vector<OrgImport>> Engine::directory_imports() const { return impl_->options.store->org_imports(); }

}  // namespace escalator
