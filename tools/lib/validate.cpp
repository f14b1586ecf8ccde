#include "validate.hpp"

#include <algorithm>
#include <iostream>

#include <nlohmann/json.hpp>

#include "command_line.hpp"
#include "escalator/org/org_directory.hpp"
#include "org_commands.hpp"

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

namespace {

constexpr const char* kValidateWhat = R"(Checks workflow files (a .json file, or every .json file in a directory) against
schemas/workflow.schema.json and then for meaning: step ids, the ladder, roles the org
directory holds, durations, and workflows that claim the same cases at one priority. Roles
are looked for in the directory the workflows will route by: --org FILE (JSON or CSV), or
the newest version a store holds (--data DIR, or version N of it); the sample directory
when neither is given. Prints every problem as FILE:LINE: POINTER: reason.)";

}  // namespace

int validate_command(const std::vector<std::string>& args, const Config&, std::ostream& out) {
  auto app = command_app("escalator validate", kValidateWhat, "Exits 1 if there is any problem.");
  std::vector<std::string> named;
  DirectoryChoice directory;
  bool json = false;
  app->add_option("FILE_OR_DIR", named, "workflow files, or directories of them")->required();
  directory.add_to(*app);
  add_json_flag(*app, json)->description("print {\"problems\": [{\"file\", \"line\", \"pointer\", \"reason\"}]}");
  if (auto done = parse_command_line(*app, args, out)) return *done;
  const auto chart = directory.chart();
  if (!chart) return 1;
  const std::vector<std::filesystem::path> paths(named.begin(), named.end());
  const auto problems = validate_workflows(paths, *chart);
  if (json) {
    auto listed = nlohmann::ordered_json::array();
    for (const auto& p : problems) {
      listed.push_back({{"file", p.file}, {"line", p.line}, {"pointer", p.pointer}, {"reason", p.reason}});
    }
    out << nlohmann::ordered_json{{"problems", listed}}.dump(2) << "\n";
    return problems.empty() ? 0 : 1;
  }
  for (const auto& p : problems) out << p.text() << "\n";
  out << count_of(problems.size(), "problem", "problems") << "\n";
  return problems.empty() ? 0 : 1;
}

int config_command(const std::vector<std::string>& args, const Config&, std::ostream& out) {
  auto app = command_app("escalator config", "The configuration file (docs/configuration.md).");
  app->require_subcommand(1);
  auto* check = app->add_subcommand(
      "check", "Checks FILE against the configuration schema and prints every error, naming the key. Exits 1 if "
               "there is any.");
  std::string file;
  check->add_option("FILE", file, "a configuration file")->required();
  if (auto done = parse_command_line(*app, args, out)) return *done;
  auto loaded = load_config(file);
  if (!loaded) {
    std::cerr << loaded.error().message << "\n";
    return 1;
  }
  out << file << ": valid\n";
  return 0;
}

}  // namespace escalator::tools
