// The workflows kept in a store (docs/workflows.md, "Versions"): every
// version ever published, numbered once and for all, and which workflows are
// retired, rebuilt from the store's WorkflowChanges; and the changes an
// administrator makes while cases run. A case names the version it was
// opened on, so every version stays readable after a restart, an upload or a
// retirement.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "escalator/model/workflow.hpp"
#include "escalator/org/directory.hpp"
#include "escalator/store/import_store.hpp"
#include "escalator/util/result.hpp"
#include "escalator/workflow/workflow_files.hpp"
#include "escalator/workflow/workflow_registry.hpp"

namespace escalator {

struct WorkflowsInForce {
  std::shared_ptr<WorkflowRegistry> registry;
  // A given workflow left out because an administrator uploaded a later
  // version of its id: one line each, for the log.
  std::vector<std::string> notes;
};

// The registry the store's changes make, with `given` (the release's
// workflows) taken in: a workflow of an id the store holds no version of is
// recorded with every version `given` holds, numbered as there; one whose
// latest version differs from the store's is recorded as the next version
// when the store's latest also came with a release ("shipped"), and left out
// with a note when an administrator uploaded it. `record` false, or a store
// that refuses the change (kFailedPrecondition: it keeps none, or is opened
// to read): taken into the registry only, numbered as recording would have. The store's errors;
// kDataLoss naming a stored version that no longer reads.
[[nodiscard]] Result<WorkflowsInForce> workflows_in_force(ImportStore& store, const WorkflowCatalog& given,
                                                          Timestamp now, bool record = true);

struct WorkflowUpload {
  std::vector<WorkflowProblem> problems;  // when there are any, nothing changed
  const Workflow* workflow = nullptr;     // the latest version of its id afterwards
  bool changed = false;                   // false: the same as the latest version, nothing stored
};

// Checks `text` as `escalator validate` checks a file, against `directory`,
// and against the registry's other workflows (conflict_of); when it has no
// problem and differs from its id's latest version, stores it as the next
// version, uploaded at `now`, then adds it to the registry. Cases opened
// after it are opened on it; open cases keep theirs. Callers make one change
// at a time. The store's errors as errors; the text's problems as the result's.
[[nodiscard]] Result<WorkflowUpload> upload_workflow(ImportStore& store, WorkflowRegistry& registry,
                                                     std::string_view text, const std::string& source,
                                                     const OrgDirectory& directory, Timestamp now);

// Retires `id` (it takes no new cases) or reinstates it, stored before the
// registry changes. false, and nothing stored, when it already was so.
// kNotFound when no version of `id` was published; reinstating,
// kFailedPrecondition when another workflow now takes some of the same cases
// at the same priority (the message names it). The store's errors.
[[nodiscard]] Result<bool> set_workflow_retired(ImportStore& store, WorkflowRegistry& registry,
                                                const std::string& id, bool retired, Timestamp now);

}  // namespace escalator
