// Workflows as administrators write them: JSON files under workflows/, checked
// against schemas/workflow.schema.json (compiled in) and then for meaning.
// docs/workflows.md is the format's reference. All functions are pure apart
// from reading files, and safe from any thread.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "escalator/org/directory.hpp"
#include "escalator/util/file_problem.hpp"
#include "escalator/model/workflow.hpp"

namespace escalator {

// One thing wrong with a workflow file (file_problem.hpp).
using WorkflowProblem = FileProblem;

struct WorkflowFile {
  std::optional<Workflow> workflow;  // present only when there are no problems
  std::vector<WorkflowProblem> problems;
};

// Checks the text against the schema, then its meaning: step ids unique,
// steps climbing the ladder, each step's role held at its level in the
// directory, durations that parse. Version 1 and the content hash are set; a
// registry assigns the real version.
WorkflowFile read_workflow(std::string_view text, const std::string& file, const OrgDirectory& directory);
// A workflow published before (a store's WorkflowChange), read as it was
// checked then: everything but its steps' roles, which were checked against
// the directory of its day. A case opened on it must stay decidable after
// the directory changes.
WorkflowFile read_published_workflow(std::string_view document, const std::string& source);
WorkflowFile load_workflow_file(const std::filesystem::path& file, const OrgDirectory& directory);

// What is wrong between workflows loaded together: two with one id, or two
// that could take the same case at the same priority.
std::vector<WorkflowProblem> check_workflow_set(const std::vector<Workflow>& workflows);

}  // namespace escalator
