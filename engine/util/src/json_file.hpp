// Reading a JSON file an administrator wrote (a workflow, an org directory):
// the text parsed, checked against its schema, and every problem found after
// that located by line and JSON pointer (file_problem.hpp).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "escalator/util/file_problem.hpp"
#include "schema_check.hpp"

namespace escalator {

class JsonFile {
 public:
  // Parses `text` (a UTF-8 byte-order mark skipped) and checks it against
  // `schema`; doc() is null when either fails, and problems() say why.
  JsonFile(std::string_view text, std::string file, const JsonSchema& schema);

  const nlohmann::json* doc() const { return doc_ ? &*doc_ : nullptr; }
  const std::string& file() const { return file_; }
  void problem(const std::string& pointer, const std::string& reason);
  std::vector<FileProblem>& problems() { return problems_; }

 private:
  std::string file_;
  std::string text_;  // kept to locate problems: lines are found only once there is one
  std::optional<std::map<std::string, int>> lines_;
  std::optional<nlohmann::json> doc_;
  std::vector<FileProblem> problems_;
  ProblemCap cap_;
};

// The file's text; nullopt when it cannot be read.
std::optional<std::string> read_text_file(const std::string& path);

}  // namespace escalator
