// Reading the configuration file: checked against the compiled-in schema
// (schema_check.hpp words each problem with its JSON pointer), then read into
// Config. Nothing thrown by nlohmann::json leaves this file.
#include <algorithm>
#include <cerrno>
#include <exception>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "escalator/engine/config.hpp"
#include "schema_check.hpp"

namespace escalator {
namespace {

using Json = nlohmann::json;

const JsonSchema& schema() {
  static const JsonSchema compiled(config_schema());
  return compiled;
}

// The schema has checked every key and its range.
void read_formulas(const Json& stats, stats::Formulas& f) {
  const auto read = [](const Json& object, const char* key, auto& into) {
    if (object.contains(key)) into = object[key].get<std::remove_reference_t<decltype(into)>>();
  };
  if (stats.contains("resolution_weights")) {
    const Json& w = stats["resolution_weights"];
    read(w, "resolved", f.resolved);
    read(w, "partly_resolved", f.partly_resolved);
    read(w, "unresolved", f.unresolved);
  }
  if (stats.contains("satisfaction_weights")) {
    const Json& w = stats["satisfaction_weights"];
    read(w, "satisfied", f.satisfied);
    read(w, "basically_satisfied", f.basically_satisfied);
    read(w, "unsatisfied", f.unsatisfied);
  }
  read(stats, "no_answer_is_valid", f.no_answer_is_valid);
  read(stats, "withdrawn_excluded", f.withdrawn_excluded);
  read(stats, "merged_excluded", f.merged_excluded);
  read(stats, "repeat_window_days", f.repeat_window_days);
}

Result<Config> to_config(const Json& doc) {
  Config config;
  if (doc.contains("data_dir")) config.data_dir = doc["data_dir"].get<std::string>();
  if (doc.contains("backup_dir")) config.backup_dir = doc["backup_dir"].get<std::string>();
  if (doc.contains("log_level")) {
    const auto level = parse_log_level(doc["log_level"].get<std::string>());
    if (!level) return fail(ErrorCode::kInvalidArgument, "/log_level: " + level.error().message);
    config.log_level = *level;
  }
  if (doc.contains("limits")) {
    const Json& limits = doc["limits"];
    const auto read = [&](const char* key, int& into) {
      if (limits.contains(key)) into = limits[key].get<int>();
    };
    read("worker_threads", config.limits.worker_threads);
    read("shards", config.limits.shards);
    read("max_text_bytes", config.limits.max_text_bytes);
    read("max_co_handlers", config.limits.max_co_handlers);
    read("cached_cases", config.limits.cached_cases);
    read("timers_at_once", config.limits.timers_at_once);
  }
  if (doc.contains("calendar") && doc["calendar"].contains("working_hours")) {
    auto hours = parse_working_hours(doc["calendar"]["working_hours"].get<std::vector<std::string>>());
    if (!hours) return fail(ErrorCode::kInvalidArgument, "/calendar/" + hours.error().message);
    config.working_hours = std::move(*hours);
  }
  if (doc.contains("stats")) read_formulas(doc["stats"], config.stats);
  if (doc.contains("org_file")) config.org_file = doc["org_file"].get<std::string>();
  if (doc.contains("secret_files")) {
    for (const auto& [name, path] : doc["secret_files"].items()) {
      config.secret_files[name] = path.get<std::string>();
    }
  }
  return config;
}

Result<Config> parse_and_validate(std::string_view json_text) {
  auto doc = parse_json_text(json_text);
  if (!doc) return fail(ErrorCode::kInvalidArgument, "config: " + doc.error().message);
  const auto problems = schema().check(*doc);
  if (problems.empty()) return to_config(*doc);
  std::string message;
  for (const SchemaProblem& p : problems) {
    if (!message.empty()) message += '\n';
    message += (p.pointer.empty() ? std::string("config") : p.pointer) + ": " + p.reason;
  }
  return fail(ErrorCode::kInvalidArgument, std::move(message));
}

Result<std::string> read_file(const std::filesystem::path& file) {
  const auto cannot = [&](const std::string& why) -> Result<std::string> {
    return fail(ErrorCode::kNotFound,
                "Cannot read configuration file " + file.string() + ": " + why);
  };
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) return cannot("it is a directory");
  errno = 0;
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    const int err = errno;
    return cannot(err != 0 ? std::generic_category().message(err) : "it cannot be opened");
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return cannot("reading failed");
  return text.str();
}

}  // namespace

Result<Config> parse_config(std::string_view json_text) {
  try {
    return parse_and_validate(json_text);
  } catch (const std::exception& e) {
    return fail(ErrorCode::kInternal, std::string("config: ") + e.what());
  }
}

Result<Config> load_config(const std::filesystem::path& file) {
  try {
    const Result<std::string> text = read_file(file);
    if (!text) return tl::unexpected(text.error());
    Result<Config> config = parse_config(*text);
    if (!config) {
      // Name the file on every line: an operator may be juggling several.
      std::string message;
      std::istringstream lines(config.error().message);
      for (std::string line; std::getline(lines, line);) {
        message += (message.empty() ? "" : "\n") + file.string() + ": " + line;
      }
      return fail(config.error().code, message);
    }
    // Paths in the file mean where the file is, not where the process started.
    const std::filesystem::path dir = file.parent_path();
    const auto resolve = [&](std::filesystem::path& p) {
      if (p.is_relative()) p = (dir / p).lexically_normal();
    };
    resolve(config->data_dir);
    if (!config->org_file.empty()) resolve(config->org_file);
    if (!config->backup_dir.empty()) resolve(config->backup_dir);
    for (auto& [name, path] : config->secret_files) resolve(path);
    return config;
  } catch (const std::exception& e) {
    return fail(ErrorCode::kInternal, std::string("config: ") + e.what());
  }
}

}  // namespace escalator
