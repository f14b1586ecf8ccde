#include "validate.hpp"

#include <algorithm>

#include "escalator/org/org_directory.hpp"

namespace escalator::tools {

std::vector<WorkflowProblem> validate_workflows(const std::vector<std::filesystem::path>& paths,
                                                const OrgDirectory& directory) {
  std::vector<std::filesystem::path> files;
  std::vector<WorkflowProblem> problems;
  for (const auto& path : paths) {
    std::error_code error;
    if (!std::filesystem::is_directory(path, error)) {
      files.push_back(path);
      continue;
    }
    const auto before = files.size();
    for (std::filesystem::directory_iterator it(path, error), end; !error && it != end; it.increment(error)) {
      if (it->path().extension() == ".json") files.push_back(it->path());
    }
    if (error) {
      problems.push_back({path.string(), 1, "", "cannot be read: " + error.message()});
    } else if (files.size() == before) {
      problems.push_back({path.string(), 1, "", "holds no workflow (.json) file"});
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<Workflow> read;
  for (const auto& file : files) {
    auto loaded = load_workflow_file(file, directory);
    problems.insert(problems.end(), loaded.problems.begin(), loaded.problems.end());
    if (loaded.workflow) read.push_back(std::move(*loaded.workflow));
  }
  const auto between = check_workflow_set(read);
  problems.insert(problems.end(), between.begin(), between.end());
  return problems;
}

std::vector<WorkflowProblem> validate_workflows(const std::vector<std::filesystem::path>& paths) {
  return validate_workflows(paths, *sample_directory());
}

}  // namespace escalator::tools
