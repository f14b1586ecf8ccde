#include "escalator/workflow_registry.hpp"

#include <algorithm>
#include <mutex>

namespace escalator {

Result<WorkflowRef> WorkflowRegistry::publish(Workflow workflow) {
  std::unique_lock lock(mutex_);
  auto& versions = versions_[workflow.id];
  if (!versions.empty() && versions.back()->content_hash == workflow.content_hash) {
    return WorkflowRef{workflow.id, versions.back()->version};
  }
  for (const auto& [id, others] : versions_) {
    if (id == workflow.id || others.empty()) continue;
    const Workflow& other = *others.back();
    if (other.priority == workflow.priority && other.takes.overlaps(workflow.takes)) {
      if (versions.empty()) versions_.erase(workflow.id);
      return fail(ErrorCode::kInvalidArgument,
                  "Expected workflow " + workflow.id + " to take cases no other workflow takes at priority " +
                      std::to_string(workflow.priority) + ", but " + other.id + " (" + other.source +
                      ") takes some of the same");
    }
  }
  workflow.version = versions.empty() ? 1 : versions.back()->version + 1;
  versions.push_back(std::make_unique<const Workflow>(std::move(workflow)));
  return WorkflowRef{versions.back()->id, versions.back()->version};
}

std::vector<WorkflowProblem> WorkflowRegistry::load_directory(const std::filesystem::path& dir,
                                                              const OrgDirectory& directory) {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  if (error) return {{dir.string(), 1, "", "cannot be read: " + error.message()}};
  std::sort(files.begin(), files.end());
  std::vector<WorkflowProblem> problems;
  std::vector<Workflow> read;
  for (const auto& file : files) {
    auto loaded = load_workflow_file(file, directory);
    problems.insert(problems.end(), loaded.problems.begin(), loaded.problems.end());
    if (loaded.workflow) read.push_back(std::move(*loaded.workflow));
  }
  const auto between = check_workflow_set(read);
  problems.insert(problems.end(), between.begin(), between.end());
  if (!between.empty()) return problems;
  for (auto& w : read) {
    const std::string source = w.source;
    if (auto published = publish(std::move(w)); !published) {
      problems.push_back({source, 1, "/takes", published.error().message});
    }
  }
  return problems;
}

Result<const Workflow*> WorkflowRegistry::select(const CaseState& opened) const {
  std::shared_lock lock(mutex_);
  const Workflow* best = nullptr;
  for (const auto& [id, versions] : versions_) {
    const Workflow* latest = versions.back().get();
    if (latest->takes.takes(opened) && (!best || latest->priority > best->priority)) best = latest;
  }
  if (!best) {
    return fail(ErrorCode::kNotFound, "No workflow takes cases of category '" + opened.category + "', type " +
                                          std::string(to_string(opened.request_type)) + ", channel " +
                                          std::string(to_string(opened.channel)));
  }
  return best;
}

Result<const Workflow*> WorkflowRegistry::find(const WorkflowRef& ref) const {
  std::shared_lock lock(mutex_);
  if (auto it = versions_.find(ref.id); it != versions_.end()) {
    for (const auto& w : it->second) {
      if (w->version == ref.version) return w.get();
    }
  }
  return fail(ErrorCode::kNotFound, "No workflow " + ref.id + " version " + std::to_string(ref.version));
}

std::vector<const Workflow*> WorkflowRegistry::latest() const {
  std::shared_lock lock(mutex_);
  std::vector<const Workflow*> all;
  for (const auto& [id, versions] : versions_) all.push_back(versions.back().get());
  return all;
}

}  // namespace escalator
