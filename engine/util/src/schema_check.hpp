// Checking a JSON document against a JSON Schema with valijson, and saying
// what is wrong in plain words: each problem names the value by its JSON
// pointer (RFC 6901) and says what was expected and what was found. Used for
// the configuration file and for workflow files. Nothing thrown by
// nlohmann::json or valijson leaves here.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "escalator/util/result.hpp"

namespace escalator {

struct SchemaProblem {
  std::string pointer;  // "/limits/shards"; empty for the document itself
  std::string reason;   // "must be at least 1, but is 0"
};

class JsonSchema {
 public:
  // Parses the schema once; a broken schema is reported by error(), a build bug.
  explicit JsonSchema(std::string_view schema_text);
  ~JsonSchema();
  const std::string& error() const { return error_; }
  // Every problem, sorted by pointer; empty when the document is valid.
  // Thread-safe: the parsed schema is only read.
  std::vector<SchemaProblem> check(const nlohmann::json& doc) const;

 private:
  struct Parsed;
  std::unique_ptr<Parsed> parsed_;
  std::string error_;
};

// One key as a JSON pointer's token (RFC 6901): '~' and '/' escaped.
std::string pointer_token(std::string_view key);

// Parses JSON text. kInvalidArgument "invalid JSON at byte 53: line 3, column
// 27: syntax error ..." when it is not JSON.
[[nodiscard]] Result<nlohmann::json> parse_json_text(std::string_view text);

}  // namespace escalator
