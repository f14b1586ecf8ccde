// The workflows an engine runs on, with every version a case may still name.
// Publishing a workflow whose content differs from its latest version makes a
// new version; a case keeps the version it was opened with (its events name
// it). Thread-safe: publish may run while cases are decided; pointers handed
// out stay valid for the registry's lifetime.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
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

  // Adds a version as it was numbered when first published (a store's
  // changes, replayed): kInvalidArgument unless its version is above every
  // version of its id the registry holds. Overlaps are not judged again.
  [[nodiscard]] Result<void> restore(Workflow workflow);
  // A retired workflow takes no new cases; the cases on it go on by it.
  void set_retired(const std::string& id, bool retired);
  bool retired(const std::string& id) const;
  // What keeps `workflow` from being published as the latest of its id: a
  // workflow of another id, not retired, at the same priority, that takes
  // some of the same cases (the message names it). Empty when nothing does.
  std::optional<std::string> conflict_of(const Workflow& workflow) const;
  // The latest version of `id`; null when none was published.
  const Workflow* latest_of(const std::string& id) const;

  // The latest version of the highest-priority workflow, not retired, that
  // takes the case. kNotFound naming the case's category, type and channel
  // when none does.
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
  std::set<std::string> retired_;
};

// The shipped workflow, workflows/property-first.json compiled in, checked
// against the sample directory: "property-first" v1, 物业公司 → 小区党支部 →
// 网格 → 社区 → 街道 → 区. Immutable, safe from any thread.
std::shared_ptr<const WorkflowCatalog> builtin_workflows();

}  // namespace escalator
