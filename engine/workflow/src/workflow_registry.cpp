#include "escalator/workflow/workflow_registry.hpp"

#include <algorithm>
#include <mutex>

#include "embedded.hpp"

namespace escalator {

Result<WorkflowRef> WorkflowRegistry::publish(Workflow workflow) {
  std::vector<Workflow> one;
  one.push_back(std::move(workflow));
  auto refs = publish_all(std::move(one));
  if (!refs) return tl::unexpected(refs.error());
  return refs->front();
}

Result<std::vector<WorkflowRef>> WorkflowRegistry::publish_all(std::vector<Workflow> workflows) {
  std::unique_lock lock(mutex_);
  // What the catalog would take cases by: the new set, and the latest version
  // of every workflow it does not replace.
  std::vector<const Workflow*> after;
  for (const auto& w : workflows) after.push_back(&w);
  for (const auto& entry : versions_) {
    // Not a structured binding: clang 14, which builds the fuzz targets, cannot capture one.
    const auto& versions = entry.second;
    const bool replaced =
        std::any_of(workflows.begin(), workflows.end(), [&](const Workflow& w) { return w.id == entry.first; });
    if (!replaced && !versions.empty()) after.push_back(versions.back().get());
  }
  for (std::size_t i = 0; i < workflows.size(); ++i) {
    for (const Workflow* other : after) {
      const Workflow& w = workflows[i];
      if (other == &w) continue;
      if (other->id == w.id) {
        return fail(ErrorCode::kInvalidArgument, "Expected one workflow with id " + w.id + ", but " + w.source +
                                                     " and " + other->source + " both have it");
      }
      if (other->priority == w.priority && other->takes.overlaps(w.takes)) {
        return fail(ErrorCode::kInvalidArgument,
                    "Expected workflow " + w.id + " to take cases no other workflow takes at priority " +
                        std::to_string(w.priority) + ", but " + other->id + " (" + other->source +
                        ") takes some of the same");
      }
    }
  }
  std::vector<WorkflowRef> refs;
  for (auto& w : workflows) {
    auto& versions = versions_[w.id];
    if (versions.empty() || versions.back()->content_hash != w.content_hash || w.content_hash.empty()) {
      w.version = versions.empty() ? 1 : versions.back()->version + 1;
      versions.push_back(std::make_unique<const Workflow>(std::move(w)));
    }
    refs.push_back(WorkflowRef{versions.back()->id, versions.back()->version});
  }
  return refs;
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
  std::vector<WorkflowFile> loaded;
  for (const auto& file : files) loaded.push_back(load_workflow_file(file, directory));
  return publish_read(std::move(loaded), dir.string());
}

std::vector<WorkflowProblem> WorkflowRegistry::load_shipped(const OrgDirectory& directory) {
  std::vector<WorkflowFile> read;
  for (const auto& file : embedded::workflows()) {
    read.push_back(read_workflow(file.text, std::string(file.source), directory));
  }
  return publish_read(std::move(read), "workflows");
}

std::vector<WorkflowProblem> WorkflowRegistry::publish_read(std::vector<WorkflowFile> files,
                                                            const std::string& where) {
  std::vector<WorkflowProblem> problems;
  std::vector<Workflow> read;
  for (auto& file : files) {
    problems.insert(problems.end(), file.problems.begin(), file.problems.end());
    if (file.workflow) read.push_back(std::move(*file.workflow));
  }
  const auto between = check_workflow_set(read);
  problems.insert(problems.end(), between.begin(), between.end());
  if (!problems.empty()) return problems;
  if (auto published = publish_all(std::move(read)); !published) {
    problems.push_back({where, 1, "", published.error().message});
  }
  return problems;
}

Result<const Workflow*> WorkflowRegistry::select(const CaseState& opened) const {
  std::shared_lock lock(mutex_);
  const Workflow* best = nullptr;
  for (const auto& [id, versions] : versions_) {
    if (retired_.contains(id)) continue;
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

Result<void> WorkflowRegistry::restore(Workflow workflow) {
  std::unique_lock lock(mutex_);
  auto& versions = versions_[workflow.id];
  if (!versions.empty() && versions.back()->version >= workflow.version) {
    return fail(ErrorCode::kInvalidArgument, "workflow " + workflow.id + " version " +
                                                 std::to_string(workflow.version) + " comes after version " +
                                                 std::to_string(versions.back()->version));
  }
  versions.push_back(std::make_unique<const Workflow>(std::move(workflow)));
  return {};
}

void WorkflowRegistry::set_retired(const std::string& id, bool retired) {
  std::unique_lock lock(mutex_);
  if (retired) {
    retired_.insert(id);
  } else {
    retired_.erase(id);
  }
}

bool WorkflowRegistry::retired(const std::string& id) const {
  std::shared_lock lock(mutex_);
  return retired_.contains(id);
}

std::optional<std::string> WorkflowRegistry::conflict_of(const Workflow& workflow) const {
  std::shared_lock lock(mutex_);
  for (const auto& [id, versions] : versions_) {
    if (id == workflow.id || retired_.contains(id)) continue;
    const Workflow& other = *versions.back();
    if (other.priority == workflow.priority && other.takes.overlaps(workflow.takes)) {
      return "takes cases that workflow " + other.id + " (version " + std::to_string(other.version) +
             ") takes too, at the same priority " + std::to_string(other.priority) +
             ": give one of them a higher priority, or retire " + other.id;
    }
  }
  return std::nullopt;
}

const Workflow* WorkflowRegistry::latest_of(const std::string& id) const {
  std::shared_lock lock(mutex_);
  auto it = versions_.find(id);
  return it == versions_.end() || it->second.empty() ? nullptr : it->second.back().get();
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

std::vector<const Workflow*> WorkflowRegistry::every_version() const {
  std::shared_lock lock(mutex_);
  std::vector<const Workflow*> all;
  for (const auto& [id, versions] : versions_) {
    for (const auto& version : versions) all.push_back(version.get());
  }
  return all;
}

std::vector<const Workflow*> WorkflowRegistry::latest() const {
  std::shared_lock lock(mutex_);
  std::vector<const Workflow*> all;
  for (const auto& [id, versions] : versions_) all.push_back(versions.back().get());
  return all;
}

}  // namespace escalator
