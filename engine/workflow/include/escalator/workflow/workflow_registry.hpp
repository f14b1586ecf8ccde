// The workflows an engine runs on, with every version a case may still name.
// Publishing a workflow whose content differs from its latest version makes a
// new version; a case keeps the version it was opened with (its events name
// it). Thread-safe: publish may run while cases are decided; pointers handed
// out stay valid for the registry's lifetime.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <shared_mutex>
#include <vector>

#include "escalator/model/workflow.hpp"
#include "escalator/workflow/workflow_files.hpp"

namespace escalator {

class WorkflowRegistry final : public WorkflowCatalog {
 public:
  // Adds the workflow as the next version of its id, or returns the latest
  // version's ref unchanged when the content hash is the same. kInvalidArgument
  // when, as published, it would take the same cases as another workflow at
  // the same priority (the message names both).
  [[nodiscard]] Result<WorkflowRef> publish(Workflow workflow);
  // Publishes a set at once, all or none, judging overlaps against the set
  // itself and the workflows it does not replace: two workflows may swap
  // priorities in one reload. Readers see the catalog before or after, never
  // half of it.
  [[nodiscard]] Result<std::vector<WorkflowRef>> publish_all(std::vector<Workflow> workflows);

  // Reads every *.json file in `dir` and, when none has a problem, publishes
  // them as one set (publish_all). Returns every problem found.
  std::vector<WorkflowProblem> load_directory(const std::filesystem::path& dir, const OrgDirectory& directory);
  // The same for the shipped workflows (workflows/*.json), compiled in, so
  // that a tool run outside the repository knows them.
  std::vector<WorkflowProblem> load_shipped(const OrgDirectory& directory);

  // The latest version of the highest-priority workflow that takes the case.
  // kNotFound naming the case's category, type and channel when none does.
  [[nodiscard]] Result<const Workflow*> select(const CaseState& opened) const override;
  [[nodiscard]] Result<const Workflow*> find(const WorkflowRef& ref) const override;
  // The latest version of each workflow, by id.
  std::vector<const Workflow*> latest() const;
  std::vector<const Workflow*> every_version() const override;

 private:
  // Publishes the files read as one set when none has a problem.
  std::vector<WorkflowProblem> publish_read(std::vector<WorkflowFile> files, const std::string& where);

  mutable std::shared_mutex mutex_;
  std::map<std::string, std::vector<std::unique_ptr<const Workflow>>> versions_;
};

// The shipped workflow, workflows/property-first.json compiled in, checked
// against the sample directory: "property-first" v1, 物业公司 → 小区党支部 →
// 网格 → 社区 → 街道 → 区. Immutable, safe from any thread.
std::shared_ptr<const WorkflowCatalog> builtin_workflows();

}  // namespace escalator
