#include "validate.hpp"

#include <algorithm>

#include "escalator/standins.hpp"

namespace escalator::tools {

std::vector<WorkflowProblem> validate_workflows(const std::vector<std::filesystem::path>& paths) {
  std::vector<std::filesystem::path> files;
  for (const auto& path : paths) {
    if (std::filesystem::is_directory(path)) {
      for (const auto& entry : std::filesystem::directory_iterator(path)) {
        if (entry.path().extension() == ".json") files.push_back(entry.path());
      }
    } else {
      files.push_back(path);
    }
  }
  std::sort(files.begin(), files.end());
  const auto directory = sample_directory();
  std::vector<WorkflowProblem> problems;
  std::vector<Workflow> read;
  for (const auto& file : files) {
    auto loaded = load_workflow_file(file, *directory);
    problems.insert(problems.end(), loaded.problems.begin(), loaded.problems.end());
    if (loaded.workflow) read.push_back(std::move(*loaded.workflow));
  }
  const auto between = check_workflow_set(read);
  problems.insert(problems.end(), between.begin(), between.end());
  return problems;
}

}  // namespace escalator::tools
